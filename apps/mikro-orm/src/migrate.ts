import type { SchemaVersion } from "@arena/api";
import { migrateWhenRunAsCommand } from "@arena/api/migrate-command";
import type { IMigrator } from "@mikro-orm/core";
import { createOrm } from "./db.js";

/** The last migration of each schema version, by its name in `migrationsList`. */
const LAST_MIGRATION: Record<SchemaVersion, string> = {
  v1: "Migration20261123210425",
  v2: "Migration20261123231801_v2",
};

async function withMigrator(databaseUrl: string, use: (migrator: IMigrator) => Promise<unknown>): Promise<void> {
  // No statement_timeout (0 leaves PostgreSQL's default, none): the limit is the serving pool's,
  // and a migration rewriting a large table (the v2 backfill) may rightly run longer.
  const orm = await createOrm({ databaseUrl, poolMax: 1, statementTimeoutMs: 0 });
  try {
    await use(orm.migrator);
  } finally {
    await orm.close();
  }
}

/**
 * Applies the pending migrations of `src/migrations/` with MikroORM's migrator: all of them, or
 * those up to the last one of schema version `to` (`up({ to })` includes the one it names, and
 * leaves out those already applied, so a database at or past `to` is left as it is).
 */
export async function migrate(databaseUrl: string, { to }: { to?: SchemaVersion } = {}): Promise<void> {
  await withMigrator(databaseUrl, (migrator) => migrator.up(to === undefined ? {} : { to: LAST_MIGRATION[to] }));
}

/**
 * Reverts, with the migrations' `down()`, every migration after the last one of schema version
 * `to`: `down({ to })` reverts the applied migrations newest first and stops at the one it names.
 * A database that never reached `to` is left as it is (`down({ to })` would revert everything).
 */
export async function rollback(databaseUrl: string, { to }: { to: SchemaVersion }): Promise<void> {
  const target = LAST_MIGRATION[to];
  await withMigrator(databaseUrl, async (migrator) => {
    const executed = await migrator.getExecuted();
    if (executed.some((migration) => migration.name === target)) await migrator.down({ to: target });
  });
}

await migrateWhenRunAsCommand(import.meta.url, { migrate, rollback });
