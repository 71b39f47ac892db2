import { poolSettings, type StoreConfig } from "@arena/api";
import pg from "pg";
import { type Options, Sequelize } from "sequelize";

/**
 * node-postgres' `Client` with an `error` listener from the moment it is constructed.
 *
 * Sequelize's postgres connection manager adds its own listener (which marks the connection
 * invalid, so the pool destroys it) only once `connect()` has resolved. A session the server
 * terminates in the same network read as the end of its startup (a restart or a fast shutdown
 * while the pool opens a connection) emits `error` before that listener exists: an uncaught
 * exception that ends the process (sequelize#15883, open for v6). This listener closes that
 * window and logs each lost connection. The socket's close, which follows, is reported as a
 * second `error` that Sequelize's listener does see, so the dead connection still leaves the pool.
 */
class ClientWithErrorListener extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on("error", (error) => console.error(`sequelize pool: connection lost: ${error.message}`));
  }
}

/** What Sequelize loads as its dialect module: the hoisted `pg` itself, with the client above. */
const dialectModule = { ...pg, Client: ClientWithErrorListener };

/**
 * A Sequelize instance over node-postgres, with the limits every app applies: its pool sized by
 * PG_POOL_MAX, PostgreSQL's `statement_timeout` on every connection, and a bounded wait for one.
 */
export function createSequelize(config: StoreConfig): Sequelize {
  const { databaseUrl, poolMax, statementTimeoutMs, connectionTimeoutMs } = poolSettings(config);
  // `keepDefaultTimezone` is a documented v6 option that its `Options` type lacks.
  const options: Options & { keepDefaultTimezone: boolean } = {
    dialect: "postgres",
    dialectModule,
    // `acquire` (sequelize-pool's acquireTimeoutMillis): waiting for a free or a new connection
    // fails after this with ConnectionAcquireTimeoutError, instead of after Sequelize's 60 s.
    pool: { max: poolMax, acquire: connectionTimeoutMs },
    logging: false,
    dialectOptions: {
      // Handed to each `pg.Client` (Sequelize's postgres connection manager picks these keys):
      // `statement_timeout` is sent as a startup parameter, so PostgreSQL cancels any statement of
      // these connections after it, at no extra statement; `connectionTimeoutMillis` bounds the
      // connect itself (a server that accepts the socket but never answers).
      statement_timeout: statementTimeoutMs,
      connectionTimeoutMillis: connectionTimeoutMs,
      // Sequelize sends `SET client_min_messages` and `SET TIME ZONE` on every new connection. Both
      // are unneeded (timestamptz values are instants, read and written with their offset) and would
      // add a statement to whichever request happens to open a connection.
      clientMinMessages: "ignore",
    },
    keepDefaultTimezone: true,
  };
  return new Sequelize(databaseUrl, options);
}
