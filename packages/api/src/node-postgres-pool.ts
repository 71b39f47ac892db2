import pg from "pg";
import { poolSettings, type StoreConfig } from "./store.js";

/**
 * The node-postgres pool with the limits every app applies (PG_POOL_MAX, PG_STATEMENT_TIMEOUT_MS,
 * PG_CONNECTION_TIMEOUT_MS), for the apps whose ORM runs on a `pg.Pool` it is handed (pg itself,
 * Drizzle, Kysely): those ORMs have no pool options of their own, so the limits are pg's options
 * and the pool is the same object in all three. ORMs that build their own pool map the same
 * `poolSettings()` to their own option names.
 */
export function createNodePostgresPool(config: StoreConfig): pg.Pool {
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
  // A checked-out client has no listener of the pool's: a connection lost between two statements
  // (inside a transaction, or just after a query) would emit `error` with nobody listening, an
  // uncaught exception that ends the process. With this listener the next statement fails
  // instead, the caller gets that error (a 503), and the pool drops the client.
  pool.on("connect", (client) => {
    client.on("error", (error) => console.error(`pg pool: connection lost: ${error.message}`));
  });
  return pool;
}
