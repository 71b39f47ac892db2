import * as vega from "vega";
import * as vegaLite from "vega-lite";
import type { BenchResults, CellResult } from "./runner.js";

const fixed = (value: number | null, digits = 0) =>
  value !== null && Number.isFinite(value) ? value.toFixed(digits) : "–";

/** The comparison as Markdown: throughput ratio, latency at the fixed rate, SQL, CPU and memory. */
export function markdownReport(results: BenchResults, command: string): string {
  const apps = results.apps.map((app) => app.name);
  const scenarios = [...new Set(results.cells.map((cell) => cell.scenario))];
  const find = (app: string, scenario: string) => results.cells.find((c) => c.app === app && c.scenario === scenario);
  const table = (title: string, render: (cell: CellResult) => string) => {
    const lines = [`| ${title} | ${apps.join(" | ")} |`, `| --- | ${apps.map(() => "---:").join(" | ")} |`];
    for (const scenario of scenarios) {
      const cells = apps.map((app) => {
        const cell = find(app, scenario);
        if (!cell) return "–";
        return cell.failures.length > 0 ? `FAILED` : render(cell);
      });
      // Latency is measured for a few scenarios only: leave out rows with nothing measured.
      if (cells.every((text) => text === "–")) continue;
      lines.push(`| ${scenario} | ${cells.join(" | ")} |`);
    }
    return lines.join("\n");
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
    `Settings: scale ${s.scale}, ${s.connections} connections in total, windows of at least ${s.durationSeconds} s after ${s.settleSeconds} s settling, ${s.warmupSeconds} s warm-up per app and scenario, ${s.rounds} interleaved rounds, ${pool}, Node flags \`${s.nodeFlags.join(" ") || "none"}\`.`,
    `Load generator ceiling (trivial node:http route, no app): ${fixed(results.ceiling.requestsPerSecond)} req/s.`,
    "",
    "## Throughput: ratio to pg (median req/s, spread of rounds)",
    "",
    table(
      "scenario",
      (c) =>
        `${c.ratioToBaseline === null ? "–" : fixed(c.ratioToBaseline, 2)} (${fixed(c.medianRps)}, ±${fixed(c.spread * 50)}%)`,
    ),
    coarseNote(results.cells),
    "",
    "## Latency at a fixed rate: p50 / p90 / p99 ms (rate, req/s)",
    "",
    table("scenario", (c) =>
      c.latency
        ? `${fixed(c.latency.p50)} / ${fixed(c.latency.p90)} / ${fixed(c.latency.p99)} (${c.latency.rate})`
        : "–",
    ),
    "",
    "## SQL statements per request, and app CPU ms per request",
    "",
    "Summed over an app's workers. – : not measured (a target without ARENA_SQL_COUNTER=1, or whose CPU this machine cannot see).",
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
    "| app | where | Node | packages | peak RSS (MB, sum over processes) | CPU time (s) |",
    "| --- | --- | --- | --- | ---: | ---: |",
    ...results.apps.map(
      (app) =>
        `| ${app.name} | ${app.placement} | ${app.node ?? "–"} | ${Object.entries(app.packages)
          .map(([name, version]) => `${name} ${version}`)
          .join(", ")} | ${fixed(app.peakRssMb)} | ${fixed(app.cpuSeconds, 1)} |`,
    ),
    "",
    results.failures.length > 0 ? `## Failures\n\n${results.failures.map((f) => `- ${f}`).join("\n")}\n` : "",
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

/** Charts as SVG, rendered by Vega-Lite without a browser. */
export async function charts(results: BenchResults): Promise<Record<string, string>> {
  const ratio = results.cells
    .filter((cell) => cell.ratioToBaseline !== null && cell.failures.length === 0)
    .map((cell) => ({ scenario: cell.scenario, app: cell.app, ratio: cell.ratioToBaseline }));
  const latency = results.cells.flatMap((cell) =>
    cell.latency
      ? (["p50", "p90", "p99"] as const).map((percentile) => ({
          scenario: cell.scenario,
          app: cell.app,
          percentile,
          ms: cell.latency?.[percentile],
        }))
      : [],
  );
  return {
    "throughput-ratio.svg": await render({
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title: "Throughput relative to raw pg (1.0 = same as pg)",
      data: { values: ratio },
      mark: "bar",
      encoding: {
        y: { field: "scenario", type: "nominal", title: null },
        yOffset: { field: "app" },
        x: { field: "ratio", type: "quantitative", title: "throughput / pg throughput" },
        color: { field: "app", type: "nominal" },
      },
      width: 600,
      height: { step: 8 },
    }),
    "latency.svg": await render({
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title: "Latency at the same fixed rate (ms)",
      data: { values: latency },
      facet: { column: { field: "percentile", type: "nominal", title: null } },
      spec: {
        mark: "bar",
        encoding: {
          y: { field: "scenario", type: "nominal", title: null },
          yOffset: { field: "app" },
          x: { field: "ms", type: "quantitative", title: "ms" },
          color: { field: "app", type: "nominal" },
        },
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
