import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { SchemaVersion } from "@arena/api";
import { migrateWhenRunAsCommand } from "@arena/api/migrate-command";
import { applyMigrations, unappliedMigrations } from "./prisma-migrations.js";
import { findSchemaEngine, prismaCliPath } from "./schema-engine.js";

const APP_DIR = fileURLToPath(new URL("..", import.meta.url));
const MIGRATIONS_DIR = fileURLToPath(new URL("../prisma/migrations", import.meta.url));

/** The last migration folder of each schema version (docs/migrations.md); the latest is all of them. */
const LAST_MIGRATION: Record<SchemaVersion, string> = {
  v1: "20261123210500_timestamp_defaults_now",
  v2: "20261123231820_v2_content_reading_minutes_email_lower",
};
const LATEST: SchemaVersion = "v2";

/**
 * Applies `prisma/migrations` with Prisma Migrate: `prisma migrate deploy` (Prisma has no
 * programmatic migrate API, so the CLI runs as a child process) when its schema engine is
 * installed; otherwise the same folder is applied with the same `_prisma_migrations` bookkeeping
 * (`prisma-migrations.ts`), so that a real `migrate deploy` later accepts the history.
 *
 * With `to`, only the migrations up to that schema version's last one. `migrate deploy` has no
 * target (it applies every folder), so an earlier version always goes through the engine-free
 * path, whose history a later `migrate deploy` continues. Prisma Migrate has no down migrations.
 */
export async function migrate(databaseUrl: string, { to = LATEST }: { to?: SchemaVersion } = {}): Promise<void> {
  if (to !== LATEST) {
    await applyMigrations(databaseUrl, MIGRATIONS_DIR, { upTo: LAST_MIGRATION[to] });
    return;
  }
  const cli = prismaCliPath();
  const engine = cli && findSchemaEngine();
  if (cli && engine) await migrateDeploy(cli, engine, databaseUrl);
  else await applyMigrations(databaseUrl, MIGRATIONS_DIR);
}

async function migrateDeploy(cli: string, engine: string, databaseUrl: string): Promise<void> {
  await promisify(execFile)(process.execPath, [cli, "migrate", "deploy"], {
    cwd: APP_DIR,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_SCHEMA_ENGINE_BINARY: engine },
  });
  // An engine that exits 0 without doing its work (a stub, a broken install) must not pass unseen.
  const missing = await unappliedMigrations(databaseUrl, MIGRATIONS_DIR);
  if (missing.length > 0) {
    throw new Error(`prisma migrate deploy succeeded but did not apply: ${missing.join(", ")}`);
  }
}

await migrateWhenRunAsCommand(import.meta.url, { migrate });
