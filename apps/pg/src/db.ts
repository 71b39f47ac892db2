import type { StoreConfig } from "@arena/api";
import pg from "pg";

/** The node-postgres pool, sized like every other app's (PG_POOL_MAX). */
export function createPool(config: StoreConfig): pg.Pool {
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.poolMax });
  // An idle connection dropped by the server (restart, failover) must not crash the process:
  // the pool discards it and the next query opens a new one.
  pool.on("error", (error) => console.error(`pg pool: idle connection lost: ${error.message}`));
  return pool;
}
