/**
 * The charts (Observable Plot, bundled): throughput ratio per scenario with its 95% interval,
 * latency percentiles at the fixed rate, and database work per request. One colour per app: each
 * app is one series.
 */
import * as Plot from "@observablehq/plot";
import { cellOf, colorOf, data, ms } from "./util.js";

const scenarioNames = () => data.scenarios.map((scenario) => scenario.name);

function colorScale(apps: string[]) {
  return { domain: apps, range: apps.map(colorOf), legend: true } as const;
}

/** Wraps a chart in a figure that says which apps it draws (checked by the browser test). */
function figure(chart: Element, apps: string[], name: string): HTMLElement {
  const wrapper = document.createElement("div");
  wrapper.className = "chart";
  wrapper.dataset.chart = name;
  wrapper.dataset.apps = apps.join(",");
  wrapper.append(chart);
  return wrapper;
}

/**
 * Throughput over the baseline, per scenario, one dot per app with its interval as a bar. With
 * `node` the ratio to the Node baseline (apps of two languages compared on one scale).
 */
export function ratioChart(
  apps: string[],
  options: { node?: boolean; width?: number; height?: number } = {},
): HTMLElement {
  const rows = scenarioNames().flatMap((scenario) =>
    apps.flatMap((app) => {
      const cell = cellOf(app, scenario);
      const ratio = options.node ? cell?.nodeRatio : cell?.ratio;
      if (!cell || ratio === null || ratio === undefined) return [];
      const range = options.node ? cell.nodeInterval : cell.interval;
      return [{ app, scenario, ratio, low: range?.[0] ?? ratio, high: range?.[1] ?? ratio, rps: cell.medianRps }];
    }),
  );
  const chart = Plot.plot({
    width: options.width ?? 1100,
    height: options.height ?? 360,
    marginBottom: 70,
    marginLeft: 50,
    fx: { label: null, domain: scenarioNames(), tickRotate: -30, padding: 0.1 },
    x: { axis: null, domain: apps, padding: 0.3 },
    y: { label: options.node ? "Throughput ÷ pg (Node baseline)" : "Throughput ÷ its language's baseline", grid: true },
    color: colorScale(apps),
    marks: [
      Plot.ruleY([1], { stroke: "#888", strokeDasharray: "4 3" }),
      Plot.ruleX(rows, { fx: "scenario", x: "app", y1: "low", y2: "high", stroke: "app", strokeWidth: 2 }),
      Plot.dot(rows, {
        fx: "scenario",
        x: "app",
        y: "ratio",
        fill: "app",
        r: 3.5,
        tip: true,
        title: (row) =>
          `${row.app}, ${row.scenario}: ${row.ratio.toFixed(2)} [${row.low.toFixed(2)}–${row.high.toFixed(2)}], ${Math.round(row.rps)} req/s`,
      }),
    ],
  });
  return figure(chart, apps, "ratio");
}

/** Latency at the fixed arrival rate of one scenario: p50, p90, p99 per app, with their intervals. */
export function latencyChart(apps: string[], scenario = "mixed", width = 1100): HTMLElement {
  const percentiles = ["p50", "p90", "p99"] as const;
  const rows = apps.flatMap((app) => {
    const latency = cellOf(app, scenario)?.latency;
    if (!latency) return [];
    return percentiles.map((percentile) => {
      const range = latency.intervals[percentile];
      return {
        app,
        percentile,
        ms: latency[percentile],
        low: range?.[0] ?? latency[percentile],
        high: range?.[1] ?? latency[percentile],
        rate: latency.targetRate,
      };
    });
  });
  const chart = Plot.plot({
    width,
    height: 40 + apps.length * 26,
    marginLeft: 90,
    x: { label: `Latency (ms) at a fixed rate, ${scenario}`, grid: true },
    y: { label: null, domain: apps },
    symbol: { domain: percentiles, legend: false },
    color: colorScale(apps),
    marks: [
      Plot.link(
        apps.flatMap((app) => {
          const latency = cellOf(app, scenario)?.latency;
          return latency ? [{ app, p50: latency.p50, p99: latency.p99 }] : [];
        }),
        { y1: "app", y2: "app", x1: "p50", x2: "p99", stroke: "app", strokeOpacity: 0.35 },
      ),
      Plot.ruleY(rows, { y: "app", x1: "low", x2: "high", stroke: "app", strokeWidth: 2, strokeOpacity: 0.6 }),
      Plot.dot(rows, {
        y: "app",
        x: "ms",
        fill: "app",
        symbol: "percentile",
        r: 5,
        tip: true,
        title: (row) =>
          `${row.app} ${row.percentile}: ${ms(row.ms)} ms [${ms(row.low)}–${ms(row.high)}]${row.rate ? ` at ${row.rate} req/s` : ""}`,
      }),
      Plot.text(rows, { y: "app", x: "ms", text: "percentile", dy: -11, fontSize: 9, fill: "#555" }),
    ],
  });
  return figure(chart, apps, "latency");
}

/** Shared buffers PostgreSQL touched per request, per scenario and app (log scale). */
export function databaseWorkChart(apps: string[], width = 1100): HTMLElement {
  const rows = scenarioNames().flatMap((scenario) =>
    apps.flatMap((app) => {
      const cell = cellOf(app, scenario);
      if (!cell || cell.buffersPerRequest === null || cell.buffersPerRequest <= 0) return [];
      return [
        {
          app,
          scenario,
          buffers: cell.buffersPerRequest,
          statements: cell.statementsPerRequest,
        },
      ];
    }),
  );
  const chart = Plot.plot({
    width,
    height: 340,
    marginBottom: 70,
    marginLeft: 60,
    fx: { label: null, domain: scenarioNames(), tickRotate: -30, padding: 0.1 },
    x: { axis: null, domain: apps, padding: 0.3 },
    y: { type: "log", label: "Shared buffers per request (log)", grid: true },
    color: colorScale(apps),
    marks: [
      Plot.ruleX(rows, { fx: "scenario", x: "app", y1: 1, y2: "buffers", stroke: "app", strokeOpacity: 0.3 }),
      Plot.dot(rows, {
        fx: "scenario",
        x: "app",
        y: "buffers",
        fill: "app",
        r: 3.5,
        tip: true,
        title: (row) =>
          `${row.app}, ${row.scenario}: ${Math.round(row.buffers)} buffers, ${row.statements?.toFixed(1) ?? "–"} statements per request`,
      }),
    ],
  });
  return figure(chart, apps, "database-work");
}
