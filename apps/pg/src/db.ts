import type { StoreConfig } from "@arena/api";
import pg from "pg";

/** The node-postgres pool, sized like every other app's (PG_POOL_MAX). */
export function createPool(config: StoreConfig): pg.Pool {
  return new pg.Pool({ connectionString: config.databaseUrl, max: config.poolMax });
}
