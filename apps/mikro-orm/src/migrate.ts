import { pathToFileURL } from "node:url";
import { createOrm } from "./db.js";

/** Applies the pending migrations of `src/migrations/` with MikroORM's migrator. */
export async function migrate(databaseUrl: string): Promise<void> {
  const orm = await createOrm({ databaseUrl, poolMax: 1 });
  try {
    await orm.getMigrator().up();
  } finally {
    await orm.close();
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
