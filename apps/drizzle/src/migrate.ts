import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SchemaVersion } from "@arena/api";
import { migrateWhenRunAsCommand } from "@arena/api/migrate-command";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate as applyMigrations } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";

const MIGRATIONS_DIR = fileURLToPath(new URL("../migrations", import.meta.url));

/** The tag (file name) of the last migration of each schema version, as `meta/_journal.json` lists it. */
const LAST_MIGRATION: Record<SchemaVersion, string> = {
  v1: "0000_canonical_schema",
  v2: "0001_v2_content_reading_minutes_email_lower",
};

interface Journal {
  entries: { tag: string }[];
}

/**
 * Applies the migrations drizzle-kit generated in `migrations/` with Drizzle's migrator, which
 * records them in `drizzle.__drizzle_migrations` and runs the pending ones in one transaction:
 * all of them, or those up to the last one of schema version `to`. The migrator has no target
 * (it applies every journal entry of a folder), so an earlier version is reached by pointing it at
 * a temporary copy of `migrations/` whose journal ends with that version's last entry. Drizzle has
 * no down migrations, hence no `rollback`.
 */
export async function migrate(databaseUrl: string, { to = "v2" }: { to?: SchemaVersion } = {}): Promise<void> {
  const journal = JSON.parse(await readFile(join(MIGRATIONS_DIR, "meta", "_journal.json"), "utf8")) as Journal;
  const last = journal.entries.findIndex((entry) => entry.tag === LAST_MIGRATION[to]);
  if (last === -1) throw new Error(`migrations/meta/_journal.json has no migration ${LAST_MIGRATION[to]}`);
  const limited = last < journal.entries.length - 1;
  const folder = limited ? await mkdtemp(join(tmpdir(), `drizzle-migrations-${to}-`)) : MIGRATIONS_DIR;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    if (limited) {
      await cp(MIGRATIONS_DIR, folder, { recursive: true });
      const entries = journal.entries.slice(0, last + 1);
      await writeFile(join(folder, "meta", "_journal.json"), JSON.stringify({ ...journal, entries }, null, 2));
    }
    await applyMigrations(drizzle({ client: pool }), { migrationsFolder: folder });
  } finally {
    await pool.end();
    if (limited) await rm(folder, { recursive: true, force: true });
  }
}

await migrateWhenRunAsCommand(import.meta.url, { migrate });
