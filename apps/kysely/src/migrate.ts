import type { SchemaVersion } from "@arena/api";
import { migrateWhenRunAsCommand } from "@arena/api/migrate-command";
import { type Kysely, Migrator } from "kysely";
import { createDatabase } from "./db.js";
import { migrationProvider } from "./migrations/index.js";
import type { DB } from "./schema.generated.js";

/** The last migration of each schema version, by its name in `src/migrations/index.ts`. */
const LAST_MIGRATION: Record<SchemaVersion, string> = {
  v1: "1732406400000_canonical-schema",
  v2: "1764028800000_v2-content-reading-minutes-email-lower",
};

/** Kysely's migrator over `src/migrations/` (bookkeeping tables `kysely_migration`, `kysely_migration_lock`). */
export function createMigrator(db: Kysely<DB>): Migrator {
  return new Migrator({ db, provider: migrationProvider });
}

/**
 * Moves the database to the last migration of a schema version with `Migrator#migrateTo`: it runs
 * the `up`s of the migrations before the target, or the `down`s of those after it. The Migrator
 * reports a failed migration in its result instead of throwing.
 */
async function migrateTo(databaseUrl: string, to: SchemaVersion): Promise<void> {
  const db = createDatabase({ databaseUrl, poolMax: 1 });
  try {
    const { error } = await createMigrator(db).migrateTo(LAST_MIGRATION[to]);
    if (error) throw error;
  } finally {
    await db.destroy();
  }
}

/** Applies the migrations of `src/migrations/` with Kysely's `Migrator`: all, or up to a schema version. */
export async function migrate(databaseUrl: string, { to = "v2" }: { to?: SchemaVersion } = {}): Promise<void> {
  await migrateTo(databaseUrl, to);
}

/** Runs the `down` of every migration after the given schema version's last one. */
export async function rollback(databaseUrl: string, { to }: { to: SchemaVersion }): Promise<void> {
  await migrateTo(databaseUrl, to);
}

await migrateWhenRunAsCommand(import.meta.url, migrate);
