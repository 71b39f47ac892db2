import { databaseFailure, poolSettings, type StoreConfig } from "@arena/api";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "./schema.js";

/** Drizzle over a node-postgres pool; the schema (tables and relations) enables `db.query`. */
export type Database = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/** The handle {@link transaction} passes to its callback: Drizzle's `tx`, for the SQL-like builder. */
export type Transaction = Parameters<Parameters<NodePgDatabase["transaction"]>[0]>[0];

/**
 * The Drizzle client over a node-postgres pool with the limits every app applies (PG_POOL_MAX,
 * PG_STATEMENT_TIMEOUT_MS, PG_CONNECTION_TIMEOUT_MS). Drizzle has no pool or timeout options of
 * its own for node-postgres: it runs on the `pg.Pool` it is given, so the limits are pg's options.
 */
export function createDatabase(config: StoreConfig): Database {
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
  // A transaction checks a client out of the pool for all its statements, and a checked-out client
  // has no listener of the pool's: a connection lost between two of them (the server shut down)
  // would be an uncaught exception and end the process. With this listener the next statement (or
  // Drizzle's `rollback`) fails instead and the caller gets that error.
  pool.on("connect", (client) => {
    client.on("error", (error) => console.error(`pg pool: connection lost: ${error.message}`));
  });
  return drizzle({ client: pool, schema });
}

/**
 * `db.transaction(work)` on a connection checked out here and always given back. Drizzle 0.45's
 * own pooled `db.transaction()` sends `BEGIN` before the `try`/`finally` that releases its client,
 * so a `BEGIN` that fails (the connection dropped right after checkout, which a PostgreSQL shutdown
 * does to one or two of them) leaks that client for good: the pool shrinks with every outage, and
 * `pool.end()` waits for it forever (drizzle-orm#6023, #6241, open). Given a single client,
 * Drizzle runs `BEGIN` ... `COMMIT` (or `ROLLBACK`) on it and leaves releasing to us. A client
 * whose connection failed is destroyed rather than pooled again.
 *
 * The client-bound instance has no schema (`tx.query` is unavailable; the store's transactions
 * only use the SQL-like builder): extracting the relations again would cost ~0.1 ms per call.
 */
export async function transaction<T>(db: Database, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const client = await db.$client.connect();
  let failure: unknown;
  try {
    return await drizzle({ client }).transaction(work);
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    client.release(databaseFailure(failure) === "unavailable");
  }
}
