import { fileURLToPath } from "node:url";
import type { StoreConfig } from "@arena/api";
import { Migrator } from "@mikro-orm/migrations";
import { defineConfig } from "@mikro-orm/postgresql";
import { entities } from "./entities.js";
import { migrationsList } from "./migrations/index.js";

/** The app folder, wherever this module runs from (`src/` under tsx and vitest, `dist/` built). */
const APP_DIR = fileURLToPath(new URL("..", import.meta.url));

/** One configuration for the store, the migrator and the MikroORM CLI. */
export function ormConfig({ databaseUrl, poolMax }: StoreConfig) {
  return defineConfig({
    clientUrl: databaseUrl,
    entities,
    // knex's pool keeps `min: 2` connections open by default; node-postgres' pool (the baseline) keeps none.
    pool: { min: 0, max: poolMax },
    debug: false,
    extensions: [Migrator],
    baseDir: APP_DIR,
    migrations: {
      // The generator writes TypeScript classes here; the build compiles them with the app.
      pathTs: "src/migrations",
      path: "dist/migrations",
      // Loaded by import rather than by a file glob, so src (vitest, tsx) and dist load them alike.
      migrationsList,
      // The snapshot of the entities' schema that `npm run generate` diffs against. Only the CLI
      // writes it: after applying migrations, the migrator would otherwise rewrite it from the
      // database it migrated (an extra schema read, and a changed file in the source tree).
      snapshot: false,
      snapshotName: ".snapshot-conduit",
      silent: true,
    },
  });
}

/**
 * For the MikroORM CLI (`npm run generate`). A new migration is the diff between the entities and
 * `src/migrations/.snapshot-conduit.json`, so the CLI never connects; only `--initial` does, and it
 * wants DATABASE_URL to name an empty database.
 */
const cliConfig = ormConfig({
  databaseUrl: process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/conduit",
  poolMax: 1,
});
export default defineConfig({ ...cliConfig, migrations: { ...cliConfig.migrations, snapshot: true } });
