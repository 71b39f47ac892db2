import * as vega from "vega";
import * as vegaLite from "vega-lite";
import { formatRatio, geometricMean, type Interval } from "./intervals.js";
import { baselineDrift, notDistinguishable } from "./noise.js";
import { type BenchResults, type CellResult, type FixedRateLatency, NODE_BASELINE_LANGUAGE } from "./runner.js";

const fixed = (value: number | null, digits = 0) =>
  value !== null && Number.isFinite(value) ? value.toFixed(digits) : "–";

/** A run's apps in report order: the Node baseline's language first, each language's baseline first in it. */
function orderedApps(results: BenchResults): BenchResults["apps"] {
  const languages = [...new Set(results.apps.map(languageOf))].sort(
    (a, b) => Number(b === NODE_BASELINE_LANGUAGE) - Number(a === NODE_BASELINE_LANGUAGE),
  );
  return languages.flatMap((language) =>
    results.apps.filter((app) => languageOf(app) === language).sort((a, b) => Number(b.baseline) - Number(a.baseline)),
  );
}

/** Results written before apps recorded their language had TypeScript apps only. */
const languageOf = (app: { language?: string }) => app.language ?? NODE_BASELINE_LANGUAGE;

/**
 * How the two throughput ratios are named in every report, table and chart: to the app's own
 * language's baseline (the ORM's cost) and to the Node baseline (the whole stack's cost).
 */
export function ratioLabels(results: BenchResults): { orm: string; stack: string; multiLanguage: boolean } {
  const baselines = orderedApps(results).filter((app) => app.baseline);
  const node = baselines.find((app) => languageOf(app) === NODE_BASELINE_LANGUAGE)?.name ?? "the Node baseline";
  const multiLanguage = new Set(results.apps.map(languageOf)).size > 1;
  const each = baselines.map((app) => `${app.name} for ${languageOf(app)}`).join(", ");
  return {
    orm: multiLanguage
      ? `ratio to the same language's raw-driver baseline (${each}): what the ORM costs`
      : `ratio to ${node}, the raw-driver baseline: what the ORM costs`,
    stack: `ratio to ${node}, the Node baseline: what the whole stack costs (language, web framework, server, driver and ORM)`,
    multiLanguage,
  };
}

/**
 * `p50 / p90 / p99 ms (achieved/target req/s, n samples)`, each percentile with its 95% interval
 * when the run has one (`12 (11-14)`); a run from before the open loop had only its rate.
 */
export function latencyCell(latency: FixedRateLatency): string {
  const withInterval = (percentile: "p50" | "p90" | "p99") => {
    const interval = latency.intervals?.[percentile];
    const value = fixed(latency[percentile], 1);
    return interval ? `${value} (${fixed(interval[0], 1)}-${fixed(interval[1], 1)})` : value;
  };
  const percentiles = `${withInterval("p50")} / ${withInterval("p90")} / ${withInterval("p99")} ms`;
  if (latency.achievedRate === undefined) return `${percentiles} (${latency.rate} req/s)`;
  const held = latency.delayed > 0 ? `, ${latency.delayed} held back` : "";
  return `${percentiles} (${fixed(latency.achievedRate, 1)}/${latency.targetRate} req/s, ${latency.samples} samples${held})`;
}

/**
 * Each app's geometric mean over the run's scenarios of its ratio to its own language's baseline
 * ("own") or to the Node baseline ("node"), with its 95% interval (see `geometricMean`). A baseline
 * against itself is exactly 1. Apps with a failed cell get none.
 */
export function appGeometricMeans(
  results: Pick<BenchResults, "cells">,
  which: "own" | "node",
): Map<string, { value: number; interval: Interval | null }> {
  const means = new Map<string, { value: number; interval: Interval | null }>();
  for (const app of new Set(results.cells.map((cell) => cell.app))) {
    const cells = results.cells.filter((cell) => cell.app === app);
    if (cells.some((cell) => cell.failures.length > 0)) continue;
    const self = cells.every((cell) => (which === "own" ? cell.baseline : cell.nodeBaseline) === app);
    const mean = geometricMean(
      cells.map((cell) => ({
        ratio: which === "own" ? cell.ratioToBaseline : (cell.ratioToNodeBaseline ?? null),
        interval: self ? null : which === "own" ? cell.ratioInterval : cell.ratioToNodeBaselineInterval,
        rounds: cell.rounds.length,
      })),
    );
    if (mean) means.set(app, self ? { value: mean.value, interval: null } : mean);
  }
  return means;
}

/** The comparison as Markdown: throughput ratios, latency at the fixed rate, SQL, CPU and memory. */
export function markdownReport(results: BenchResults, command: string): string {
  const ordered = orderedApps(results);
  const labels = ratioLabels(results);
  const apps = ordered.map((app) => app.name);
  // With more than one language, every column says which one, so no column is read against another language's.
  const heads = ordered.map((app) =>
    labels.multiLanguage ? `${app.name} (${languageOf(app)}${app.baseline ? " baseline" : ""})` : app.name,
  );
  const scenarios = [...new Set(results.cells.map((cell) => cell.scenario))];
  const find = (app: string, scenario: string) => results.cells.find((c) => c.app === app && c.scenario === scenario);
  const table = (
    title: string,
    render: (cell: CellResult) => string,
    summary?: (app: string) => string,
    failuresOf: (cell: CellResult) => string[] = (cell) => cell.failures,
  ) => {
    const lines = [`| ${title} | ${heads.join(" | ")} |`, `| --- | ${apps.map(() => "---:").join(" | ")} |`];
    for (const scenario of scenarios) {
      const cells = apps.map((app) => {
        const cell = find(app, scenario);
        if (!cell) return "–";
        return failuresOf(cell).length > 0 ? `FAILED` : render(cell);
      });
      // Latency is measured for a few scenarios only: leave out rows with nothing measured.
      if (cells.every((text) => text === "–")) continue;
      lines.push(`| ${scenario} | ${cells.join(" | ")} |`);
    }
    if (summary) lines.push(`| **geometric mean** | ${apps.map(summary).join(" | ")} |`);
    return lines.join("\n");
  };
  const means = { own: appGeometricMeans(results, "own"), node: appGeometricMeans(results, "node") };
  const meanCell = (which: "own" | "node") => (app: string) => {
    const mean = means[which].get(app);
    return mean ? formatRatio(mean.value, mean.interval) : "–";
  };
  const env = results.environment;
  const s = results.settings;
  const where = results.placement;
  const spawnedApps = results.apps.some((app) => app.placement.startsWith("spawned"));
  const pool = !spawnedApps
    ? "workers and pools as each target runs them"
    : s.workers > 1
      ? `${s.workers} workers per spawned app, pool ${s.poolMax} per worker`
      : `1 worker, pool ${s.poolMax}`;
  return [
    "# Load comparison",
    "",
    `Run ${results.startedAt} to ${results.finishedAt} with \`${command}\`.`,
    "",
    `Machine: ${env.cpus} × ${env.cpuModel}, ${env.memoryGb} GB, ${env.platform}; Node ${env.node}; PostgreSQL ${env.postgres} (${env.database}).`,
    `Where each part ran: load generator on ${where.loadGenerator}; ${Object.entries(where.apps)
      .map(([app, placement]) => `${app} ${placement}`)
      .join("; ")}; database: ${where.database}.`,
    `CPUs: ${
      where.cpus
        ? `load generator pinned to CPU ${where.cpus.loadGenerator}, apps${where.cpus.database ? " and PostgreSQL" : ""} to CPU ${where.cpus.server}${where.cpus.database ? "" : " (the database is not pinned)"}`
        : "not pinned (shared as the scheduler decides)"
    }.`,
    `Settings: scale ${s.scale}, ${s.connections} connections in total, windows of at least ${s.durationSeconds} s after ${s.settleSeconds} s settling, ${s.warmupSeconds} s warm-up per app and scenario, ${s.thorough ? `rounds in batches until the median interval half-width of each scenario was under ${Math.round(s.thorough.targetHalfWidth * 100)}% or its share of ${s.thorough.maxMinutes} min was used (first batch ${s.rounds}, then ${s.thorough.batchRounds} at a time)` : `${s.rounds} rounds`}, every app once per round in a new random order (seed ${s.seed ?? "not recorded"}), ${pool}, Node flags \`${s.nodeFlags.join(" ") || "none"}\`.`,
    `Load generator ceiling (trivial node:http route, no app): ${fixed(results.ceiling.requestsPerSecond)} req/s.`,
    "",
    `## Throughput: ${labels.orm} (95% interval; median req/s)`,
    "",
    ...(labels.multiLanguage
      ? [
          "Each app divided by the raw-driver baseline of its own language in the same run: the ORM is the only difference. Compare a column with the others of its language only; across languages, read the next table.",
          "",
        ]
      : []),
    "Each ratio is the geometric mean of the paired per-round ratios (round r of the app over round r of its baseline), with its 95% interval (a t-interval on their logs); a ratio without one had a failed round or a single round.",
    "",
    table(
      "scenario",
      (c) => `${formatRatio(c.ratioToBaseline, c.app === c.baseline ? null : c.ratioInterval)} · ${fixed(c.medianRps)}`,
      meanCell("own"),
    ),
    "",
    "The geometric mean's interval combines the scenarios' (their standard errors, independent between scenarios); none when a scenario has none.",
    coarseNote(results.cells),
    distinguishableSection(results, ordered),
    ...(labels.multiLanguage
      ? [
          "",
          `## Throughput: ${labels.stack}`,
          "",
          "Every app divided by the same Node baseline. For an app of another language this is its whole stack against Node's, never its ORM alone: the baseline of its language shows what the stack costs with hand-written SQL, and the table above what its ORM adds.",
          "",
          table(
            "scenario",
            (c) => formatRatio(c.ratioToNodeBaseline, c.app === c.nodeBaseline ? null : c.ratioToNodeBaselineInterval),
            meanCell("node"),
          ),
        ]
      : []),
    "",
    driftSection(results),
    "",
    "## Latency at a fixed rate: p50 / p90 / p99 ms (achieved / target req/s, samples)",
    "",
    "Open loop: requests leave on a fixed schedule whether or not earlier ones have returned, and each is timed from when it was due, so a stall in an app shows in its p99 instead of lowering the load it sees. The rate is the same for every app of a scenario: half of what the slowest app sustained, unless set.",
    "",
    table(
      "scenario",
      (c) => (c.latency ? latencyCell(c.latency) : "–"),
      undefined,
      (c) => c.latencyFailures,
    ),
    "",
    "## SQL statements per request, and app CPU ms per request",
    "",
    "Summed over an app's workers. – : not measured (an app that counts no statements itself, as the Python apps, whose statements the database work table counts; a target without ARENA_SQL_COUNTER=1, or whose CPU this machine cannot see).",
    "",
    table("scenario", (c) => `${fixed(c.statementsPerRequest, 2)} · ${fixed(c.cpuMsPerRequest, 2)} ms`),
    "",
    "## Database work per request: statements · rows · shared buffers hit / read · execution ms",
    "",
    "From PostgreSQL's own accounting (pg_stat_statements in each app's database, top-level statements, BEGIN and COMMIT included, planning excluded) over the measured rounds, divided by the requests sent. Buffers do not depend on how busy the machine is. not measured: a target without --target-db, or a server without pg_stat_statements.",
    "",
    table("scenario", (c) =>
      c.databaseWork
        ? `${fixed(c.databaseWork.statements, 2)} · ${fixed(c.databaseWork.rows, 1)} · ${fixed(c.databaseWork.sharedBlksHit)} / ${fixed(c.databaseWork.sharedBlksRead)} · ${fixed(c.databaseWork.execMs, 2)} ms`
        : "not measured",
    ),
    "",
    "## Apps",
    "",
    "| app | language | where | runtime | packages | peak RSS (MB, sum over processes) | CPU time (s) |",
    "| --- | --- | --- | --- | --- | ---: | ---: |",
    ...ordered.map(
      (app) =>
        `| ${app.name} | ${languageOf(app)}${app.baseline ? " (baseline)" : ""} | ${app.placement} | ${app.node ? `Node ${app.node}` : (app.runtimeVersion ?? "–")} | ${Object.entries(
          app.packages,
        )
          .map(([name, version]) => `${name} ${version}`)
          .join(", ")} | ${fixed(app.peakRssMb)} | ${fixed(app.cpuSeconds, 1)} |`,
    ),
    "",
    results.failures.length > 0 ? `## Failures\n\n${results.failures.map((f) => `- ${f}`).join("\n")}\n` : "",
  ].join("\n");
}

/**
 * Per scenario, the apps whose intervals overlap: a table, one row per scenario and language with
 * any, so a reader does not rank apps the run cannot tell apart.
 */
export function distinguishableSection(results: BenchResults, ordered: BenchResults["apps"]): string {
  // The geometric means join as one more row, so no summary ranks apps the run cannot tell apart.
  const means = appGeometricMeans(results, "own");
  const meanCells = results.apps.flatMap((app): CellResult[] => {
    const mean = means.get(app.name);
    const own = results.cells.find((cell) => cell.app === app.name);
    if (!mean || !own) return [];
    return [
      { ...own, scenario: "geometric mean", ratioToBaseline: mean.value, ratioInterval: mean.interval, failures: [] },
    ];
  });
  const found = notDistinguishable(
    { cells: [...results.cells, ...meanCells] },
    ordered.map((app) => ({ name: app.name, language: languageOf(app) })),
  );
  const multiLanguage = new Set(ordered.map(languageOf)).size > 1;
  return [
    "",
    "### Not distinguishable in this run (95% intervals overlap)",
    "",
    "Apps of one language whose intervals of the ratio to their baseline overlap, the baseline counting as exactly 1: this run shows no difference between them (overlap is cautious: a small real difference can hide in it). `a ≈ b, c` reads: a cannot be told from b, nor from c.",
    "",
    ...(found.length === 0
      ? [
          results.cells.some((cell) => cell.app !== cell.baseline && cell.ratioInterval)
            ? "None: every pair of apps is apart."
            : "No intervals in this run (fewer than two clean rounds per cell).",
        ]
      : [
          `| scenario |${multiLanguage ? " language |" : ""} not distinguishable |`,
          `| --- |${multiLanguage ? " --- |" : ""} --- |`,
          ...found.map(
            (row) =>
              `| ${row.scenario} |${multiLanguage ? ` ${row.language} |` : ""} ${row.pairs
                .map(([app, others]) => `${app} ≈ ${others.join(", ")}`)
                .join("; ")} |`,
          ),
        ]),
  ].join("\n");
}

/** The machine's drift over the run, as each baseline's rounds saw it. */
export function driftSection(results: Pick<BenchResults, "cells" | "apps">): string {
  const drift = baselineDrift(results);
  if (drift.length === 0) return "## Machine drift\n\nNot measured: fewer than two rounds per scenario.";
  const scenarios = [...new Set(drift.flatMap((each) => Object.keys(each.scenarios)))];
  const apart = (ratio: number | undefined) => (ratio === undefined ? "–" : `${((ratio - 1) * 100).toFixed(0)}%`);
  return [
    "## Machine drift: each baseline's fastest round over its slowest, minus 1",
    "",
    "The same app and requests in every round: what moves them is the machine. The paired ratios divide out what is shared by rounds seconds apart, not what changes between them.",
    "",
    `| scenario | ${drift.map((each) => each.baseline).join(" | ")} |`,
    `| --- | ${drift.map(() => "---:").join(" | ")} |`,
    ...scenarios.map(
      (scenario) => `| ${scenario} | ${drift.map((each) => apart(each.scenarios[scenario])).join(" | ")} |`,
    ),
    `| all scenarios (median / worst) | ${drift.map((each) => `${apart(each.median)} / ${apart(each.worst)}`).join(" | ")} |`,
  ].join("\n");
}

/** Rounds that hit the time limit before a whole cycle completed: their figure is rough, so say so. */
function coarseNote(cells: CellResult[]): string {
  const coarse = cells.filter((cell) => cell.coarseRounds > 0);
  if (coarse.length === 0) return "";
  return `\nRough figures (a round hit the time limit before every connection completed a request): ${coarse
    .map((cell) => `${cell.app} ${cell.scenario} (${cell.coarseRounds} of ${cell.rounds.length})`)
    .join(", ")}.`;
}

/**
 * Charts as SVG, rendered by Vega-Lite without a browser: each ratio on a chart of its own, titled
 * with what it measures, and the latency.
 */
export async function charts(results: BenchResults): Promise<Record<string, string>> {
  const labels = ratioLabels(results);
  const language = new Map(results.apps.map((app) => [app.name, languageOf(app)]));
  const ratios = (
    pick: (cell: CellResult) => number | null | undefined,
    interval: (cell: CellResult) => [number, number] | null | undefined,
  ) =>
    results.cells
      .filter((cell) => pick(cell) != null && cell.failures.length === 0)
      .map((cell) => ({
        scenario: cell.scenario,
        app: labels.multiLanguage ? `${cell.app} (${language.get(cell.app)})` : cell.app,
        ratio: pick(cell),
        low: interval(cell)?.[0] ?? null,
        high: interval(cell)?.[1] ?? null,
      }));
  const ratioChart = (title: string, axis: string, values: ReturnType<typeof ratios>) =>
    render({
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title,
      data: { values },
      encoding: {
        y: { field: "scenario", type: "nominal", title: null },
        yOffset: { field: "app", sort: null },
      },
      // Each bar with its 95% interval as an error bar; a cell without one has no bar drawn across it.
      layer: [
        {
          mark: "bar",
          encoding: {
            x: { field: "ratio", type: "quantitative", title: axis },
            color: { field: "app", type: "nominal", sort: null },
          },
        },
        {
          mark: { type: "rule", color: "black", strokeWidth: 1 },
          transform: [{ filter: "datum.low != null" }],
          encoding: { x: { field: "low", type: "quantitative" }, x2: { field: "high" } },
        },
      ],
      width: 600,
      height: { step: 8 },
    });
  const latency = results.cells.flatMap((cell) =>
    cell.latency
      ? (["p50", "p90", "p99"] as const).map((percentile) => ({
          scenario: cell.scenario,
          app: cell.app,
          percentile,
          ms: cell.latency?.[percentile],
          low: cell.latency?.intervals?.[percentile]?.[0] ?? null,
          high: cell.latency?.intervals?.[percentile]?.[1] ?? null,
        }))
      : [],
  );
  return {
    "throughput-ratio.svg": await ratioChart(
      `Throughput, ${labels.orm} (1.0 = as fast as the baseline)`,
      "throughput / the same language's baseline throughput",
      ratios(
        (cell) => cell.ratioToBaseline,
        (cell) => (cell.app === cell.baseline ? null : cell.ratioInterval),
      ),
    ),
    // Written for a run of one language too (the same figures then), so a page can always link it.
    "throughput-ratio-node.svg": await ratioChart(
      `Throughput, ${labels.stack.replace(/ \(.*\)$/, "")} (1.0 = as fast as Node with raw SQL)`,
      "throughput / the Node baseline's throughput",
      ratios(
        (cell) => cell.ratioToNodeBaseline,
        (cell) => (cell.app === cell.nodeBaseline ? null : cell.ratioToNodeBaselineInterval),
      ),
    ),
    "latency.svg": await render({
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title: "Latency at the same fixed rate (ms)",
      data: { values: latency },
      facet: { column: { field: "percentile", type: "nominal", title: null } },
      spec: {
        encoding: {
          y: { field: "scenario", type: "nominal", title: null },
          yOffset: { field: "app" },
        },
        // Each percentile with its 95% interval from the order statistics as an error bar.
        layer: [
          {
            mark: "bar",
            encoding: {
              x: { field: "ms", type: "quantitative", title: "ms" },
              color: { field: "app", type: "nominal" },
            },
          },
          {
            mark: { type: "rule", color: "black", strokeWidth: 1 },
            transform: [{ filter: "datum.low != null" }],
            encoding: { x: { field: "low", type: "quantitative" }, x2: { field: "high" } },
          },
        ],
        width: 220,
        height: { step: 8 },
      },
    }),
  };
}

async function render(spec: vegaLite.TopLevelSpec): Promise<string> {
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
