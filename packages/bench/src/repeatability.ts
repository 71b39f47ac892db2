import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { type BenchResults, NODE_BASELINE_LANGUAGE } from "./runner.js";
import { median } from "./stats.js";

/** A run's results.json, given its folder or the file itself. */
export async function readRun(path: string): Promise<BenchResults & { command?: string }> {
  const file = (await stat(path)).isDirectory() ? join(path, "results.json") : path;
  return withRatioToBaseline(JSON.parse(await readFile(file, "utf8")) as BenchResults & { command?: string });
}

/**
 * Results written before the field was renamed call the ratio `ratioToPg` (pg was the only
 * baseline): read it as `ratioToBaseline`, so older runs (docs/benchmarks/latest) still report.
 */
export function withRatioToBaseline<T extends { cells: object[] }>(run: T): T {
  for (const cell of run.cells as { ratioToBaseline?: number | null; ratioToPg?: number | null }[]) {
    if (cell.ratioToBaseline === undefined && cell.ratioToPg !== undefined) {
      cell.ratioToBaseline = cell.ratioToPg;
      delete cell.ratioToPg;
    }
  }
  return run;
}

export interface RatioChange {
  app: string;
  /** A scenario, or "all scenarios" for the geometric mean of an app's ratios. */
  scenario: string;
  first: number;
  second: number;
  /** second / first - 1. */
  change: number;
}

export interface RunComparison {
  cells: RatioChange[];
  /** Per app: the geometric mean of its ratios to its baseline over the scenarios both runs measured. */
  apps: RatioChange[];
  tolerance: number;
  /** Cells whose ratio moved by more than the tolerance. */
  outside: RatioChange[];
}

/**
 * How far two runs' ratios to their language's baseline are apart, cell by cell and per app: the
 * repeatability check of the load comparison ("two default runs in a row agree within 10%").
 */
export function compareRuns(first: BenchResults, second: BenchResults, tolerance = 0.1): RunComparison {
  const ratio = (results: BenchResults, app: string, scenario: string) =>
    results.cells.find((cell) => cell.app === app && cell.scenario === scenario && cell.failures.length === 0)
      ?.ratioToBaseline ?? null;
  const cells: RatioChange[] = [];
  // Every language's baseline is 1 against itself: nothing to compare.
  const baselines = new Set([
    baselineOf(first),
    ...(first.apps ?? []).filter((app) => app.baseline).map((app) => app.name),
  ]);
  for (const cell of first.cells) {
    if (baselines.has(cell.app)) continue;
    const a = ratio(first, cell.app, cell.scenario);
    const b = ratio(second, cell.app, cell.scenario);
    if (a === null || b === null || a <= 0 || b <= 0) continue;
    cells.push({ app: cell.app, scenario: cell.scenario, first: a, second: b, change: b / a - 1 });
  }
  const apps = [...new Set(cells.map((cell) => cell.app))].map((app) => {
    const own = cells.filter((cell) => cell.app === app);
    const a = geometricMean(own.map((cell) => cell.first));
    const b = geometricMean(own.map((cell) => cell.second));
    return { app, scenario: "all scenarios", first: a, second: b, change: b / a - 1 };
  });
  return { cells, apps, tolerance, outside: cells.filter((cell) => Math.abs(cell.change) > tolerance) };
}

/**
 * The Node baseline of a run, which paces the machine in a run's label: the app its manifest marked
 * as the baseline of the TypeScript language, or, in results written before runs recorded that, the
 * app whose every ratio is exactly 1.
 */
export function baselineOf(run: BenchResults): string | undefined {
  const marked = run.apps?.find(
    (app) => app.baseline && (app.language ?? NODE_BASELINE_LANGUAGE) === NODE_BASELINE_LANGUAGE,
  )?.name;
  if (marked) return marked;
  const names = [...new Set(run.cells.map((cell) => cell.app))];
  return names.find((name) =>
    run.cells.filter((cell) => cell.app === name).every((cell) => cell.ratioToBaseline === 1),
  );
}

function geometricMean(values: number[]): number {
  return Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);
}

/** How a run is named in a comparison: when, the command, and the baseline's own mixed throughput (the machine's pace). */
export function runLabel(run: BenchResults & { command?: string }): string {
  const baseline = baselineOf(run);
  const mixed = run.cells.find((cell) => cell.app === baseline && cell.scenario === "mixed")?.medianRps;
  return `${run.startedAt} (\`${run.command ?? "npm run bench"}\`${mixed ? `, ${baseline} mixed ${Math.round(mixed)} req/s` : ""})`;
}

/**
 * The comparison as Markdown: the summary, the per-app means, then every cell outside the
 * tolerance. `level` is the heading level of its title (2 inside another page).
 */
export function comparisonReport(
  comparison: RunComparison,
  firstLabel: string,
  secondLabel: string,
  level = 1,
): string {
  const title = "#".repeat(level);
  const section = "#".repeat(level + 1);
  const percent = (value: number) => `${value >= 0 ? "+" : ""}${(value * 100).toFixed(1)}%`;
  const row = (change: RatioChange) =>
    `| ${change.app} | ${change.scenario} | ${change.first.toFixed(2)} | ${change.second.toFixed(2)} | ${percent(change.change)} |`;
  const head = ["| app | scenario | first | second | change |", "| --- | --- | ---: | ---: | ---: |"];
  const within = comparison.cells.length - comparison.outside.length;
  const medianChange = comparison.cells.length ? median(comparison.cells.map((cell) => Math.abs(cell.change))) : 0;
  return [
    `${title} Repeatability: ratio to the language's baseline, two runs`,
    "",
    `First: ${firstLabel}. Second: ${secondLabel}.`,
    "",
    `${within} of ${comparison.cells.length} cells within ±${Math.round(comparison.tolerance * 100)}%; median absolute change ${(medianChange * 100).toFixed(1)}%.`,
    "",
    `${section} Per app (geometric mean over scenarios)`,
    "",
    ...head,
    ...comparison.apps.map(row),
    "",
    `${section} Cells outside ±${Math.round(comparison.tolerance * 100)}%`,
    "",
    ...(comparison.outside.length ? [...head, ...comparison.outside.map(row)] : ["None."]),
    "",
  ].join("\n");
}
