import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { AppModule } from "@arena/api";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** An app's `arena.json`: what scripts know of it, instead of hard-coded names. */
export interface AppManifest {
  name: string;
  title: string;
  orm: string;
  version: string;
  pattern: "raw" | "query builder" | "data mapper" | "active record" | "schema-first";
  packages: Record<string, string>;
  migrations: {
    tool: string;
    toolVersion: string;
    directory: string;
    generated: boolean;
    apply: string;
    create: string;
  };
  rawSqlEscapeHatches: number;
  /**
   * Which of the app's files are which layer, by path or folder prefix (relative to the app), for
   * the comparison report's lines of code and `npm run diff`. Files in no layer are config and glue.
   */
  layers: {
    schema: string[];
    store: string[];
    migrations: string[];
    /** Code that exists only to work around this machine (Prisma's missing schema engine). */
    workaround?: string[];
    /** ORM setup files shown with `src/db.ts` by `npm run diff` (they stay config and glue in counts). */
    config?: string[];
  };
  /** The ORM's admin interface and how it is started, or why there is none. */
  adminInterface: string;
}

export interface DiscoveredApp {
  dir: string;
  manifest: AppManifest;
}

/** Every folder of `apps/` with an `arena.json`, the `pg` baseline first. */
export async function discoverApps(only?: string[]): Promise<DiscoveredApp[]> {
  const appsDir = join(repoRoot, "apps");
  const found: DiscoveredApp[] = [];
  for (const entry of await readdir(appsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(appsDir, entry.name);
    const manifest = JSON.parse(
      await readFile(join(dir, "arena.json"), "utf8").catch(() => "null"),
    ) as AppManifest | null;
    if (manifest) found.push({ dir, manifest });
  }
  found.sort((a, b) =>
    a.manifest.name === "pg" ? -1 : b.manifest.name === "pg" ? 1 : a.manifest.name.localeCompare(b.manifest.name),
  );
  if (!only || only.length === 0) return found;
  const unknown = only.filter((name) => !found.some((app) => app.manifest.name === name));
  if (unknown.length > 0)
    throw new Error(`unknown app(s): ${unknown.join(", ")}; known: ${found.map((a) => a.manifest.name).join(", ")}`);
  return found.filter((app) => only.includes(app.manifest.name));
}

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
