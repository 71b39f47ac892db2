import { poolSettings, type StoreConfig } from "@arena/api";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { DB } from "./database.js";

/**
 * A Kysely instance over one node-postgres pool, with the limits every app applies (PG_POOL_MAX,
 * PG_STATEMENT_TIMEOUT_MS, PG_CONNECTION_TIMEOUT_MS). Kysely's `PostgresDialect` has no pool
 * options of its own: it takes the `pg.Pool` it is given and checks a client out of it
 * (`pool.connect()`) for every query and every transaction, so the limits are node-postgres's.
 */
export function createDatabase(config: StoreConfig): Kysely<DB> {
  const { databaseUrl, poolMax, statementTimeoutMs, connectionTimeoutMs } = poolSettings(config);
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolMax,
    // Sent as a startup parameter: PostgreSQL cancels any statement of these connections after it.
    statement_timeout: statementTimeoutMs,
    // Waiting for a free or a new connection fails after this, instead of forever.
    connectionTimeoutMillis: connectionTimeoutMs,
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process:
  // the pool discards it and the next query opens a new one.
  pool.on("error", (error) => console.error(`pg pool: idle connection lost: ${error.message}`));
  // A client Kysely has checked out has no listener of the pool's: one lost between two statements
  // (inside `db.transaction()`, or just after a query) would emit `error` with nobody listening, an
  // uncaught exception that ends the process. Kysely's own hooks (`onCreateConnection`,
  // `onReserveConnection`) only see its `DatabaseConnection` wrapper, not the pg client, so the
  // listener goes on pg-pool's `connect` event. The next statement on that client fails, Kysely
  // rejects the query (or rolls back the transaction) with that error, and the pool drops the client.
  pool.on("connect", (client) => {
    client.on("error", (error) => console.error(`pg pool: connection lost: ${error.message}`));
  });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
