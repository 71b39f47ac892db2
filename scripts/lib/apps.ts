import { execSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { AppModule } from "@arena/api";
import type { AppManifest, DiscoveredApp } from "@arena/manifest";
import { migrateByManifest } from "@arena/testkit/app-process";
import { findPython } from "../python/python.mjs";

export {
  type AppManifest,
  baselineOf,
  type DiscoveredApp,
  discoverApps,
  findBaseline,
  repoRoot,
} from "@arena/manifest";

/**
 * The apps a tool that loads or builds apps as TypeScript (their modules, or `dist/main.js`) can
 * run; apps in another language are left out with one line saying so (they are tested by URL,
 * through their manifests; the bench, the comparison and the migration report take every language already).
 */
export function inProcessApps<T extends DiscoveredApp>(apps: T[], tool: string): T[] {
  const others = apps.filter((app) => app.manifest.language !== "typescript");
  if (others.length > 0) {
    const names = others.map((app) => `${app.manifest.name} (${app.manifest.language})`).join(", ");
    console.warn(`${tool}: skipped ${names}: this tool runs TypeScript apps only (for now)`);
  }
  return apps.filter((app) => app.manifest.language === "typescript");
}

/**
 * The apps whose runtime this machine has, decided before anything is built; the others are left
 * out with one line saying why (the Python apps without a python3 their .venv can be built with).
 */
export function runnableApps<T extends DiscoveredApp>(apps: T[], tool: string): T[] {
  const missing = new Map<string, string[]>();
  const runnable = apps.filter((app) => {
    const reason = missingRuntimeOf(app.manifest);
    if (reason) missing.set(reason, [...(missing.get(reason) ?? []), app.manifest.name]);
    return reason === null;
  });
  for (const [reason, names] of missing) console.warn(`${tool}: skipped ${names.join(", ")}: ${reason}`);
  return runnable;
}

/** Why an app's runtime is not on this machine, or null. */
function missingRuntimeOf(manifest: AppManifest): string | null {
  if (manifest.runtime === "python") return findPython().reason ?? null;
  return null;
}

/**
 * Only the app's `migrate` (`src/migrate.ts`), without its store: for schema checks, which then
 * need no ORM client generated first (Prisma's). An app in another language migrates through its
 * manifest's migrate command (its own tool), after its environment is built.
 */
export async function loadMigrate(app: DiscoveredApp): Promise<AppModule["migrate"]> {
  if (app.manifest.language !== "typescript") {
    buildEnvironment(app);
    return (databaseUrl, options = {}) => migrateByManifest(app, databaseUrl, options.to ? { to: options.to } : {});
  }
  const module = (await import(pathToFileURL(join(app.dir, "src", "migrate.ts")).href)) as Pick<AppModule, "migrate">;
  return module.migrate;
}

/** Runs the app's build command (for a Python app: its .venv, at once when up to date). */
export function buildEnvironment(app: DiscoveredApp): void {
  execSync(app.manifest.commands.build, { cwd: app.dir, stdio: ["ignore", "ignore", "inherit"] });
}

/** The app's module (`src/app.ts`): its store factory and migrate function. */
export async function loadAppModule(app: DiscoveredApp): Promise<AppModule> {
  const module = (await import(pathToFileURL(join(app.dir, "src", "app.ts")).href)) as { app: AppModule };
  return module.app;
}
