import { fileURLToPath } from "node:url";
import type { SchemaVersion } from "@arena/api";
import { migrateWhenRunAsCommand } from "@arena/api/migrate-command";
import { runner } from "node-pg-migrate";

const MIGRATIONS_DIR = fileURLToPath(new URL("../migrations", import.meta.url));

/** The timestamp of the last migration of each schema version (the prefix of its file name). */
const LAST_MIGRATION: Record<SchemaVersion, number> = {
  v1: 1732406400000,
  v2: 1764028800000,
};

const options = {
  dir: MIGRATIONS_DIR,
  migrationsTable: "pgmigrations",
  // With `timestamp`, node-pg-migrate reads `count` as a migration timestamp to stop at.
  timestamp: true,
  log: () => undefined,
};

/** Applies the SQL migrations in `migrations/` with node-pg-migrate: all, or up to a schema version. */
export async function migrate(databaseUrl: string, { to = "v2" }: { to?: SchemaVersion } = {}): Promise<void> {
  await runner({ ...options, databaseUrl, direction: "up", count: LAST_MIGRATION[to] });
}

/** Runs the down migrations of every migration after the given schema version's last one. */
export async function rollback(databaseUrl: string, { to }: { to: SchemaVersion }): Promise<void> {
  await runner({ ...options, databaseUrl, direction: "down", count: LAST_MIGRATION[to] + 1 });
}

await migrateWhenRunAsCommand(import.meta.url, { migrate, rollback });
