import { fileURLToPath, pathToFileURL } from "node:url";
import type { SchemaVersion } from "@arena/api";
import { migrateWhenRunAsCommand } from "@arena/api/migrate-command";
import type { QueryInterface, Sequelize } from "sequelize";
import { type MigrationFn, SequelizeStorage, Umzug } from "umzug";
import { createSequelize } from "./db.js";

const MIGRATIONS_DIR = fileURLToPath(new URL("../migrations", import.meta.url));

/** The migrations of each schema version, in order, by their umzug names (the file names). */
const MIGRATIONS: Record<SchemaVersion, [string, ...string[]]> = {
  v1: ["20241124000000-canonical-schema.js"],
  v2: ["20251125000000-v2-content-reading-minutes-email-lower.js"],
};
const VERSIONS = Object.keys(MIGRATIONS) as SchemaVersion[];

interface MigrationModule {
  up: MigrationFn<QueryInterface>;
  down: MigrationFn<QueryInterface>;
}

/**
 * Umzug over `migrations/*.js`, recording applied migrations in `SequelizeMeta`. The migrations
 * are ES modules, which umzug's default resolver would `require()`, so they are imported here.
 */
export function createMigrator(sequelize: Sequelize): Umzug<QueryInterface> {
  return new Umzug({
    migrations: {
      glob: ["*.js", { cwd: MIGRATIONS_DIR }],
      resolve: ({ name, path, context }) => {
        const load = async () => (await import(pathToFileURL(path ?? name).href)) as MigrationModule;
        return {
          name,
          up: async () => (await load()).up({ name, path, context }),
          down: async () => (await load()).down({ name, path, context }),
        };
      },
    },
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: "SequelizeMeta" }),
    logger: undefined,
  });
}

/**
 * Runs `work` with a migrator over a one-connection Sequelize instance, closed afterwards. No
 * `statement_timeout` (0): the limit is the serving pool's, and a migration rewriting a large
 * table (v2's backfill) may rightly run longer than a request.
 */
async function withMigrator(databaseUrl: string, work: (migrator: Umzug<QueryInterface>) => Promise<unknown>) {
  const sequelize = createSequelize({ databaseUrl, poolMax: 1, statementTimeoutMs: 0 });
  try {
    await work(createMigrator(sequelize));
  } finally {
    await sequelize.close();
  }
}

/** umzug's `up({ to })` and `down({ to })` throw for a name that is not pending or not executed. */
async function isExecuted(migrator: Umzug<QueryInterface>, name: string): Promise<boolean> {
  return (await migrator.executed()).some((migration) => migration.name === name);
}

/**
 * Applies the pending migrations of `migrations/` with umzug: all of them, or, with `to`, those up
 * to and including the last one of that schema version (umzug's `up({ to })`).
 */
export async function migrate(databaseUrl: string, { to }: { to?: SchemaVersion } = {}): Promise<void> {
  await withMigrator(databaseUrl, async (migrator) => {
    if (to === undefined) return migrator.up();
    const last = MIGRATIONS[to].at(-1) as string;
    if (!(await isExecuted(migrator, last))) await migrator.up({ to: last });
  });
}

/**
 * Reverts, with their `down`, the migrations applied after schema version `to`: umzug's
 * `down({ to })` reverts the executed migrations, newest first, down to and including the one
 * named, here the first migration of the version after `to`.
 */
export async function rollback(databaseUrl: string, { to }: { to: SchemaVersion }): Promise<void> {
  const next = VERSIONS[VERSIONS.indexOf(to) + 1];
  if (next === undefined) return;
  const first = MIGRATIONS[next][0];
  await withMigrator(databaseUrl, async (migrator) => {
    if (await isExecuted(migrator, first)) await migrator.down({ to: first });
  });
}

await migrateWhenRunAsCommand(import.meta.url, { migrate, rollback });
