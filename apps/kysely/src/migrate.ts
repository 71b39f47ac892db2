import { promises as fs } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { SchemaVersion } from "@arena/api";
import { migrateWhenRunAsCommand } from "@arena/api/migrate-command";
import type { Kysely } from "kysely";
import { FileMigrationProvider, Migrator } from "kysely/migration";
import { createDatabase } from "./db.js";
import type { DB } from "./schema.generated.js";

/** The last migration of each schema version, by its file name in `src/migrations/`. */
const LAST_MIGRATION: Record<SchemaVersion, string> = {
  v1: "1732406400000_canonical-schema",
  v2: "1764028800000_v2-content-reading-minutes-email-lower",
};

/** Beside this module: `src/migrations/*.ts` under vitest and tsx, `dist/migrations/*.js` once built. */
const MIGRATION_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

/**
 * Kysely's migrator over the files of `src/migrations/` (bookkeeping tables `kysely_migration`,
 * `kysely_migration_lock`), set up as Kysely 0.29's docs show it: `FileMigrationProvider` from
 * `kysely/migration`, an absolute folder, and an `import` of our own, so the dynamic import runs in
 * this module, where vitest and tsx load TypeScript, rather than inside Kysely.
 */
export function createMigrator(db: Kysely<DB>): Migrator {
  return new Migrator({
    db,
    provider: new FileMigrationProvider({
      fs,
      path,
      migrationFolder: MIGRATION_FOLDER,
      import: (file) => import(pathToFileURL(file).href),
    }),
  });
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

await migrateWhenRunAsCommand(import.meta.url, { migrate, rollback });
