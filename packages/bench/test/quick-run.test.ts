import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { hasStatementAccounting, STATEMENT_ACCOUNTING_SETTINGS, startEmbeddedServer } from "@arena/database";
import { discoverApps } from "@arena/manifest";
import { expect, it } from "vitest";
import type { BenchResults } from "../src/index.js";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

// `npm run bench -- --quick` end to end over every scenario, every TypeScript app, and of each other
// language its baseline and one ORM app (the first by name): enough to prove that path, both ratios
// included, while each further app would add some 20 s to the critical path of `npm test`. It
// asserts that every cell produced only successful responses and an interval of both ratios, that
// the database work columns were measured, and that the reports were written, never a speed. Without python3 the bench skips the
// Python apps in one line, and the rest is checked as before.
/** Every TypeScript app; of any other language, its baseline and its first other app. */
async function quickApps(): Promise<string[]> {
  const apps = await discoverApps();
  return apps
    .filter(({ manifest }) => {
      if (manifest.language === "typescript" || manifest.baseline) return true;
      const first = apps.find((other) => other.manifest.language === manifest.language && !other.manifest.baseline);
      return first?.manifest.name === manifest.name;
    })
    .map(({ manifest }) => manifest.name);
}

it("npm run bench -- --quick runs every scenario without an error response", async () => {
  const out = await mkdtemp(join(tmpdir(), "arena-bench-"));
  const apps = await quickApps();
  // The test run's server loads pg_stat_statements; a DATABASE_URL that does not gets a server that does.
  const shared = process.env.DATABASE_URL;
  const own =
    shared && (await hasStatementAccounting(shared))
      ? undefined
      : await startEmbeddedServer({ settings: { ...STATEMENT_ACCOUNTING_SETTINGS } });
  try {
    const run = spawnSync("npm", ["run", "bench", "--", "--quick", "--apps", apps.join(","), "--out", out], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, FORCE_COLOR: "0", ...(own ? { DATABASE_URL: own.url } : {}) },
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const results = JSON.parse(await readFile(join(out, "results.json"), "utf8")) as BenchResults;
    expect(results.failures).toEqual([]);
    expect(results.apps.map((app) => app.name)).toContain("pg");
    // The bench, and every TypeScript app it spawned (as each app reports it), ran on the Node these tests run on.
    expect(results.environment.node).toBe(process.version);
    for (const app of results.apps.filter((each) => each.language === "typescript")) {
      expect(app.node, app.name).toBe(process.version);
    }
    // Every language in the run has its baseline in it; each cell names the two it is divided by.
    const baselines = new Map(results.apps.filter((app) => app.baseline).map((app) => [app.language, app.name]));
    const languageOf = new Map(results.apps.map((app) => [app.name, app.language]));
    const scenarios = new Set(results.cells.map((cell) => cell.scenario));
    expect(scenarios.size).toBeGreaterThanOrEqual(14);
    for (const cell of results.cells) {
      expect(cell.failures, `${cell.app} ${cell.scenario}`).toEqual([]);
      expect(cell.latencyFailures, `${cell.app} ${cell.scenario} latency`).toEqual([]);
      expect(cell.rounds.length, `${cell.app} ${cell.scenario}`).toBe(results.settings.rounds);
      expect(cell.baseline, `${cell.app}`).toBe(baselines.get(languageOf.get(cell.app) ?? ""));
      expect(cell.nodeBaseline).toBe(baselines.get("typescript"));
      expect(cell.ratioToBaseline, `${cell.app} ${cell.scenario}`).toBeGreaterThan(0);
      expect(cell.ratioToNodeBaseline, `${cell.app} ${cell.scenario}`).toBeGreaterThan(0);
      // Two rounds give every cell a 95% interval of both ratios (wide ones: this checks the path, not a speed).
      for (const interval of [cell.ratioInterval, cell.ratioToNodeBaselineInterval]) {
        expect(interval, `${cell.app} ${cell.scenario}: no interval`).toHaveLength(2);
        const [low, high] = interval ?? [0, 0];
        expect(low, `${cell.app} ${cell.scenario}`).toBeGreaterThan(0);
        expect(high, `${cell.app} ${cell.scenario}`).toBeGreaterThanOrEqual(low);
      }
      // Counted in-app where the app counts (the TypeScript apps); PostgreSQL counts them below for all.
      if (cell.statementsPerRequest !== null) {
        expect(cell.statementsPerRequest, `${cell.app} ${cell.scenario}`).toBeGreaterThan(0);
      }
      // PostgreSQL's own accounting: every request runs at least one statement that returns or
      // writes a row and touches a page.
      const work = cell.databaseWork;
      expect(work, `${cell.app} ${cell.scenario}: database work not measured`).not.toBeNull();
      expect(work?.statements, `${cell.app} ${cell.scenario}`).toBeGreaterThan(0);
      expect(work?.rows, `${cell.app} ${cell.scenario}`).toBeGreaterThan(0);
      expect((work?.sharedBlksHit ?? 0) + (work?.sharedBlksRead ?? 0), `${cell.app} ${cell.scenario}`).toBeGreaterThan(
        0,
      );
      expect(work?.execMs, `${cell.app} ${cell.scenario}`).toBeGreaterThan(0);
    }
    expect(results.settings.rounds).toBeGreaterThanOrEqual(2);
    expect(Number.isSafeInteger(results.settings.seed)).toBe(true);
    for (const app of results.apps) expect(app.dir, app.name).toBe(`apps/${app.name}`);
    expect(await readFile(join(out, "results.md"), "utf8")).toContain("## Database work per request");
    // Open loop at the fixed rate: every request on the schedule was answered and is one sample.
    const latencyCells = results.cells.filter((cell) => cell.latency);
    expect(latencyCells.length).toBeGreaterThan(0);
    for (const { app, scenario, latency } of latencyCells) {
      const scheduled = Math.round((latency?.targetRate ?? 0) * results.settings.latencySeconds);
      expect(latency?.samples, `${app} ${scenario}`).toBe(Math.max(1, scheduled));
      expect(latency?.achievedRate, `${app} ${scenario}`).toBeGreaterThan(0);
    }
    expect(await readFile(join(out, "results.md"), "utf8")).toContain("## Machine drift");
    expect(results.cells.length).toBe(results.apps.length * scenarios.size);
    // On Linux with 2+ CPUs the load generator and the apps run on separate CPUs. The database is
    // the test's own server here (DATABASE_URL), which the bench does not own and so does not pin.
    if (process.platform === "linux" && cpus().length >= 2) {
      expect(results.placement.cpus).toMatchObject({
        loadGenerator: "0",
        server: cpus().length === 2 ? "1" : `1-${cpus().length - 1}`,
      });
    }
    const report = await readFile(join(out, "results.md"), "utf8");
    const multiLanguage = baselines.size > 1;
    if (multiLanguage) expect(report).toContain("what the whole stack costs");
    expect(report).toContain("what the ORM costs");
    expect(report).toMatch(/ms \(\d+\.\d\/\d+ req\/s, \d+ samples/);
    for (const file of ["results.md", "throughput-ratio.svg", "throughput-ratio-node.svg", "latency.svg"]) {
      expect((await readFile(join(out, file), "utf8")).length).toBeGreaterThan(100);
    }
  } finally {
    await rm(out, { recursive: true, force: true });
    await own?.stop();
  }
}, 600_000);
