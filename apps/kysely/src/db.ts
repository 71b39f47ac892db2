import type { StoreConfig } from "@arena/api";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { DB } from "./database.js";

/** A Kysely instance over one node-postgres pool, sized like every other app's (PG_POOL_MAX). */
export function createDatabase(config: StoreConfig): Kysely<DB> {
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.poolMax });
  // An idle connection dropped by the server (restart, failover) must not crash the process:
  // the pool discards it and the next query opens a new one.
  pool.on("error", (error) => console.error(`pg pool: idle connection lost: ${error.message}`));
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
