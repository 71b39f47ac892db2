import { fileURLToPath } from "node:url";
import { poolSettings, type StoreConfig } from "@arena/api";
import { Migrator } from "@mikro-orm/migrations";
import { defineConfig } from "@mikro-orm/postgresql";
import { entities } from "./entities.js";
import { migrationsList } from "./migrations/index.js";

/** The app folder, wherever this module runs from (`src/` under tsx and vitest, `dist/` built). */
const APP_DIR = fileURLToPath(new URL("..", import.meta.url));

/** One configuration for the store, the migrator and the MikroORM CLI. */
export function ormConfig(config: StoreConfig) {
  const { databaseUrl, poolMax, statementTimeoutMs, connectionTimeoutMs } = poolSettings(config);
  return defineConfig({
    clientUrl: databaseUrl,
    entities,
    // MikroORM 7 runs its SQL through Kysely on a `pg.Pool` of its own (with its type parsers and
    // listeners that keep a lost connection from ending the process); `pool` sets its size.
    pool: { max: poolMax },
    // `driverOptions` is merged into the options of that `pg.Pool`, so these are node-postgres'
    // own options, exactly those of the shared pool (`createNodePostgresPool` in @arena/api).
    driverOptions: {
      // A startup parameter: PostgreSQL cancels any statement of these connections after it.
      statement_timeout: statementTimeoutMs,
      // Waiting for a free or a new connection fails after this, instead of forever.
      connectionTimeoutMillis: connectionTimeoutMs,
    },
    debug: false,
    extensions: [Migrator],
    baseDir: APP_DIR,
    migrations: {
      // The generator writes TypeScript classes here; the build compiles them with the app.
      pathTs: "src/migrations",
      path: "dist/migrations",
      // Loaded by import rather than by a file glob, so src (vitest, tsx) and dist load them alike.
      migrationsList,
      // The snapshot of the entities' schema that `npm run generate` diffs against. Only the
      // generator writes it: applying migrations would otherwise rewrite it from the database it
      // migrated (an extra schema read, and a changed file in the source tree).
      snapshotName: ".snapshot-conduit",
      snapshotOnMigrate: false,
      silent: true,
    },
  });
}

/**
 * For the MikroORM CLI (`npm run generate`). A new migration is the diff between the entities and
 * `src/migrations/.snapshot-conduit.json`, so the CLI never connects; only `--initial` does, and it
 * wants DATABASE_URL to name an empty database.
 */
export default ormConfig({
  databaseUrl: process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/conduit",
  poolMax: 1,
});
