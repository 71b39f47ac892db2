import { fileURLToPath, pathToFileURL } from "node:url";
import type { QueryInterface, Sequelize } from "sequelize";
import { type MigrationFn, SequelizeStorage, Umzug } from "umzug";
import { createSequelize } from "./db.js";

const MIGRATIONS_DIR = fileURLToPath(new URL("../migrations", import.meta.url));

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

/** Applies the pending migrations of `migrations/` with umzug. */
export async function migrate(databaseUrl: string): Promise<void> {
  const sequelize = createSequelize({ databaseUrl, poolMax: 1 });
  try {
    await createMigrator(sequelize).up();
  } finally {
    await sequelize.close();
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
