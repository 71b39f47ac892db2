import { defineConfig } from "vitest/config";

// Manifests are files: no database needed, so not the shared config (which starts PostgreSQL).
export default defineConfig({});
