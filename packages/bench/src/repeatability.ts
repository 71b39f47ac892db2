import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { formatRatio, geometricMean, halfWidth, type Interval } from "./intervals.js";
import { withCurrentFields } from "./results-file.js";
import { type BenchResults, NODE_BASELINE_LANGUAGE, withRecomputedRatios } from "./runner.js";
import { median } from "./stats.js";

/** A run's results.json, given its folder or the file itself, its ratios recomputed from its rounds. */
export async function readRun(path: string): Promise<BenchResults & { command?: string }> {
  const file = (await stat(path)).isDirectory() ? join(path, "results.json") : path;
  // Ratios as the current code defines them, from the recorded rounds (see withRecomputedRatios).
  return withRecomputedRatios(
    withCurrentFields(
      withRatioToBaseline(JSON.parse(await readFile(file, "utf8")) as BenchResults & { command?: string }),
    ),
  );
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
  /** Each run's 95% interval of the ratio; null when that run recorded none (one round, or older results). */
  firstInterval: Interval | null;
  secondInterval: Interval | null;
  /**
   * Whether the change lies inside the combined interval: |log(second / first)| at most the root of
   * the sum of both intervals' squared log half-widths. null without both intervals.
   */
  insideCombined: boolean | null;
}

export interface AppChange extends RatioChange {
  /** How many of the app's cells changed by less than their combined interval, of how many had both intervals. */
  inside: number;
  measured: number;
}

export interface RunComparison {
  cells: RatioChange[];
  /** Per app: the geometric mean of its ratios to its baseline over the scenarios both runs measured. */
  apps: AppChange[];
  tolerance: number;
  /** Cells whose ratio moved by more than the tolerance. */
  outside: RatioChange[];
  /** Cells whose ratio in each run lies outside the other run's interval: a change, not noise. */
  changed: RatioChange[];
}

/**
 * How far two runs' ratios to their language's baseline are apart, cell by cell and per app: the
 * repeatability check of the load comparison. A cell is flagged as changed when each run's ratio
 * lies outside the other run's interval; the rest is noise. The tolerance check stays for runs
 * without intervals.
 */
export function compareRuns(first: BenchResults, second: BenchResults, tolerance = 0.1): RunComparison {
  const find = (results: BenchResults, app: string, scenario: string) =>
    results.cells.find((cell) => cell.app === app && cell.scenario === scenario && cell.failures.length === 0);
  const cells: RatioChange[] = [];
  // Every language's baseline is 1 against itself: nothing to compare.
  const baselines = new Set([
    baselineOf(first),
    ...(first.apps ?? []).filter((app) => app.baseline).map((app) => app.name),
  ]);
  for (const cell of first.cells) {
    if (baselines.has(cell.app)) continue;
    const a = find(first, cell.app, cell.scenario);
    const b = find(second, cell.app, cell.scenario);
    const ratioA = a?.ratioToBaseline ?? null;
    const ratioB = b?.ratioToBaseline ?? null;
    if (ratioA === null || ratioB === null || ratioA <= 0 || ratioB <= 0) continue;
    const firstInterval = a?.ratioInterval ?? null;
    const secondInterval = b?.ratioInterval ?? null;
    const combined =
      firstInterval && secondInterval ? Math.hypot(halfWidth(firstInterval), halfWidth(secondInterval)) : null;
    cells.push({
      app: cell.app,
      scenario: cell.scenario,
      first: ratioA,
      second: ratioB,
      change: ratioB / ratioA - 1,
      firstInterval,
      secondInterval,
      insideCombined: combined === null ? null : Math.abs(Math.log(ratioB / ratioA)) <= combined,
    });
  }
  const apps = [...new Set(cells.map((cell) => cell.app))].map((app): AppChange => {
    const own = cells.filter((cell) => cell.app === app);
    // Each run's geometric mean over the scenarios both measured, with its interval.
    const meanOf = (run: BenchResults, pick: (change: RatioChange) => number, interval: "first" | "second") =>
      geometricMean(
        own.map((change) => ({
          ratio: pick(change),
          interval: change[`${interval}Interval`],
          rounds: find(run, app, change.scenario)?.rounds?.length ?? 0,
        })),
      );
    const a = meanOf(first, (change) => change.first, "first");
    const b = meanOf(second, (change) => change.second, "second");
    const [valueA, valueB] = [a?.value ?? Number.NaN, b?.value ?? Number.NaN];
    const measured = own.filter((cell) => cell.insideCombined !== null);
    const combined = a?.interval && b?.interval ? Math.hypot(halfWidth(a.interval), halfWidth(b.interval)) : null;
    return {
      app,
      scenario: "all scenarios",
      first: valueA,
      second: valueB,
      change: valueB / valueA - 1,
      firstInterval: a?.interval ?? null,
      secondInterval: b?.interval ?? null,
      insideCombined: combined === null ? null : Math.abs(Math.log(valueB / valueA)) <= combined,
      inside: measured.filter((cell) => cell.insideCombined).length,
      measured: measured.length,
    };
  });
  const changed = cells.filter(
    (cell) =>
      cell.firstInterval &&
      cell.secondInterval &&
      !within(cell.second, cell.firstInterval) &&
      !within(cell.first, cell.secondInterval),
  );
  return { cells, apps, tolerance, outside: cells.filter((cell) => Math.abs(cell.change) > tolerance), changed };
}

const within = (value: number, [low, high]: Interval) => value >= low && value <= high;

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

/** How a run is named in a comparison: when and how long, the command, and the baseline's own mixed throughput (the machine's pace). */
export function runLabel(run: BenchResults & { command?: string }): string {
  const baseline = baselineOf(run);
  const mixed = run.cells.find((cell) => cell.app === baseline && cell.scenario === "mixed")?.medianRps;
  const minutes =
    run.finishedAt && run.startedAt
      ? Math.round((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 60_000)
      : Number.NaN;
  const when = Number.isFinite(minutes) ? `${run.startedAt} to ${run.finishedAt} (${minutes} min)` : run.startedAt;
  return `${when} (\`${run.command ?? "npm run bench"}\`${mixed ? `, ${baseline} mixed ${Math.round(mixed)} req/s` : ""})`;
}

/**
 * The comparison as Markdown: the summary, the per-app means, the cells that changed beyond both
 * runs' intervals, then every cell outside the tolerance. `level` is the heading level of its
 * title (2 inside another page).
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
    `| ${change.app} | ${change.scenario} | ${formatRatio(change.first, change.firstInterval)} | ${formatRatio(change.second, change.secondInterval)} | ${percent(change.change)} |`;
  const head = ["| app | scenario | first | second | change |", "| --- | --- | ---: | ---: | ---: |"];
  const within = comparison.cells.length - comparison.outside.length;
  const medianChange = comparison.cells.length ? median(comparison.cells.map((cell) => Math.abs(cell.change))) : 0;
  const measured = comparison.cells.filter((cell) => cell.insideCombined !== null);
  const inside = measured.filter((cell) => cell.insideCombined).length;
  const share = (count: number, of: number) =>
    of > 0 ? `${count} of ${of} (${Math.round((count / of) * 100)}%)` : "–";
  return [
    `${title} Repeatability: ratio to the language's baseline, two runs`,
    "",
    `First: ${firstLabel}. Second: ${secondLabel}.`,
    "",
    measured.length > 0
      ? `${comparison.changed.length} of ${measured.length} cells with an interval in both runs changed beyond both intervals (each run's ratio outside the other's interval); the rest is noise. ${share(inside, measured.length)} changed by less than their combined interval.`
      : "No cell has an interval in both runs (a run of one round, or written before intervals were recorded): only the tolerance check applies.",
    "",
    `${within} of ${comparison.cells.length} cells within ±${Math.round(comparison.tolerance * 100)}%; median absolute change ${(medianChange * 100).toFixed(1)}%.`,
    "",
    `${section} Per app (geometric mean over scenarios)`,
    "",
    "| app | first | second | change | cells inside the combined interval |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...comparison.apps.map(
      (app) =>
        `| ${app.app} | ${formatRatio(app.first, app.firstInterval)} | ${formatRatio(app.second, app.secondInterval)} | ${percent(app.change)} | ${share(app.inside, app.measured)} |`,
    ),
    "",
    `Geometric means within ±5% of each other: ${share(
      comparison.apps.filter((app) => Math.abs(app.change) <= 0.05).length,
      comparison.apps.length,
    )} apps.`,
    "",
    `${section} Cells changed beyond both runs' intervals`,
    "",
    ...(comparison.changed.length ? [...head, ...comparison.changed.map(row)] : ["None."]),
    "",
    `${section} Cells outside ±${Math.round(comparison.tolerance * 100)}%`,
    "",
    ...(comparison.outside.length ? [...head, ...comparison.outside.map(row)] : ["None."]),
    "",
  ].join("\n");
}
