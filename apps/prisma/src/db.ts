import { poolSettings, type StoreConfig } from "@arena/api";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.js";

/**
 * Prisma Client on node-postgres through Prisma's pg driver adapter: queries are compiled in
 * JavaScript/Wasm and sent by `pg`, with no query-engine binary. The adapter builds and owns a
 * `pg.Pool` from the `pg.PoolConfig` given here (and ends it on `$disconnect()`), with the limits
 * every app applies: Prisma 7's docs map the pool settings to the driver's own fields.
 */
export function createPrismaClient(config: StoreConfig): PrismaClient {
  const { databaseUrl, poolMax, statementTimeoutMs, connectionTimeoutMs } = poolSettings(config);
  const adapter = new PrismaPg(
    {
      connectionString: databaseUrl,
      max: poolMax,
      // Sent as a startup parameter: PostgreSQL cancels any statement of these connections after it.
      statement_timeout: statementTimeoutMs,
      // Waiting for a free or a new connection fails after this, instead of forever (pg's default).
      connectionTimeoutMillis: connectionTimeoutMs,
    },
    {
      // An idle connection dropped by the server (restart, failover): the pool discards it and the
      // next query opens a new one. The adapter listens on the pool and calls this.
      onPoolError: (error) => console.error(`prisma pg pool: idle connection lost: ${error.message}`),
      // A connection lost while an interactive transaction holds it: the adapter listens on it for
      // the transaction's lifetime (so it is not an uncaught exception) and calls this; the next
      // statement of the transaction fails and its caller gets that error.
      onConnectionError: (error) => console.error(`prisma pg pool: connection lost: ${error.message}`),
    },
  );
  return new PrismaClient({
    adapter,
    // Prisma's own limits on interactive transactions (`$transaction(async (tx) => …)`), on top of
    // the pool's. `maxWait` (default 2 s) bounds getting a connection and sending BEGIN; at its
    // default it would race the pool's own wait and end as P2028 "Unable to start a transaction in
    // the given time", which is not a recognised database failure. It gets the pool's wait plus one
    // statement's, so the pool's timeout (a 503) always comes first. `timeout` (default 5 s) is the
    // transaction's lifetime after BEGIN; each statement in it is already bounded by
    // statement_timeout, so it gets one statement_timeout per statement: a slow statement is then
    // always ended by PostgreSQL (57014, a 503) rather than by Prisma (P2028 "expired", a 500).
    transactionOptions: {
      maxWait: connectionTimeoutMs + statementTimeoutMs,
      timeout: TRANSACTION_STATEMENTS * statementTimeoutMs,
    },
  });
}

/**
 * The most statements the store sends in one interactive transaction after BEGIN: re-tagging an
 * article (insert tags, read their ids, UPDATE, the nested `deleteMany` SELECT and DELETE, insert
 * the links, read the article back, COMMIT).
 */
const TRANSACTION_STATEMENTS = 8;
