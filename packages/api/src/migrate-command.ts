import { pathToFileURL } from "node:url";
import type { AppModule } from "./app-module.js";

/**
 * The tail of every app's `src/migrate.ts`: when that module is the script Node was started with
 * (`node dist/migrate.js`, the manifest's migrate command), migrate DATABASE_URL with the app's
 * `migrate`. Imported as a module (by tests and scripts), it does nothing.
 */
export async function migrateWhenRunAsCommand(moduleUrl: string, migrate: AppModule["migrate"]): Promise<void> {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? "").href) return;
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is required: the database to migrate");
    process.exit(1);
  }
  await migrate(url);
  console.log("migrated");
}
