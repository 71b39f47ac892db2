import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";

/**
 * `prisma migrate deploy` for when Prisma's schema engine is not installed: it applies the same
 * `prisma/migrations` folder and keeps the same `_prisma_migrations` history, row for row, so that
 * a real `prisma migrate deploy` or `migrate status` later accepts it. Each step below follows the
 * engine's own code (prisma-engines: `schema-core` `apply_migrations`, `sql-schema-connector`
 * Postgres flavour and migration persistence, `schema-connector` checksum).
 */

/** The engine's DDL for its history table, verbatim (`PostgresFlavour::create_migrations_table`). */
export const PRISMA_MIGRATIONS_TABLE_DDL = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);
`;

/** The engine's advisory lock key: "72707369 is a unique number we chose to identify Migrate". */
const MIGRATE_ADVISORY_LOCK = 72707369;

export interface MigrationDirectory {
  /** The folder name (`<timestamp>_<name>`): the `migration_name` recorded in the history. */
  name: string;
  path: string;
}

/** The SHA-256 of the migration script, as lowercase hex (`checksum::render_checksum`). */
export function migrationChecksum(script: string): string {
  return createHash("sha256").update(script, "utf8").digest("hex");
}

/**
 * Every sub-folder of the migrations folder, ordered as the CLI orders them (`localeCompare` of
 * the names), and the provider of `migration_lock.toml` (`null` when there is no lock file).
 */
export async function readMigrationsDirectory(
  directory: string,
): Promise<{ provider: string | null; migrations: MigrationDirectory[] }> {
  const lockfile = await readFile(join(directory, "migration_lock.toml"), "utf8").catch(() => null);
  const provider =
    lockfile === null
      ? null
      : (lockfile
          .split("\n")
          .find((line) => line.startsWith("provider"))
          ?.replace(/^provider = /, "")
          .replace(/^"|"$/g, "") ?? "<PROVIDER NOT FOUND>");
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
  const migrations = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ name: entry.name, path: join(directory, entry.name, "migration.sql") }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { provider, migrations };
}

interface MigrationRecord {
  id: string;
  migration_name: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
}

/**
 * Applies the migrations of `directory` that the database's history does not list yet, in order,
 * and returns their names. Fails like the engine does: on a provider other than PostgreSQL
 * (P3019), on a non-empty database without a history (P3005), on a failed migration in the history
 * (P3009), and on a script that fails (P3018, recorded in `logs`).
 *
 * With `upTo` (a folder name), it stops after that migration: what `migrate deploy` cannot do
 * (it always applies every folder), used to bring a database to an earlier schema version.
 */
export async function applyMigrations(
  databaseUrl: string,
  directory: string,
  { upTo }: { upTo?: string } = {},
): Promise<string[]> {
  const { provider, migrations: all } = await readMigrationsDirectory(directory);
  if (provider !== null && provider !== "postgresql") {
    throw new Error(`P3019: the migrations were made for ${provider}, this database is postgresql`);
  }
  const last = upTo === undefined ? all.length - 1 : all.findIndex(({ name }) => name === upTo);
  if (last < 0 && upTo !== undefined) throw new Error(`no migration folder named ${upTo} in ${directory}`);
  const migrations = all.slice(0, last + 1);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATE_ADVISORY_LOCK]);
    await initializeHistory(client);
    const history = (
      await client.query<MigrationRecord>(
        `SELECT "id", "migration_name", "started_at", "finished_at", "rolled_back_at", "logs"
           FROM "_prisma_migrations" ORDER BY "started_at" ASC`,
      )
    ).rows;
    refuseFailedMigrations(history);
    const applied = new Set(history.filter((row) => row.rolled_back_at === null).map((row) => row.migration_name));
    const appliedNow: string[] = [];
    for (const migration of migrations.filter(({ name }) => !applied.has(name))) {
      await applyMigration(client, migration);
      appliedNow.push(migration.name);
    }
    return appliedNow;
  } finally {
    // Ending the session releases the advisory lock, as it does for the engine.
    await client.end();
  }
}

/**
 * The migration folders the database's history does not show as applied (finished, not rolled
 * back): all of them when there is no history table. A check that `migrate deploy` really ran.
 */
export async function unappliedMigrations(databaseUrl: string, directory: string): Promise<string[]> {
  const { migrations } = await readMigrationsDirectory(directory);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ history: string | null }>(
      "SELECT to_regclass('_prisma_migrations')::text AS history",
    );
    const applied = new Set<string>();
    if (rows[0]?.history) {
      const finished = await client.query<{ migration_name: string }>(
        `SELECT "migration_name" FROM "_prisma_migrations"
          WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`,
      );
      for (const row of finished.rows) applied.add(row.migration_name);
    }
    return migrations.map(({ name }) => name).filter((name) => !applied.has(name));
  } finally {
    await client.end();
  }
}

/** `MigrationPersistence::initialize`: create the history table in an empty schema, or find it. */
async function initializeHistory(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ history: boolean; objects: number }>(
    `SELECT to_regclass('_prisma_migrations') IS NOT NULL AS history,
            (SELECT count(*)::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')) AS objects`,
  );
  const { history, objects } = rows[0] ?? { history: false, objects: 0 };
  if (history) return;
  if (objects > 0) {
    throw new Error(
      "P3005: the database schema is not empty and has no _prisma_migrations history; " +
        "baseline it first (https://pris.ly/d/migrate-baseline)",
    );
  }
  await client.query(PRISMA_MIGRATIONS_TABLE_DDL);
}

/** `detect_failed_migrations`: a started, unfinished, not rolled back migration blocks deploys. */
function refuseFailedMigrations(history: MigrationRecord[]): void {
  const failed = history.filter((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed.length === 0) return;
  const details = failed
    .map((row) => `The \`${row.migration_name}\` migration started at ${row.started_at.toISOString()} failed`)
    .join("\n");
  throw new Error(`P3009: migrate found failed migrations in the target database.\n${details}`);
}

/**
 * One migration, with the engine's four bookkeeping writes: record the start (id, checksum,
 * started_at, name), run the script, count the step, record the finish. The script goes as one
 * simple-protocol query, as the engine sends it, so PostgreSQL runs it in one implicit transaction.
 */
async function applyMigration(client: pg.Client, migration: MigrationDirectory): Promise<void> {
  const script = await readFile(migration.path, "utf8").catch((error: unknown) => {
    throw new Error(`Failed to read migration script at ${migration.path}`, { cause: error });
  });
  const id = randomUUID();
  await client.query(
    `INSERT INTO "_prisma_migrations" ("id", "checksum", "started_at", "migration_name") VALUES ($1, $2, $3, $4)`,
    [id, migrationChecksum(script), new Date(), migration.name],
  );
  try {
    await client.query(script);
  } catch (error) {
    await client.query(`UPDATE "_prisma_migrations" SET "logs" = $1 WHERE "id" = $2`, [String(error), id]);
    throw new Error(`P3018: migration \`${migration.name}\` failed to apply: ${String(error)}`, { cause: error });
  }
  await client.query(
    `UPDATE "_prisma_migrations" SET "applied_steps_count" = ("applied_steps_count" + $1) WHERE "id" = $2`,
    [1, id],
  );
  await client.query(`UPDATE "_prisma_migrations" SET "finished_at" = $1 WHERE "id" = $2`, [new Date(), id]);
}
