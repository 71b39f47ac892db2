/**
 * The load comparison: every app found by its manifest, on a fresh database each (embedded
 * PostgreSQL, or the server of DATABASE_URL), the same data and the same request lists.
 *
 *   npm run bench                              # the full comparison (about 15 minutes on 2 cores)
 *   npm run bench -- --quick                   # every app and scenario end to end, in a few minutes
 *   npm run bench -- --quick --apps sqlalchemy # an app with its language's baseline and the Node baseline
 *   npm run bench -- --apps pg,drizzle --scenarios articles,feed --duration 5 --rounds 5
 *   npm run bench -- --workers 2                 # each app as a node:cluster of 2 workers
 *   npm run bench -- --target pg=http://10.0.0.5:3000 --target drizzle=http://10.0.0.5:3001
 *   npm run bench -- --quick --plan             # only print what would be measured (JSON)
 *   npm run bench -- --thorough                 # short rounds in batches until the intervals are ±5% (cap 60 min)
 *   npm run bench -- --thorough --apps kysely --scenarios articles,tags --max-minutes 3
 *
 * Options: --apps, --scenarios, --duration (s, the least window per round), --warmup (s, per app
 * and scenario), --settle (s, before each round's window), --no-pin (do not pin the load generator
 * to CPU 0 and the apps and embedded PostgreSQL to the other CPUs), --connections, --rate (req/s for the
 * latency runs; default half the slowest app's throughput), --latency-scenarios (default mixed,
 * articles, article), --latency-duration (s), --latency-samples (the least samples per latency cell: a
 * run at a low rate lasts longer than --latency-duration to reach it; default none), --rounds, --scale, --out (folder),
 * --quick, --no-build, --regenerate-requests, --publish (also write docs/benchmarks.md and
 * docs/benchmarks/latest/ from this run), --previous <run folder> (add how far this run's ratios to
 * pg moved from that run's: the repeatability check), --workers (processes per app, WORKERS; --connections
 * stays the total across them), --target name=url (an app already running elsewhere, repeatable
 * or comma-separated: not built, migrated or started here; it must serve the data set of this
 * --scale, see `npm run seed`, with JWT_SECRET=orm-arena-benchmark-secret and ARENA_SQL_COUNTER=1),
 * --target-db name=database-url (reset and seed that target's database before measuring),
 * --from <run folder> (measure nothing: report a recorded run again, its ratios and intervals
 * recomputed from its rounds by the current code; with --publish, publish it; with --previous,
 * compare it), --seed (of the random order of the scenarios in each pass and of the apps in each
 * round; default a new one per run, recorded in the results), --thorough (passes of 0.5 s rounds
 * added in batches of --batch-rounds, default 2, after a first batch of --rounds, default 4, until
 * each scenario's median interval half-width is under --target-width, default 0.05, or
 * --max-minutes, default 60, run out). Every preset measures in passes: the reads, then the
 * writes, each pass one round of every scenario of the group (see runPasses).
 * With only --target given, only the targets are measured. See docs/scaling.md.
 *
 * Apps of every language are measured (each started by its manifest's commands); an app whose runtime
 * this machine lacks (no python3) is skipped with one line. Each cell gets two ratios: to the baseline
 * of its own language (what the ORM costs) and to the Node baseline (what the whole stack costs).
 */
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import {
  type BenchApp,
  type BenchSettings,
  charts,
  compareRuns,
  comparisonReport,
  markdownReport,
  NODE_BASELINE_LANGUAGE,
  nominalSeconds,
  portableResults,
  readRun,
  runBench,
  runLabel,
  SCENARIOS,
  writeCommittedRequestLists,
} from "@arena/bench";
import type { Language } from "@arena/manifest";
import { baselineOf, type DiscoveredApp, discoverApps, repoRoot, runnableApps } from "./lib/apps.js";
import { formatWithBiome } from "./lib/format.js";

const { values } = parseArgs({
  options: {
    apps: { type: "string" },
    scenarios: { type: "string" },
    duration: { type: "string" },
    warmup: { type: "string" },
    settle: { type: "string" },
    "no-pin": { type: "boolean", default: false },
    previous: { type: "string" },
    from: { type: "string" },
    connections: { type: "string" },
    rate: { type: "string" },
    "latency-scenarios": { type: "string" },
    "latency-duration": { type: "string" },
    "latency-samples": { type: "string" },
    rounds: { type: "string" },
    scale: { type: "string" },
    out: { type: "string" },
    quick: { type: "boolean", default: false },
    publish: { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    "regenerate-requests": { type: "boolean", default: false },
    workers: { type: "string" },
    target: { type: "string", multiple: true },
    "target-db": { type: "string", multiple: true },
    plan: { type: "boolean", default: false },
    seed: { type: "string" },
    thorough: { type: "boolean", default: false },
    "max-minutes": { type: "string" },
    "batch-rounds": { type: "string" },
    "target-width": { type: "string" },
  },
});

if (values["regenerate-requests"]) {
  for (const file of await writeCommittedRequestLists()) console.log(`wrote ${relative(repoRoot, file)}`);
  process.exit(0);
}

const number = (raw: string | undefined, fallback: number, name: string) => {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got "${raw}"`);
  return value;
};
const list = (raw: string | undefined) =>
  raw
    ?.split(",")
    .map((item) => item.trim())
    .filter(Boolean);

const quick = values.quick;
const thorough = values.thorough;
if (quick && thorough) throw new Error("--quick and --thorough are two presets: choose one");
const whole = (value: number, name: string) => {
  if (!Number.isSafeInteger(value)) throw new Error(`--${name} must be a whole number, got "${value}"`);
  return value;
};
const settings: BenchSettings = {
  scenarios: list(values.scenarios) ?? SCENARIOS.map((scenario) => scenario.name),
  scale: number(values.scale, quick ? 0.02 : 1, "scale"),
  // The default windows are two thirds of what they were with seven apps, so eleven still take about 15 minutes.
  // --quick: two short rounds, the fewest that give every cell an interval, in about the time one round took.
  // --thorough: short windows, since more rounds narrow an interval more than longer ones.
  durationSeconds: number(values.duration, quick ? 0.2 : thorough ? 0.5 : 1, "duration"),
  // --quick checks that every cell answers, not how fast: a warm-up long enough to open the pool is enough.
  warmupSeconds: number(values.warmup, quick ? 0.1 : 0.4, "warmup"),
  settleSeconds: number(values.settle, quick ? 0.05 : 0.2, "settle"),
  connections: number(values.connections, 10, "connections"),
  rounds: whole(number(values.rounds, quick ? 2 : thorough ? 4 : 3, "rounds"), "rounds"),
  seed: whole(number(values.seed, randomInt(1, 2 ** 31), "seed"), "seed"),
  thorough: thorough
    ? {
        targetHalfWidth: number(values["target-width"], 0.05, "target-width"),
        maxMinutes: number(values["max-minutes"], 60, "max-minutes"),
        batchRounds: whole(number(values["batch-rounds"], 2, "batch-rounds"), "batch-rounds"),
      }
    : null,
  rate: values.rate === undefined ? undefined : number(values.rate, 1, "rate"),
  latencyScenarios:
    // --quick checks the latency path once (on the mixed scenario) rather than for every scenario.
    list(values["latency-scenarios"]) ?? (quick ? ["mixed"] : ["mixed", "articles", "article"]),
  latencySeconds: number(values["latency-duration"], quick ? 0.5 : 2, "latency-duration"),
  // --thorough: at least 1,000 samples per latency cell, so a p99 rests on ten or more (#20).
  latencySamples: number(values["latency-samples"], thorough ? 1000 : 0, "latency-samples"),
  poolMax: 10,
  statementTimeoutMs: 30_000,
  workers: number(values.workers, 1, "workers"),
  nodeFlags: [],
  pinCpus: !values["no-pin"],
};
if (!Number.isSafeInteger(settings.workers))
  throw new Error(`--workers must be a whole number, got "${values.workers}"`);
const unknownScenarios = settings.scenarios.filter((name) => !SCENARIOS.some((s) => s.name === name));
if (unknownScenarios.length > 0) {
  throw new Error(
    `unknown scenario(s): ${unknownScenarios.join(", ")}; known: ${SCENARIOS.map((s) => s.name).join(", ")}`,
  );
}

/** `name=value` pairs from repeated and comma-separated options. */
const pairs = (raw: string[] | undefined, option: string) =>
  new Map(
    (raw ?? [])
      .flatMap((item) => list(item) ?? [])
      .map((pair) => {
        const at = pair.indexOf("=");
        if (at < 1) throw new Error(`--${option} takes name=url, got "${pair}"`);
        return [pair.slice(0, at), pair.slice(at + 1)] as const;
      }),
  );
const targets = pairs(values.target, "target");
const targetDatabases = pairs(values["target-db"], "target-db");
for (const name of targetDatabases.keys()) {
  if (!targets.has(name)) throw new Error(`--target-db ${name}=... needs --target ${name}=<url>`);
}

// Each selected app's language baseline and the Node baseline join any selection of apps (both
// ratios need them), except a run of targets only: they would have to be started here, on another
// machine than the apps they are compared with.
const requested = list(values.apps);
const selected = requested || targets.size > 0 ? [...new Set([...(requested ?? []), ...targets.keys()])] : undefined;
const everyApp = await discoverApps();
const chosen = await discoverApps(selected);
const languages = new Set<Language>(["typescript", ...chosen.map((app) => app.manifest.language)]);
const baselines = requested ? [...languages].map((language) => baselineOf(everyApp, language)) : [];
const inRun = new Set([...baselines, ...chosen].map((app) => app.manifest.name));
// Apps of one language together, the Node baseline's first, each language's baseline first in it.
const languageRank = (app: DiscoveredApp) => (app.manifest.language === NODE_BASELINE_LANGUAGE ? 0 : 1);
const ordered = everyApp
  .filter((app) => inRun.has(app.manifest.name))
  .sort(
    (a, b) =>
      languageRank(a) - languageRank(b) ||
      a.manifest.language.localeCompare(b.manifest.language) ||
      Number(b.manifest.baseline) - Number(a.manifest.baseline),
  );
// A target runs elsewhere: this machine needs no runtime of its own for it.
const runnable = new Set(
  runnableApps(
    ordered.filter((app) => !targets.has(app.manifest.name)),
    "bench",
  ),
);
const discovered = ordered.filter((app) => targets.has(app.manifest.name) || runnable.has(app));
const apps: BenchApp[] = discovered.map(({ dir, manifest }) => {
  const url = targets.get(manifest.name);
  const databaseUrl = targetDatabases.get(manifest.name);
  return {
    name: manifest.name,
    title: manifest.title,
    dir,
    language: manifest.language,
    baseline: manifest.baseline,
    commands: { start: manifest.commands.start, migrate: manifest.commands.migrate },
    packages: manifest.packages,
    ...(url ? { target: { url, ...(databaseUrl ? { databaseUrl } : {}) } } : {}),
  };
});
const spawned = apps.filter((app) => !app.target);

// --plan: what this run would measure (apps found by their manifests, scenarios, settings) and the
// least time its measuring takes, as JSON.
if (values.plan) {
  const nominalMinutes = Math.round((nominalSeconds(apps.length, settings) / 60) * 10) / 10;
  // --thorough: the first batch is the least; more batches run until the intervals are narrow or maxMinutes is up.
  const maxMinutes = settings.thorough?.maxMinutes;
  console.log(JSON.stringify({ apps: apps.map((app) => app.name), nominalMinutes, maxMinutes, settings }, null, 2));
  process.exit(0);
}

// --from: a recorded run, reported again (ratios recomputed from its rounds by readRun); nothing is built or measured.
const recorded = values.from ? await readRun(values.from) : undefined;

if (!recorded && !values["no-build"] && spawned.length > 0) {
  const filters = spawned.flatMap((app) => ["--filter", `@arena/app-${app.name}`]);
  const build = spawnSync("npx", ["turbo", "run", "build", ...filters, "--output-logs=errors-only"], {
    cwd: repoRoot,
    stdio: "inherit",
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// Ctrl-C or a kill: exit through process.exit, whose handlers stop the apps and the embedded database.
process.once("SIGINT", () => process.exit(130));
process.once("SIGTERM", () => process.exit(143));

const tty = process.stdout.isTTY;
const startedAt = Date.now();
const progress = (message: string, step?: { done: number; total: number }) => {
  const elapsed = `${Math.round((Date.now() - startedAt) / 1000)}s`;
  const share = step ? ` ${Math.floor((step.done / step.total) * 100)}%` : "";
  // A message ending in a newline (a thorough batch's verdict) stays on screen.
  if (tty) process.stdout.write(`\r\x1b[2K[${elapsed}${share}] ${message}`);
  else console.log(`[${elapsed}${share}] ${message.trimEnd()}`);
};

// Passwords in --target-db URLs stay out of the recorded command; a recorded run keeps its own.
const command =
  recorded?.command ??
  `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`.replace(
    /(\/\/[^:/@\s]+:)[^@\s]+@/g,
    "$1***@",
  );
// Read before the run, so a wrong path fails in a second rather than after the whole comparison.
const previous = values.previous ? await readRun(values.previous) : undefined;
const results = recorded ?? (await runBench(apps, settings, progress));
if (tty) process.stdout.write("\n");

const out =
  values.out ??
  (values.from && !values.from.endsWith(".json")
    ? values.from
    : join(repoRoot, "results", results.startedAt.replaceAll(":", "-").replace(/\..*$/, "")));
await mkdir(out, { recursive: true });
const repeatability = previous
  ? comparisonReport(compareRuns(previous, results), runLabel(previous), runLabel({ command, ...results }), 2)
  : "";
const report = `${markdownReport(results, command)}${repeatability ? `\n${repeatability}` : ""}`;
const resultsJson = `${JSON.stringify({ command, ...portableResults(results, repoRoot) }, null, 2)}\n`;
await writeFile(join(out, "results.json"), resultsJson);
await writeFile(join(out, "results.md"), report);
for (const [file, svg] of Object.entries(await charts(results))) await writeFile(join(out, file), svg);

if (values.publish) {
  const published = join(repoRoot, "docs", "benchmarks", "latest");
  await mkdir(published, { recursive: true });
  await writeFile(join(published, "results.json"), resultsJson);
  await writeFile(join(published, "results.md"), report);
  for (const [file, svg] of Object.entries(await charts(results))) await writeFile(join(published, file), svg);
  // The run the repeatability section compares with, so anyone can check the comparison.
  if (previous) await writeFile(join(published, "previous-results.json"), `${JSON.stringify(previous, null, 2)}\n`);
  else await rm(join(published, "previous-results.json"), { force: true });
  await writeFile(join(repoRoot, "docs", "benchmarks.md"), benchmarksPage(report));
  formatWithBiome([join(repoRoot, "docs", "benchmarks.md"), join(published, "results.md")]);
  console.log("published to docs/benchmarks.md and docs/benchmarks/latest/");
}

console.log(`\n${report}`);
console.log(`Full results: ${relative(process.cwd(), out) || "."}/ (results.json, results.md, *.svg)`);
if (results.failures.length > 0) {
  console.error(`\n${results.failures.length} cell(s) failed:\n${results.failures.join("\n")}`);
  process.exit(1);
}
process.exit(0);

/**
 * docs/benchmarks.md: how the comparison works (scripts/templates/benchmarks.md, prose kept as
 * Markdown where it can be read and edited as such), then the latest published run.
 */
function benchmarksPage(report: string): string {
  const template = readFileSync(join(repoRoot, "scripts", "templates", "benchmarks.md"), "utf8");
  return template
    .replace(/^<!--.*-->\n\n/, "")
    .replace("{{latest run}}", () => report.replace(/^# Load comparison\n/, "").trim());
}
