import { createNodePostgresPool, type StoreConfig } from "@arena/api";
import { Kysely, PostgresDialect } from "kysely";
import type { DB } from "./schema.generated.js";

/**
 * A Kysely instance over one node-postgres pool, with the limits every app applies (PG_POOL_MAX,
 * PG_STATEMENT_TIMEOUT_MS, PG_CONNECTION_TIMEOUT_MS). Kysely's `PostgresDialect` has no pool
 * options of its own: it takes the `pg.Pool` it is given (the shared `createNodePostgresPool`) and
 * checks a client out of it for every query and every transaction.
 */
export function createDatabase(config: StoreConfig): Kysely<DB> {
  // Kysely's own hooks (`onCreateConnection`, `onReserveConnection`) only see its
  // `DatabaseConnection` wrapper, not the pg client, so the lost-connection listener a checked-out
  // client needs comes with the shared pool (on pg-pool's `connect` event).
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: createNodePostgresPool(config) }) });
}
