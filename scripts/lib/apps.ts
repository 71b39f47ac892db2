import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { AppModule } from "@arena/api";
import type { DiscoveredApp } from "@arena/manifest";

export {
  type AppManifest,
  baselineOf,
  type DiscoveredApp,
  discoverApps,
  findBaseline,
  repoRoot,
} from "@arena/manifest";

/**
 * Only the app's `migrate` (`src/migrate.ts`), without its store: for schema checks, which then
 * need no ORM client generated first (Prisma's).
 */
export async function loadMigrate(app: DiscoveredApp): Promise<AppModule["migrate"]> {
  const module = (await import(pathToFileURL(join(app.dir, "src", "migrate.ts")).href)) as Pick<AppModule, "migrate">;
  return module.migrate;
}

/** The app's module (`src/app.ts`): its store factory and migrate function. */
export async function loadAppModule(app: DiscoveredApp): Promise<AppModule> {
  const module = (await import(pathToFileURL(join(app.dir, "src", "app.ts")).href)) as { app: AppModule };
  return module.app;
}
