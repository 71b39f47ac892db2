import type { StoreConfig } from "@arena/api";
import pg from "pg";
import { type Options, Sequelize } from "sequelize";

/** A Sequelize instance over node-postgres, its pool sized like every other app's (PG_POOL_MAX). */
export function createSequelize(config: StoreConfig): Sequelize {
  // `keepDefaultTimezone` is a documented v6 option that its `Options` type lacks.
  const options: Options & { keepDefaultTimezone: boolean } = {
    dialect: "postgres",
    // The hoisted `pg` itself, rather than whatever `require("pg")` resolves from Sequelize's folder.
    dialectModule: pg,
    pool: { max: config.poolMax },
    logging: false,
    // Sequelize sends `SET client_min_messages` and `SET TIME ZONE` on every new connection. Both
    // are unneeded (timestamptz values are instants, read and written with their offset) and would
    // add a statement to whichever request happens to open a connection.
    dialectOptions: { clientMinMessages: "ignore" },
    keepDefaultTimezone: true,
  };
  return new Sequelize(config.databaseUrl, options);
}
