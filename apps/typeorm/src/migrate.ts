import { pathToFileURL } from "node:url";
import { createDataSource } from "./db.js";

/** Applies the migrations of `src/migrations/` with TypeORM's migrator, all pending ones in one transaction. */
export async function migrate(databaseUrl: string): Promise<void> {
  const dataSource = await createDataSource({ databaseUrl, poolMax: 1 }).initialize();
  try {
    await dataSource.runMigrations({ transaction: "all" });
  } finally {
    await dataSource.destroy();
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
