import { defineConfig } from "vitest/config";

// The site's test needs no database (not the shared config, which starts PostgreSQL); it reads
// workspace packages from their TypeScript sources, as the shared config does.
const conditions = ["@arena/source", "module", "node", "development|production"];
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@arena/source", "node"] } },
  test: { testTimeout: 120_000, hookTimeout: 300_000 },
});
