import { createNodePostgresPool, type StoreConfig } from "@arena/api";
import type pg from "pg";

/**
 * The node-postgres pool with the limits and lost-connection listeners every app applies; the
 * baseline has no ORM between it and the pool, so it takes the shared pool as it is.
 */
export function createPool(config: StoreConfig): pg.Pool {
  return createNodePostgresPool(config);
}
