import { defineArenaConfig } from "@arena/vitest-config";

export default defineArenaConfig();
