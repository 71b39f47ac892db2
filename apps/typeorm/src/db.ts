// TypeORM's documented setup. Nothing here needs it: tsx and esbuild emit no design-time type
// metadata for it to hold, so every column states its type.
import "reflect-metadata";
import { poolSettings, type StoreConfig } from "@arena/api";
import pg from "pg";
import { DataSource } from "typeorm";
import type { PostgresDriver } from "typeorm/driver/postgres/PostgresDriver.js";
import { entities } from "./entities/index.js";
import { migrations } from "./migrations/index.js";
import { PostgresNamingStrategy } from "./naming-strategy.js";

/** Migration classes, as the DataSource takes them. */
export type MigrationClass = (typeof migrations)[number];

/**
 * The TypeORM DataSource over node-postgres, with the limits every app applies (PG_POOL_MAX and
 * the timeouts of `poolSettings`). Not initialized: the caller connects it (`initialize()`) and
 * closes it (`destroy()`). Its migrations are all of `src/migrations/` unless `only` names some
 * (`migrate({ to: "v1" })`).
 */
export function createDataSource(config: StoreConfig, only: readonly MigrationClass[] = migrations): DataSource {
  const { databaseUrl, poolMax, statementTimeoutMs, connectionTimeoutMs } = poolSettings(config);
  return new DataSource({
    type: "postgres",
    // The one hoisted `pg`, whose Client the SQL counter patches, given rather than left to TypeORM to find.
    driver: pg,
    url: databaseUrl,
    // node-postgres' pool `max`.
    poolSize: poolMax,
    // node-postgres' `connectionTimeoutMillis`: getting a connection (a free one from the full pool,
    // or a new one from the server) fails after this, instead of waiting forever.
    connectTimeoutMS: connectionTimeoutMs,
    // Passed through to `new pg.Pool(...)`, TypeORM's place for driver settings it has no option
    // for: node-postgres sends `statement_timeout` as a startup parameter of every connection, and
    // PostgreSQL cancels any statement that runs longer (SQLSTATE 57014). 0: none.
    extra: { statement_timeout: statementTimeoutMs },
    // An idle connection dropped by the server (restart, failover) must not go unnoticed: the pool
    // discards it and the next query opens a new one. TypeORM's own handler logs only with logging on.
    poolErrorHandler: (error: Error) => console.error(`typeorm pool: idle connection lost: ${error.message}`),
    entities,
    migrations: [...only],
    migrationsTableName: "typeorm_migrations",
    namingStrategy: new PostgresNamingStrategy(),
    // The schema only ever changes through the committed migrations.
    synchronize: false,
  });
}

/** The connections an initialized DataSource's pool lost while in use: how many, and the last error. */
export interface LostConnections {
  readonly count: number;
  readonly last: Error | undefined;
}

/**
 * Keeps the errors of connections lost while in use, which TypeORM drops. A checked-out connection
 * needs no listener of ours: TypeORM's postgres query runner listens for `error` on the connection
 * it holds (so a connection lost between two statements is no uncaught exception) and releases it
 * to the pool with that error. But it keeps no trace of it: the operation's next statement fails
 * with `QueryRunnerAlreadyReleasedError`, which names no cause (an outage would be a 500). The
 * pool's `release` event (node-postgres' Pool API) still carries the error; the store gives it as
 * the cause. The pool is TypeORM's, so it is reached after `initialize()`, as `driver.master`.
 */
export function watchLostConnections(dataSource: DataSource): LostConnections {
  const lost = { count: 0, last: undefined as Error | undefined };
  const pool: pg.Pool = (dataSource.driver as PostgresDriver).master;
  pool.on("release", (error: Error | undefined) => {
    if (!error) return;
    lost.count += 1;
    lost.last = error;
    console.error(`typeorm pool: connection lost while in use: ${error.message}`);
  });
  return lost;
}
