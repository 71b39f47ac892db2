// Plain JavaScript: vitest loads config files with Node itself, and Node strips no types from
// files reached through node_modules (which is how apps reach this package).
import { fileURLToPath } from "node:url";
import { defineConfig, mergeConfig } from "vitest/config";

// Vite replaces its default conditions with the ones given, so name those again after ours.
const serverConditions = ["@arena/source", "module", "node", "development|production"];

/**
 * Tests import workspace packages from their TypeScript sources (the `@arena/source` export
 * condition), so nothing has to be built before `vitest run`; and every run shares one embedded
 * PostgreSQL unless DATABASE_URL points at a server.
 *
 * @param {import("vitest/config").ViteUserConfig} [overrides]
 * @returns {import("vitest/config").ViteUserConfig}
 */
export function defineArenaConfig(overrides = {}) {
  return mergeConfig(
    defineConfig({
      resolve: { conditions: serverConditions },
      ssr: { resolve: { conditions: serverConditions, externalConditions: ["@arena/source", "node"] } },
      test: {
        globalSetup: [fileURLToPath(new URL("./global-setup.ts", import.meta.url))],
        testTimeout: 30_000,
        hookTimeout: 120_000,
      },
    }),
    overrides,
  );
}
