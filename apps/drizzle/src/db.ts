import { createNodePostgresPool, databaseFailure, type StoreConfig } from "@arena/api";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import type pg from "pg";
import * as schema from "./schema.js";

/** Drizzle over a node-postgres pool; the schema (tables and relations) enables `db.query`. */
export type Database = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/** The handle {@link transaction} passes to its callback: Drizzle's `tx`, for the SQL-like builder. */
export type Transaction = Parameters<Parameters<NodePgDatabase["transaction"]>[0]>[0];

/**
 * The Drizzle client over a node-postgres pool with the limits every app applies (PG_POOL_MAX,
 * PG_STATEMENT_TIMEOUT_MS, PG_CONNECTION_TIMEOUT_MS). Drizzle has no pool or timeout options of
 * its own for node-postgres: it runs on the `pg.Pool` it is given (the shared `createNodePostgresPool`).
 */
export function createDatabase(config: StoreConfig): Database {
  // A transaction checks a client out for all its statements; the shared pool gives checked-out
  // clients the error listener they need, so a connection lost mid-transaction fails the next
  // statement (or Drizzle's rollback) instead of ending the process.
  const pool = createNodePostgresPool(config);
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
