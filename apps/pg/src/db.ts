import { poolSettings, type StoreConfig } from "@arena/api";
import pg from "pg";

/** The node-postgres pool, with the limits every app applies (PG_POOL_MAX and the timeouts). */
export function createPool(config: StoreConfig): pg.Pool {
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
  // A checked-out connection has no listener of the pool's: one lost between two statements of a
  // transaction (the server shut down) would be an uncaught exception and end the process. The
  // statement that follows fails and the transaction's caller gets that error instead.
  pool.on("connect", (client) => {
    client.on("error", (error) => console.error(`pg pool: connection lost: ${error.message}`));
  });
  return pool;
}
