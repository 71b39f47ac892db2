import type { SchemaVersion } from "@arena/api";
import { migrateWhenRunAsCommand } from "@arena/api/migrate-command";
import type { Migrator } from "@mikro-orm/migrations";
import { createOrm } from "./db.js";
import { migrationsList } from "./migrations/index.js";

/** The last migration of each schema version, by its name in `migrationsList`. */
const LAST_MIGRATION: Record<SchemaVersion, string> = {
  v1: "Migration20261123210425",
  v2: "Migration20261123231801_v2",
};

async function withMigrator(databaseUrl: string, use: (migrator: Migrator) => Promise<unknown>): Promise<void> {
  // No statement_timeout (0 leaves PostgreSQL's default, none): the limit is the serving pool's,
  // and a migration rewriting a large table (the v2 backfill) may rightly run longer.
  const orm = await createOrm({ databaseUrl, poolMax: 1, statementTimeoutMs: 0 });
  try {
    await use(orm.getMigrator());
  } finally {
    await orm.close();
  }
}

/**
 * Applies the pending migrations of `src/migrations/` with MikroORM's migrator: all of them, or
 * those up to the last one of schema version `to` (`up({ to })` includes the one it names).
 */
export async function migrate(databaseUrl: string, { to }: { to?: SchemaVersion } = {}): Promise<void> {
  await withMigrator(databaseUrl, async (migrator) => {
    if (to === undefined) return migrator.up();
    const target = LAST_MIGRATION[to];
    // `up({ to })` throws unless the migration it names is pending: at or past `to`, nothing to do.
    const pending = await migrator.getPendingMigrations();
    if (pending.some((migration) => migration.name === target)) await migrator.up({ to: target });
  });
}

/**
 * Reverts, with the migrations' `down()`, every migration after the last one of schema version
 * `to`. MikroORM's `down({ to })` reverts down to and including the migration it names, so it is
 * given the first migration after that version.
 */
export async function rollback(databaseUrl: string, { to }: { to: SchemaVersion }): Promise<void> {
  const names = migrationsList.map((migration) => migration.name);
  const firstAfter = names[names.indexOf(LAST_MIGRATION[to]) + 1];
  if (firstAfter === undefined) return;
  await withMigrator(databaseUrl, async (migrator) => {
    const executed = await migrator.getExecutedMigrations();
    if (executed.some((migration) => migration.name === firstAfter)) await migrator.down({ to: firstAfter });
  });
}

await migrateWhenRunAsCommand(import.meta.url, migrate);
