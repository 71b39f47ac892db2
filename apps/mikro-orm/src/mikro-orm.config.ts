import { fileURLToPath } from "node:url";
import { poolSettings, type StoreConfig } from "@arena/api";
import { Migrator } from "@mikro-orm/migrations";
import { defineConfig, type EventSubscriber, type Knex, type TransactionEventArgs } from "@mikro-orm/postgresql";
import { entities } from "./entities.js";
import { migrationsList } from "./migrations/index.js";

/** The app folder, wherever this module runs from (`src/` under tsx and vitest, `dist/` built). */
const APP_DIR = fileURLToPath(new URL("..", import.meta.url));

/**
 * A transaction whose `BEGIN` failed must fail with that error. knex hands MikroORM the transaction
 * of a failed `BEGIN` (the connection was lost) as if it had begun, marked complete, and keeps the
 * error on its `executionPromise` (knex/knex#4709); the transaction's first statement then fails
 * with knex's "Transaction query already complete", a generic error (a 500) in place of the lost
 * connection (a 503). MikroORM announces every transaction it begins (`em.transactional` and the
 * implicit one of a flush) with `afterTransactionStart`, so this subscriber rethrows the original.
 */
class FailedBeginSubscriber implements EventSubscriber {
  async afterTransactionStart({ transaction }: TransactionEventArgs): Promise<void> {
    const trx = transaction as Knex.Transaction | undefined;
    if (trx?.isCompleted()) {
      await trx.executionPromise;
      throw new Error("the transaction ended before it began");
    }
  }
}

/** One configuration for the store, the migrator and the MikroORM CLI. */
export function ormConfig(config: StoreConfig) {
  const { databaseUrl, poolMax, statementTimeoutMs, connectionTimeoutMs } = poolSettings(config);
  return defineConfig({
    clientUrl: databaseUrl,
    entities,
    pool: {
      // knex's pool keeps `min: 2` connections open by default; node-postgres' pool (the baseline) keeps none.
      min: 0,
      max: poolMax,
      // Waiting for a connection (a free one, or a new one being opened) fails after this, instead
      // of knex's default of 60 s: while the database is down, requests fail fast.
      acquireTimeoutMillis: connectionTimeoutMs,
    },
    // MikroORM hands `driverOptions` to knex, and knex hands `connection` to every `pg.Client` it opens.
    driverOptions: {
      connection: {
        // A startup parameter: PostgreSQL cancels any statement of these connections after it.
        statement_timeout: statementTimeoutMs,
        // One connection attempt (TCP and startup) gives up after this.
        connectionTimeoutMillis: connectionTimeoutMs,
      },
    },
    subscribers: [new FailedBeginSubscriber()],
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
