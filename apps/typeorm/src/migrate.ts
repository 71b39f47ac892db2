import type { SchemaVersion } from "@arena/api";
import { migrateWhenRunAsCommand } from "@arena/api/migrate-command";
import { MigrationExecutor } from "typeorm";
import { createDataSource, type MigrationClass } from "./db.js";
import { CanonicalSchema1795467640426 } from "./migrations/1795467640426-CanonicalSchema.js";
import { V2ContentReadingMinutesEmailLower1795475804975 } from "./migrations/1795475804975-V2ContentReadingMinutesEmailLower.js";
import { migrations } from "./migrations/index.js";

/** The last migration of each schema version. */
const LAST_MIGRATION: Record<SchemaVersion, MigrationClass> = {
  v1: CanonicalSchema1795467640426,
  v2: V2ContentReadingMinutesEmailLower1795475804975,
};

/**
 * The DataSource settings of migrations: one connection, and no `statement_timeout` (0), which is
 * the serving pool's limit: a migration rewriting a large table may rightly run longer.
 */
const MIGRATION_POOL = { poolMax: 1, statementTimeoutMs: 0 };

/** The migrations up to and including the last one of a schema version, in order. */
function migrationsUpTo(version: SchemaVersion): MigrationClass[] {
  return migrations.slice(0, migrations.indexOf(LAST_MIGRATION[version]) + 1);
}

/**
 * Applies the migrations of `src/migrations/` with TypeORM's migrator, all pending ones in one
 * transaction: all of them, or, with `to`, up to that schema version's last one (TypeORM's
 * migrator has no target, so its DataSource is given only those migration classes).
 */
export async function migrate(databaseUrl: string, { to = "v2" }: { to?: SchemaVersion } = {}): Promise<void> {
  const dataSource = await createDataSource({ databaseUrl, ...MIGRATION_POOL }, migrationsUpTo(to)).initialize();
  try {
    await dataSource.runMigrations({ transaction: "all" });
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Reverts migrations with their `down()`, TypeORM's `undoLastMigration`, one at a time (each in its
 * own transaction) until the last applied one is the given schema version's last migration.
 */
export async function rollback(databaseUrl: string, { to }: { to: SchemaVersion }): Promise<void> {
  const dataSource = await createDataSource({ databaseUrl, ...MIGRATION_POOL }).initialize();
  try {
    const target = LAST_MIGRATION[to].name;
    const executor = new MigrationExecutor(dataSource);
    // Newest first: the bookkeeping table's rows by descending id, as undoLastMigration reads them.
    for (;;) {
      const [last] = await executor.getExecutedMigrations();
      if (last === undefined) throw new Error(`rollback: no migration of schema ${to} has been applied`);
      if (last.name === target) break;
      await dataSource.undoLastMigration({ transaction: "each" });
    }
  } finally {
    await dataSource.destroy();
  }
}

await migrateWhenRunAsCommand(import.meta.url, { migrate, rollback });
