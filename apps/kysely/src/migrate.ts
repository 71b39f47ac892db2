import { pathToFileURL } from "node:url";
import { type Kysely, Migrator } from "kysely";
import type { DB } from "./database.js";
import { createDatabase } from "./db.js";
import { migrationProvider } from "./migrations/index.js";

/** Kysely's migrator over `src/migrations/` (bookkeeping tables `kysely_migration`, `kysely_migration_lock`). */
export function createMigrator(db: Kysely<DB>): Migrator {
  return new Migrator({ db, provider: migrationProvider });
}

/** Applies every pending migration of `src/migrations/` with Kysely's `Migrator`. */
export async function migrate(databaseUrl: string): Promise<void> {
  const db = createDatabase({ databaseUrl, poolMax: 1 });
  try {
    const { error } = await createMigrator(db).migrateToLatest();
    if (error) throw error;
  } finally {
    await db.destroy();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is required: the database to migrate");
    process.exit(1);
  }
  await migrate(url);
  console.log("migrated");
}
