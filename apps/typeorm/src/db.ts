// TypeORM's documented setup. Nothing here needs it: tsx and esbuild emit no design-time type
// metadata for it to hold, so every column states its type.
import "reflect-metadata";
import type { StoreConfig } from "@arena/api";
import pg from "pg";
import { DataSource } from "typeorm";
import { entities } from "./entities/index.js";
import { migrations } from "./migrations/index.js";
import { PostgresNamingStrategy } from "./naming-strategy.js";

/** Migration classes, as the DataSource takes them. */
export type MigrationClass = (typeof migrations)[number];

/**
 * The TypeORM DataSource over node-postgres, sized like every other app's pool (PG_POOL_MAX).
 * Not initialized: the caller connects it (`initialize()`) and closes it (`destroy()`). Its
 * migrations are all of `src/migrations/` unless `only` names some (`migrate({ to: "v1" })`).
 */
export function createDataSource(config: StoreConfig, only: readonly MigrationClass[] = migrations): DataSource {
  return new DataSource({
    type: "postgres",
    // The one hoisted `pg`, whose Client the SQL counter patches, given rather than left to TypeORM to find.
    driver: pg,
    url: config.databaseUrl,
    poolSize: config.poolMax,
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
