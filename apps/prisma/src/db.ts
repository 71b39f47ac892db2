import type { StoreConfig } from "@arena/api";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.js";

/**
 * Prisma Client on node-postgres through Prisma's pg driver adapter: queries are compiled in
 * JavaScript/Wasm and sent by `pg`, with no query-engine binary. The adapter owns a `pg.Pool`
 * sized like every other app's (PG_POOL_MAX).
 */
export function createPrismaClient(config: StoreConfig): PrismaClient {
  const adapter = new PrismaPg({ connectionString: config.databaseUrl, max: config.poolMax });
  return new PrismaClient({ adapter });
}
