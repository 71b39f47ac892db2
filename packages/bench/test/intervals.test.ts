import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type BenchResults,
  baselineDrift,
  type CellResult,
  charts,
  compareRuns,
  comparisonReport,
  formatRatio,
  geometricMean,
  halfWidth,
  markdownReport,
  nextBatch,
  notDistinguishable,
  portableResults,
  Random,
  ratioInterval,
  readRun,
  SCENARIOS,
  scenarioDeadline,
  scenarioGroups,
  shuffled,
  tQuantile975,
} from "../src/index.js";

describe("the interval of a ratio", () => {
  it("is a t-interval on the logs of the paired per-round ratios", () => {
    // Ratios 0.5, 0.6, 0.7: mean of logs, their standard error, t with 2 degrees of freedom.
    const logs = [0.5, 0.6, 0.7].map(Math.log);
    const mean = logs.reduce((sum, v) => sum + v, 0) / 3;
    const sd = Math.sqrt(logs.reduce((sum, v) => sum + (v - mean) ** 2, 0) / 2);
    const half = (4.303 * sd) / Math.sqrt(3);
    const interval = ratioInterval([50, 60, 70], [100, 100, 100]);
    expect(interval?.[0]).toBeCloseTo(Math.exp(mean - half), 10);
    expect(interval?.[1]).toBeCloseTo(Math.exp(mean + half), 10);
    expect(interval && halfWidth(interval)).toBeCloseTo(half, 10);
  });

  it("divides out a slow stretch both sides shared", () => {
    // Round 2 is half as fast for both: every paired ratio is 0.5, so the interval is exactly 0.5.
    expect(ratioInterval([50, 25, 50], [100, 50, 100])).toEqual([0.5, 0.5]);
    expect(ratioInterval([100, 50], [100, 50])).toEqual([1, 1]);
  });

  it("narrows as rounds are added with the same spread", () => {
    const three = ratioInterval([90, 100, 110], [100, 100, 100]);
    const nine = ratioInterval([90, 100, 110, 90, 100, 110, 90, 100, 110], Array(9).fill(100));
    expect(three && nine && halfWidth(nine) < halfWidth(three) / 2).toBe(true);
  });

  it("is null without two paired rounds", () => {
    expect(ratioInterval([50], [100])).toBeNull();
    expect(ratioInterval([50, 60], [100, 100, 100])).toBeNull();
    expect(ratioInterval([50, 0], [100, 100])).toBeNull();
  });

  it("uses Student's t, tabled then expanded", () => {
    expect(tQuantile975(2)).toBe(4.303);
    expect(tQuantile975(30)).toBe(2.042);
    expect(tQuantile975(40)).toBeCloseTo(2.021, 3);
    expect(tQuantile975(120)).toBeCloseTo(1.98, 3);
  });

  it("prints as ratio (low-high)", () => {
    expect(formatRatio(0.8234, [0.781, 0.862])).toBe("0.82 (0.78-0.86)");
    expect(formatRatio(0.8234, null)).toBe("0.82");
    expect(formatRatio(1.98, [0.001, 6461470.57])).toBe("1.98 (0.00-6500000)");
    expect(formatRatio(null, [1, 1])).toBe("–");
  });
});

describe("the order of rounds", () => {
  it("is a permutation, the same for the same seed, and changes from round to round", () => {
    const apps = ["a", "b", "c", "d", "e", "f"];
    const orders = (seed: number) => {
      const random = new Random(seed);
      return Array.from({ length: 5 }, () => shuffled(apps, random).join(""));
    };
    expect(orders(7)).toEqual(orders(7));
    expect(orders(7)).not.toEqual(orders(8));
    for (const order of orders(7)) expect([...order].sort().join("")).toBe("abcdef");
    expect(new Set(orders(7)).size).toBeGreaterThan(1);
  });
});

describe("the thorough stopping rule", () => {
  const state = { target: 0.05, now: 0, deadline: 60_000, lastBatchMs: 10_000 };

  it("stops once the median half-width is under the target", () => {
    expect(nextBatch({ ...state, halfWidths: [0.02, 0.04, 0.3] })).toMatchObject({ more: false });
    expect(nextBatch({ ...state, halfWidths: [0.02, 0.06, 0.3] })).toEqual({ more: true });
  });

  it("stops when another batch as long as the last would pass the deadline", () => {
    expect(nextBatch({ ...state, halfWidths: [0.2], now: 55_000 })).toMatchObject({
      more: false,
      reason: expect.stringContaining("time share"),
    });
    // A cell without an interval yet (a failed round) keeps the median up, never stops it.
    expect(nextBatch({ ...state, halfWidths: [Number.POSITIVE_INFINITY] })).toEqual({ more: true });
  });

  it("gives each scenario an even share of the time left", () => {
    expect(scenarioDeadline(1000, 61_000, 3)).toBe(21_000);
    expect(scenarioDeadline(70_000, 61_000, 2)).toBe(70_000);
    // A group of 2 of the 3 scenarios left, measured in passes, gets both their shares.
    expect(scenarioDeadline(1000, 61_000, 3, 2)).toBe(41_000);
  });

  it("measures the reads in passes of their own, before any write grows the data", () => {
    const groups = scenarioGroups(SCENARIOS);
    expect(groups.map((group) => group.map((scenario) => scenario.kind))).toEqual([
      Array(SCENARIOS.filter((scenario) => scenario.kind === "read").length).fill("read"),
      SCENARIOS.filter((scenario) => scenario.kind !== "read").map((scenario) => scenario.kind),
    ]);
    expect(
      groups
        .flat()
        .map((scenario) => scenario.name)
        .sort(),
    ).toEqual(SCENARIOS.map((s) => s.name).sort());
    const writesOnly = SCENARIOS.filter((scenario) => scenario.kind === "write");
    expect(scenarioGroups(writesOnly)).toEqual([writesOnly]);
  });
});

const cell = (app: string, baseline: string, rounds: number[], baselineRounds: number[], scenario = "a") =>
  ({
    app,
    scenario,
    rounds,
    medianRps: rounds[0] ?? 0,
    spread: 0,
    baseline,
    ratioToBaseline: rounds.length
      ? rounds.reduce((s, v) => s + v, 0) / baselineRounds.reduce((s, v) => s + v, 0)
      : null,
    ratioInterval: ratioInterval(rounds, baselineRounds),
    nodeBaseline: "raw",
    ratioToNodeBaseline: null,
    ratioToNodeBaselineInterval: null,
    statementsPerRequest: null,
    cpuMsPerRequest: null,
    databaseWork: null,
    coarseRounds: 0,
    latency: null,
    failures: [],
    latencyFailures: [],
  }) as CellResult;

const app = (name: string, baseline = false, dir = `apps/${name}`) =>
  ({
    name,
    title: name,
    dir,
    language: "typescript",
    baseline,
    commands: { start: "x", migrate: "y" },
    packages: {},
    placement: "spawned",
    node: null,
    runtimeVersion: null,
    peakRssMb: 1,
    cpuSeconds: 1,
  }) as BenchResults["apps"][number];

// Names that are no app's: the report takes everything from the results.
const base = [100, 110, 90];
const run = (cells: CellResult[], apps = [app("raw", true), app("x"), app("y"), app("z")]) =>
  ({
    startedAt: "s",
    finishedAt: "f",
    settings: {
      scale: 1,
      connections: 10,
      durationSeconds: 1,
      settleSeconds: 0,
      warmupSeconds: 0,
      rounds: 3,
      seed: 42,
      thorough: null,
      workers: 1,
      poolMax: 10,
      nodeFlags: [],
    },
    environment: { cpus: 2, cpuModel: "c", memoryGb: 1, platform: "p", node: "v", postgres: "p", database: "embedded" },
    placement: { cpus: null, loadGenerator: "h", apps: {}, database: "d" },
    ceiling: { requestsPerSecond: 1 },
    apps,
    cells,
    failures: [],
  }) as unknown as BenchResults;

describe("apps the run cannot tell apart", () => {
  const results = run([
    cell("raw", "raw", base, base),
    cell("x", "raw", [50, 56, 44], base),
    cell("y", "raw", [52, 56, 46], base),
    cell("z", "raw", [95, 112, 88], base),
  ]);

  it("are the pairs whose intervals overlap, the baseline counting as 1", () => {
    const apps = ["raw", "x", "y", "z"].map((name) => ({ name, language: "typescript" }));
    expect(notDistinguishable(results, apps)).toEqual([
      {
        scenario: "a",
        language: "typescript",
        pairs: [
          ["raw", ["z"]],
          ["x", ["y"]],
        ],
      },
    ]);
  });

  it("are listed per scenario in the report, and every interval printed beside its ratio", () => {
    const report = markdownReport(results, "npm run bench");
    expect(report).toContain("| a | raw ≈ z; x ≈ y |");
    const x = results.cells.find((c) => c.app === "x") as CellResult;
    expect(report).toContain(formatRatio(x.ratioToBaseline, x.ratioInterval));
    expect(report).toContain("seed 42");
  });

  it("get error bars on the charts", async () => {
    const svg = (await charts(results))["throughput-ratio.svg"] ?? "";
    // One rule per app with an interval (x, y, z), none for the baseline.
    expect(svg.match(/aria-roledescription="rule mark"/g)?.length).toBe(3);
    expect(svg).toContain('aria-label="low: ');
  });
});

describe("the machine's drift", () => {
  it("is each baseline's fastest round over its slowest, per scenario, with median and worst", () => {
    const results = run([
      cell("raw", "raw", [100, 110, 90], [100, 110, 90], "a"),
      cell("raw", "raw", [100, 100, 100], [100, 100, 100], "b"),
      cell("raw", "raw", [100, 150, 100], [100, 150, 100], "c"),
      cell("x", "raw", [50, 50, 50], [100, 100, 100], "a"),
    ]);
    const [drift] = baselineDrift(results);
    expect(drift?.baseline).toBe("raw");
    expect(drift?.scenarios.a).toBeCloseTo(110 / 90);
    expect(drift?.median).toBeCloseTo(110 / 90);
    expect(drift?.worst).toBeCloseTo(1.5);
    expect(markdownReport(results, "npm run bench")).toContain("| all scenarios (median / worst) | 22% / 50% |");
  });
});

describe("the repeatability check against intervals", () => {
  const first = run([
    cell("raw", "raw", base, base),
    cell("x", "raw", [50, 55, 45], base),
    cell("y", "raw", [80, 88, 72], base),
    cell("x", "raw", [60, 66, 54], base, "b"),
  ]);
  const second = run([
    cell("raw", "raw", base, base),
    // x/a moves a little, inside the noise; y/a drops well beyond both intervals; x/b has one round.
    cell("x", "raw", [52, 56, 46], base),
    cell("y", "raw", [50, 56, 45], base),
    cell("x", "raw", [70], [100], "b"),
  ]);

  it("flags a change outside both runs' intervals, and counts the rest as noise", () => {
    const comparison = compareRuns(first, second);
    expect(comparison.changed.map((c) => `${c.app}/${c.scenario}`)).toEqual(["y/a"]);
    expect(comparison.cells.find((c) => c.app === "x" && c.scenario === "a")?.insideCombined).toBe(true);
    expect(comparison.cells.find((c) => c.app === "y")?.insideCombined).toBe(false);
    // Without an interval in the second run, x/b is neither flagged nor counted.
    expect(comparison.cells.find((c) => c.scenario === "b")?.insideCombined).toBeNull();
    expect(comparison.apps.find((a) => a.app === "x")).toMatchObject({ inside: 1, measured: 1 });
  });

  it("prints each app's geometric means, their change and the share inside the combined interval", () => {
    const report = comparisonReport(compareRuns(first, second), "one", "two");
    expect(report).toContain("1 of 2 cells with an interval in both runs changed beyond both intervals");
    expect(report).toMatch(/\| x \| 0\.\d\d \(0\.\d\d-0\.\d\d\) \| 0\.\d\d \| [+-]\d+\.\d% \| 1 of 1 \(100%\) \|/);
    expect(report).toContain("Geometric means within ±5% of each other: 0 of 2 (0%) apps.");
    expect(report).toContain("| y | a | 0.80 (");
  });
});

describe("results.json", () => {
  it("names app folders relative to the repository, and reads old files that named them absolutely", async () => {
    const root = join(tmpdir(), "some", "checkout");
    const absolute = run([cell("raw", "raw", base, base)], [app("raw", true, join(root, "apps", "raw"))]);
    expect(portableResults(absolute, root).apps[0]?.dir).toBe("apps/raw");
    const folder = await mkdtemp(join(tmpdir(), "arena-results-"));
    try {
      // An old file: absolute folders, and cells without intervals.
      const old = JSON.parse(JSON.stringify(absolute)) as BenchResults;
      for (const each of old.cells) {
        delete (each as Partial<CellResult>).ratioInterval;
        delete (each as Partial<CellResult>).ratioToNodeBaselineInterval;
      }
      await writeFile(join(folder, "results.json"), JSON.stringify(old));
      const read = await readRun(folder);
      expect(read.apps[0]?.dir).toBe("apps/raw");
      // Intervals come back, recomputed from the recorded rounds (the baseline against itself: exactly 1).
      expect(read.cells[0]?.ratioInterval).toEqual([1, 1]);
      expect(markdownReport(read, "npm run bench")).toContain("| a | 1.00 · 100 |");
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe("the geometric mean over scenarios", () => {
  it("is the mean of the logs, with an interval that combines the scenarios' standard errors", () => {
    const half = Math.log(1.1); // each scenario ±10% in log space, from 5 rounds
    const parts = [0.5, 2].map((ratio) => ({
      ratio,
      interval: [ratio / 1.1, ratio * 1.1] as [number, number],
      rounds: 5,
    }));
    const mean = geometricMean(parts);
    expect(mean?.value).toBeCloseTo(1, 10);
    // Two independent scenarios: the standard error of the mean is se / sqrt(2).
    const expected = (1.959964 * (half / tQuantile975(4))) / Math.sqrt(2);
    expect(Math.log(mean?.interval?.[1] ?? 0)).toBeCloseTo(expected, 10);
    expect(Math.log(mean?.interval?.[0] ?? 0)).toBeCloseTo(-expected, 10);
  });

  it("gives no interval when a scenario has none, and no mean when a ratio is missing", () => {
    expect(geometricMean([{ ratio: 0.8, interval: null, rounds: 1 }])).toEqual({ value: 0.8, interval: null });
    expect(geometricMean([{ ratio: null, interval: null, rounds: 0 }])).toBeNull();
  });
});
