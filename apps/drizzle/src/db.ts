import type { StoreConfig } from "@arena/api";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "./schema.js";

/** Drizzle over a node-postgres pool; the schema (tables and relations) enables `db.query`. */
export type Database = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/** The Drizzle client over a node-postgres pool sized like every other app's (PG_POOL_MAX). */
export function createDatabase(config: StoreConfig): Database {
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.poolMax });
  // An idle connection dropped by the server (restart, failover) must not crash the process:
  // the pool discards it and the next query opens a new one.
  pool.on("error", (error) => console.error(`pg pool: idle connection lost: ${error.message}`));
  return drizzle({ client: pool, schema });
}
