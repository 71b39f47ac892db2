import { execFileSync } from "node:child_process";
import { join, relative } from "node:path";
import { type DiscoveredApp, repoRoot } from "./index.js";

/**
 * The parts every app has, each a set of its files: what `npm run diff` prints side by side and
 * the site's compare page shows (issues #10 and #22).
 */
export const ROLES = ["schema", "store", "migration", "config"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_TITLES: Record<Role, string> = {
  schema: "Schema or models",
  store: "Store: every query of the API",
  migration: "The v2 migration (as committed, after hand fixes)",
  config: "Configuration: pool, limits, ORM setup",
};

/** Every file git tracks under an app folder, relative to it. */
export function trackedFiles(app: DiscoveredApp): string[] {
  return execFileSync("git", ["ls-files"], { cwd: app.dir, encoding: "utf8" }).split("\n").filter(Boolean);
}

/**
 * The files of one role in one app, from its manifest (`layers`, `migrations.v2.files`), relative
 * to the app folder (a v2 migration may be another app's: the Python baseline runs apps/pg's SQL).
 */
export function filesOf(app: DiscoveredApp, role: Role): string[] {
  const { layers, migrations } = app.manifest;
  const tracked = trackedFiles(app);
  const under = (prefixes: string[]) =>
    tracked.filter((file) => prefixes.some((prefix) => file === prefix || file.startsWith(prefix)));
  switch (role) {
    case "schema":
      return under(layers.schema).filter((file) => !file.endsWith("/index.ts"));
    case "store":
      return under(layers.store);
    case "migration":
      return (migrations.v2?.files ?? [])
        .map((file) => relative(app.dir, join(repoRoot, file)))
        .filter((file) => !file.endsWith(".json") && !file.endsWith("/index.ts") && !file.endsWith("database.ts"));
    case "config":
      return under(["src/db.ts", ...(layers.config ?? [])]);
  }
}

/** A file of an app as the repository names it. */
export const pathOf = (app: DiscoveredApp, file: string) => relative(repoRoot, join(app.dir, file));
