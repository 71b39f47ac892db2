import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The repository's root folder (this file is packages/manifest/src/index.ts), or ARENA_ROOT: a
 * copy of the repository whose apps/ the tools should read instead (the add-an-app test).
 */
export const repoRoot = process.env.ARENA_ROOT ?? fileURLToPath(new URL("../../..", import.meta.url));

/** A language the arena has apps in; each has its own baseline app. */
export type Language = "typescript" | "python";

/** Facts of the app's schema v2 migration, for the migration report (docs/migrations.md). */
export interface V2MigrationFacts {
  files: string[];
  origin: "generated" | "hand-written" | "reconstructed";
  generateCommand: string | null;
  renameDetected: boolean | null;
  expressionIndexInSchema: boolean;
  /**
   * Whether the tool has down migrations: "tested" when the app's migrate command takes
   * `--rollback --to <version>` (the upgrade suite runs it), "not supported" when the tool has none.
   */
  downMigrations: "tested" | "not supported";
  notes: string;
  watchFor: string;
}

/** One row of the migration report (docs/migrations.json, `npm run migrations-report`). */
export interface MigrationRow {
  app: string;
  tool: string;
  toolVersion: string;
  command: string | null;
  origin: "generated" | "hand-written" | "reconstructed";
  renameDetected: boolean | null;
  expressionIndexInSchema: boolean;
  downMigrations: string;
  downTested: boolean;
  /** Lines of the v2 migration as the tool wrote it (0 when written by hand). */
  linesGenerated: number;
  /** Lines added plus lines removed by hand after the tool's commit (all lines when hand-written). */
  linesByHand: number;
  /**
   * Median over ROUNDS of the time `migrate` takes on an empty database, v1 and v2 together: in
   * process for a TypeScript app, its manifest's migrate command as a process (interpreter start
   * included) for an app of another language.
   */
  migrateEmptyToV2Ms: number;
  generatedCommit: string | null;
  fixCommit: string | null;
  notes: string;
  watchFor: string;
}

/**
 * An app's `arena.json`: everything particular to one app that the shared tools (tests, bench,
 * reports, docker) need, so that none of them names an app. Adding an app is adding a folder.
 */
export interface AppManifest {
  name: string;
  title: string;
  orm: string;
  version: string;
  pattern: "raw" | "query builder" | "data mapper" | "active record" | "schema-first";
  /** The language the app is written in; every language has exactly one baseline app. */
  language: Language;
  /** True for the raw-driver app every other app of its language is compared with. */
  baseline: boolean;
  /** What runs the app (its version comes from the repository's toolchain). */
  runtime: "node" | "python";
  /** The packages the app's comparison is about, pinned exactly. */
  packages: Record<string, string>;
  /**
   * Shell commands, run in the app's folder. `migrate` migrates DATABASE_URL with the app's own
   * tool: all migrations, or with `--to v1|v2` those up to that schema version, or with
   * `--rollback --to v1|v2` the down migrations back to it (exit code 3 when the tool has none);
   * `start` serves on PORT from DATABASE_URL (and the rest of the shared environment) until
   * SIGTERM. The `FromSource` pair does the same without a build step, for tests that start the
   * app as a process (the suites' by-URL path). docs/architecture.md has the whole contract.
   */
  commands: {
    build: string;
    start: string;
    migrate: string;
    startFromSource: string;
    migrateFromSource: string;
    /**
     * What must run before the app's source can be loaded at all, when its tool generates code
     * the source imports (Prisma's client): tools that load the source in-process run it first.
     */
    prepareSource?: string;
  };
  migrations: {
    tool: string;
    toolVersion: string;
    directory: string;
    generated: boolean;
    apply: string;
    create: string;
    /** The tables the migration tool keeps its own history in: listed, never compared. */
    historyTables: string[];
    v2: V2MigrationFacts;
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
  /** Apps this one is put side by side with in docs/compare/ (`npm run diff -- --write`). */
  sideBySide?: string[];
  /** docker/compose.yaml (generated by `npm run compose`): the host port the app's service publishes. */
  docker: { port: number };
  /**
   * Where the app stays behind its language's baseline after expert tuning (#19), and why: the
   * ORM's CPU per request, statements the ORM requires, or a SQL shape its API cannot express.
   */
  declaredGaps?: DeclaredGap[];
}

/** One remaining gap to the baseline that the ORM itself causes, with the figures that show it. */
export interface DeclaredGap {
  /** One endpoint or several, comma-separated, e.g. `GET /api/articles?author=`. */
  endpoint: string;
  /**
   * The load comparison's scenarios (`SCENARIOS` of @arena/bench, e.g. `articles-deep`, `feed`)
   * whose cells this gap explains: the comparison prints the gap beside each of those cells that
   * falls below 0.8 of the baseline.
   */
  scenarios: string[];
  cause: "cpu" | "statements" | "shape";
  why: string;
  /**
   * For a `shape` or `statements` gap that the buffer guard of `npm test` would otherwise refuse: the most shared
   * buffers per request the endpoint may touch, as a multiple of its language's baseline's, on the
   * guard's data set (the figure the guard measured, rounded up). The guard allows 1.5 otherwise.
   */
  buffersRatio?: number;
}

export interface DiscoveredApp {
  dir: string;
  manifest: AppManifest;
}

/** Reads `arena.json` of the app folder `dir`, or `null` when the folder has none. */
export async function readManifest(dir: string): Promise<AppManifest | null> {
  const text = await readFile(join(dir, "arena.json"), "utf8").catch(() => null);
  return text === null ? null : (JSON.parse(text) as AppManifest);
}

/**
 * Every folder of `apps/` with an `arena.json`, baselines first, then by name. With `only`, those
 * apps (an unknown name is an error).
 */
export async function discoverApps(only?: string[], root = repoRoot): Promise<DiscoveredApp[]> {
  const appsDir = join(root, "apps");
  const found: DiscoveredApp[] = [];
  for (const entry of await readdir(appsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(appsDir, entry.name);
    const manifest = await readManifest(dir);
    if (manifest) found.push({ dir, manifest });
  }
  found.sort(
    (a, b) =>
      Number(b.manifest.baseline) - Number(a.manifest.baseline) || a.manifest.name.localeCompare(b.manifest.name),
  );
  if (!only || only.length === 0) return found;
  const unknown = only.filter((name) => !found.some((app) => app.manifest.name === name));
  if (unknown.length > 0)
    throw new Error(`unknown app(s): ${unknown.join(", ")}; known: ${found.map((a) => a.manifest.name).join(", ")}`);
  return found.filter((app) => only.includes(app.manifest.name));
}

/** The baseline app of `language` among `apps`. */
export function baselineOf<T extends { manifest: AppManifest }>(apps: T[], language: Language = "typescript"): T {
  const baseline = apps.find((app) => app.manifest.baseline && app.manifest.language === language);
  if (!baseline) throw new Error(`no app of ${language} has "baseline": true in its arena.json`);
  return baseline;
}

/** The baseline app of `language` in the repository (read from the manifests). */
export async function findBaseline(language: Language = "typescript", root = repoRoot): Promise<DiscoveredApp> {
  return baselineOf(await discoverApps(undefined, root), language);
}

/** True when the app's migration tool has down migrations (its migrate command takes `--rollback`). */
export function hasDownMigrations(manifest: AppManifest): boolean {
  return manifest.migrations.v2.downMigrations === "tested";
}

/** Every migration tool's history tables, from every manifest: listed by schema checks, not compared. */
export async function historyTables(root = repoRoot): Promise<string[]> {
  const apps = await discoverApps(undefined, root);
  return [...new Set(apps.flatMap((app) => app.manifest.migrations.historyTables))];
}

export {
  type Pitfall,
  type PitfallFigures,
  pitfallProblems,
  readPitfalls,
  TRAPS,
  type TrapId,
} from "./pitfalls.js";
export { filesOf, pathOf, ROLE_TITLES, ROLES, type Role, trackedFiles } from "./roles.js";
