import { spawn, spawnSync } from "node:child_process";
import { createServer, type RequestListener } from "node:http";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { createTokenService } from "@arena/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appGeometricMeans,
  BENCH_JWT_SECRET,
  type BenchResults,
  benchToken,
  buildRequestLists,
  type CellResult,
  COMMITTED_SCALES,
  committedRequestListsText,
  compareRuns,
  failed,
  generateDataset,
  markdownReport,
  measureThroughput,
  median,
  pinProcessTree,
  planCpus,
  ratioInterval,
  ratioToBaseline,
  readRun,
  runLoad,
  SCENARIOS,
  serialiseRequestLists,
  sizeAt,
  spread,
  withCurrentFields,
  withRatioToBaseline,
} from "../src/index.js";
import { baselineOf } from "../src/repeatability.js";

describe("the data set", () => {
  it("is the same for the same seed and differs for another", () => {
    const a = generateDataset(0.05);
    const b = generateDataset(0.05);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(generateDataset(0.05, 1))).not.toBe(JSON.stringify(a));
  });

  it("has the promised sizes, unique keys and valid references", () => {
    const data = generateDataset(0.1);
    const size = sizeAt(0.1);
    expect(data.users).toHaveLength(size.users);
    expect(data.articles).toHaveLength(size.articles);
    expect(data.comments).toHaveLength(size.comments);
    expect(new Set(data.articles.map((a) => a.slug)).size).toBe(size.articles);
    expect(new Set(data.users.map((u) => u.username)).size).toBe(size.users);
    expect(new Set(data.favorites.map((f) => `${f.userId}:${f.articleId}`)).size).toBe(data.favorites.length);
    expect(new Set(data.follows.map((f) => `${f.followerId}:${f.followeeId}`)).size).toBe(data.follows.length);
    for (const article of data.articles) expect(article.authorId).toBeLessThanOrEqual(size.users);
    const created = data.articles.map((a) => a.createdAt.getTime());
    expect(created).toEqual([...created].sort((x, y) => x - y));
  });

  it("has the default sizes the docs promise: thousands of users, tens of thousands of rows", () => {
    const size = sizeAt(1);
    expect(size.users).toBeGreaterThanOrEqual(1000);
    expect(size.articles).toBeGreaterThanOrEqual(10_000);
    expect(size.tags).toBeGreaterThanOrEqual(100);
  });
});

describe("the request lists", () => {
  it.each(COMMITTED_SCALES)("committed for scale %s are exactly what the generator makes", async (scale) => {
    const generated = serialiseRequestLists(buildRequestLists(generateDataset(scale)));
    expect(await committedRequestListsText(scale)).toBe(generated);
  });

  it("cover every scenario with requests that name seeded data", () => {
    const data = generateDataset(0.02);
    const lists = buildRequestLists(data);
    const slugs = new Set(data.articles.map((a) => a.slug));
    for (const scenario of SCENARIOS) {
      const list = lists[scenario.name] ?? [];
      expect(list.length, scenario.name).toBeGreaterThan(0);
      for (const request of list) {
        const slug = /^\/api\/articles\/([^/?]+)/.exec(request.path)?.[1];
        if (slug && slug !== "feed") expect(slugs.has(slug), request.path).toBe(true);
      }
    }
    expect(lists.mixed?.some((r) => r.method !== "GET")).toBe(true);
  });

  it("sign tokens the API accepts, so no login is measured", async () => {
    const tokens = createTokenService(BENCH_JWT_SECRET);
    expect(await tokens.verify(benchToken(42))).toBe(42);
    expect(benchToken(42)).toBe(benchToken(42));
  });
});

/** A local HTTP server for the load engine to measure: its URL, and a close for afterAll. */
async function serve(handler: RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("runLoad", () => {
  let server: Awaited<ReturnType<typeof serve>>;
  let url = "";
  beforeAll(async () => {
    server = await serve((req, res) => {
      res.writeHead(req.url === "/fail" ? 500 : 200, { "Content-Type": "application/json" });
      res.end("{}");
    });
    url = server.url;
  });
  afterAll(() => server.close());

  it("measures throughput and latency of a request list", async () => {
    const result = await runLoad({
      url,
      requests: [{ method: "GET", path: "/ok" }],
      connections: 2,
      durationSeconds: 0.5,
    });
    expect(failed(result)).toBe(false);
    expect(result.requests).toBeGreaterThan(0);
    expect(result.requestsPerSecond).toBeGreaterThan(0);
    expect(result.latencyMs.p99).toBeGreaterThanOrEqual(result.latencyMs.p50);
  });

  it("fails a run with any non-2xx response, and says which", async () => {
    const result = await runLoad({
      url,
      requests: [
        { method: "GET", path: "/ok" },
        { method: "GET", path: "/fail" },
      ],
      connections: 1,
      durationSeconds: 0.3,
    });
    expect(failed(result)).toBe(true);
    expect(result.non2xx).toBeGreaterThan(0);
    expect(result.failures[0]).toMatch(/GET \/fail -> 500/);
  });
});

describe("measureThroughput", () => {
  const DELAY_MS = 150;
  let server: Awaited<ReturnType<typeof serve>>;
  let url = "";
  beforeAll(async () => {
    // Every answer takes DELAY_MS: with c connections no honest measurement can exceed c / DELAY_MS.
    server = await serve((_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end("{}");
      }, DELAY_MS);
    });
    url = server.url;
  });
  afterAll(() => server.close());

  it("counts a window of whole cycles on a slow endpoint, never more than it can serve", async () => {
    const connections = 4;
    const result = await measureThroughput({
      url,
      requests: [{ method: "GET", path: "/" }],
      connections,
      windowSeconds: 0.1,
      settleSeconds: 0,
      maxSeconds: 10,
    });
    expect(failed(result)).toBe(false);
    expect(result.coarse).toBe(false);
    // The window waited for the connections' first answers and then for one more from each.
    expect(result.windowSeconds).toBeGreaterThanOrEqual(0.1);
    expect(Math.round(result.requestsPerSecond * result.windowSeconds)).toBeGreaterThanOrEqual(connections);
    expect(result.requestsPerSecond).toBeLessThanOrEqual((connections / DELAY_MS) * 1000 * 1.05);
  });

  it("flags a window that the time limit cut short as coarse", async () => {
    const result = await measureThroughput({
      url,
      requests: [{ method: "GET", path: "/" }],
      connections: 2,
      windowSeconds: 5,
      settleSeconds: 0,
      maxSeconds: 0.5,
    });
    expect(result.coarse).toBe(true);
    expect(failed(result)).toBe(false);
  });
});

describe("CPU pinning", () => {
  const linuxWithTwoCpus = process.platform === "linux" && cpus().length >= 2;

  it("gives the load generator CPU 0 and the system under test the others", () => {
    const expected = linuxWithTwoCpus
      ? { loadGenerator: "0", server: cpus().length === 2 ? "1" : `1-${cpus().length - 1}` }
      : null;
    expect(planCpus()).toEqual(expected);
  });

  it.runIf(linuxWithTwoCpus)("pins a process tree, and its children inherit the pinning", async () => {
    const parent = spawn("sh", ["-c", "sleep 30 & wait"], { stdio: "ignore" });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await pinProcessTree(parent.pid as number, "1");
      const affinity = (pid: number) => spawnSync("taskset", ["-c", "-p", String(pid)], { encoding: "utf8" }).stdout;
      expect(affinity(parent.pid as number)).toMatch(/list: 1\n/);
      const children = spawnSync("pgrep", ["-P", String(parent.pid)], { encoding: "utf8" })
        .stdout.trim()
        .split("\n");
      expect(children.length).toBeGreaterThan(0);
      for (const child of children) expect(affinity(Number(child))).toMatch(/list: 1\n/);
    } finally {
      parent.kill("SIGKILL");
    }
  });
});

describe("statistics", () => {
  it("takes the median and the relative spread of rounds", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(spread([90, 100, 110])).toBeCloseTo(0.2);
    expect(spread([100])).toBe(0);
  });

  it("divides each round by pg's round of the same moment, then takes the geometric mean", () => {
    // A slow second round for both: per-round ratios stay at 0.5; a slow round on one side only
    // shifts the ratio of medians, not the mean of the paired ratios.
    expect(ratioToBaseline([50, 25, 50], [100, 50, 100])).toBeCloseTo(0.5, 10);
    // Ratios 0.5, 0.5 and 0.4: their geometric mean, the centre of the interval on the same logs.
    expect(ratioToBaseline([50, 50, 40], [100, 100, 100])).toBeCloseTo(Math.cbrt(0.5 * 0.5 * 0.4), 10);
    const interval = ratioInterval([50, 50, 40], [100, 100, 100]) as [number, number];
    expect(Math.sqrt(interval[0] * interval[1])).toBeCloseTo(ratioToBaseline([50, 50, 40], [100, 100, 100]) ?? 0, 10);
    expect(ratioToBaseline([50, 50], [100, 100, 100])).toBe(0.5);
    expect(ratioToBaseline([50], [])).toBeNull();
  });
});

describe("compareRuns", () => {
  const run = (ratios: Record<string, number>) =>
    ({
      cells: [
        { app: "pg", scenario: "a", ratioToBaseline: 1, failures: [] },
        ...Object.entries(ratios).map(([key, ratioToBaseline]) => {
          const [app, scenario] = key.split("/");
          return { app, scenario, ratioToBaseline, failures: [] };
        }),
      ],
    }) as unknown as BenchResults;

  it("reports how far each cell's ratio to pg moved, and each app's geometric mean", () => {
    const comparison = compareRuns(
      run({ "x/a": 0.5, "x/b": 0.8, "y/a": 0.2 }),
      run({ "x/a": 0.52, "x/b": 0.6, "y/a": 0.2 }),
    );
    expect(comparison.cells.map((c) => [c.app, c.scenario, Number(c.change.toFixed(3))])).toEqual([
      ["x", "a", 0.04],
      ["x", "b", -0.25],
      ["y", "a", 0],
    ]);
    expect(comparison.outside.map((c) => `${c.app}/${c.scenario}`)).toEqual(["x/b"]);
    expect(comparison.apps.find((a) => a.app === "x")?.change).toBeCloseTo(Math.sqrt((0.52 * 0.6) / (0.5 * 0.8)) - 1);
  });

  it("reads results written before the rename, whose cells call the ratio ratioToPg", async () => {
    const published = fileURLToPath(new URL("../../../docs/benchmarks/latest/results.json", import.meta.url));
    const legacy = { cells: [{ app: "pg", scenario: "a", ratioToPg: 1, failures: [] }] };
    expect(withRatioToBaseline(legacy).cells).toEqual([{ app: "pg", scenario: "a", ratioToBaseline: 1, failures: [] }]);
    const results = await readRun(published);
    expect(results.cells.length).toBeGreaterThan(0);
    for (const cell of results.cells) expect(cell.ratioToBaseline === null || cell.ratioToBaseline > 0).toBe(true);
    const baseline = baselineOf(results);
    expect(baseline).toBeDefined();
    expect(results.cells.filter((cell) => cell.app === baseline).every((cell) => cell.ratioToBaseline === 1)).toBe(
      true,
    );
  });
});

describe("two ratios per cell", () => {
  const cell = (app: string, baseline: string, ratio: number, nodeRatio: number) => ({
    app,
    scenario: "a",
    rounds: [100 * nodeRatio],
    medianRps: 100 * nodeRatio,
    spread: 0,
    baseline,
    ratioToBaseline: ratio,
    nodeBaseline: "node-raw",
    ratioToNodeBaseline: nodeRatio,
    statementsPerRequest: null,
    cpuMsPerRequest: 1,
    databaseWork: null,
    coarseRounds: 0,
    latency: null,
    failures: [],
    latencyFailures: [],
  });
  const app = (name: string, language: string, baseline: boolean) => ({
    name,
    title: name,
    dir: `apps/${name}`,
    language,
    baseline,
    commands: { start: "x", migrate: "y" },
    packages: {},
    placement: "spawned",
    node: null,
    runtimeVersion: null,
    peakRssMb: 1,
    cpuSeconds: 1,
  });
  // Names that are no app's: the report takes everything from the results.
  const run = (ormRatio: number) =>
    ({
      startedAt: "s",
      finishedAt: "f",
      settings: {
        scale: 1,
        connections: 10,
        durationSeconds: 1,
        settleSeconds: 0,
        warmupSeconds: 0,
        rounds: 1,
        workers: 1,
        poolMax: 10,
        nodeFlags: [],
      },
      environment: {
        cpus: 2,
        cpuModel: "c",
        memoryGb: 1,
        platform: "p",
        node: "v",
        postgres: "p",
        database: "embedded",
      },
      placement: { cpus: null, loadGenerator: "h", apps: {}, database: "d" },
      ceiling: { requestsPerSecond: 1 },
      apps: [app("py-orm", "python", false), app("py-raw", "python", true), app("node-raw", "typescript", true)],
      cells: [
        cell("node-raw", "node-raw", 1, 1),
        cell("py-raw", "py-raw", 1, 0.8),
        cell("py-orm", "py-raw", ormRatio, 0.8 * ormRatio),
      ],
      failures: [],
    }) as unknown as BenchResults;

  it("reports the ratio to the language's baseline and the one to the Node baseline, each labelled", () => {
    const report = markdownReport(run(0.5), "npm run bench");
    const ormTable = report.slice(report.indexOf("what the ORM costs"), report.indexOf("what the whole stack costs"));
    const stackTable = report.slice(report.indexOf("what the whole stack costs"), report.indexOf("## Latency"));
    // The Node baseline's language first, each language's baseline first within it.
    expect(ormTable).toContain(
      "| scenario | node-raw (typescript baseline) | py-raw (python baseline) | py-orm (python) |",
    );
    expect(ormTable).toContain("| a | 1.00 · 100 | 1.00 · 80 | 0.50 · 40 |");
    expect(stackTable).toContain("| a | 1.00 | 0.80 | 0.40 |");
  });

  it("voids only the latency cell when the fixed-rate run fails, not the throughput ratios or the mean", () => {
    const results = run(0.5);
    const orm = results.cells.find((c) => c.app === "py-orm") as CellResult;
    orm.latencyFailures = ["py-orm a latency: 0 non-2xx, 1 errors, 0 timeouts of 999; GET / -> socket hang up"];
    const report = markdownReport(results, "npm run bench");
    expect(report.slice(report.indexOf("what the ORM costs"))).toContain("| a | 1.00 · 100 | 1.00 · 80 | 0.50 · 40 |");
    expect(report.slice(report.indexOf("## Latency"), report.indexOf("## SQL"))).toContain("| a | – | – | FAILED |");
    expect(appGeometricMeans(results, "own").get("py-orm")?.value).toBeCloseTo(0.5);
  });

  it("reads a failed latency run of older results as the latency cell's failure only", () => {
    const results = run(0.5);
    const orm = results.cells.find((c) => c.app === "py-orm") as Partial<CellResult>;
    const failure = "py-orm a latency: 0 non-2xx, 1 errors, 0 timeouts of 999; GET / -> socket hang up";
    orm.failures = [failure];
    delete orm.latencyFailures;
    withCurrentFields(results);
    expect(orm.failures).toEqual([]);
    expect(orm.latencyFailures).toEqual([failure]);
  });

  it("leaves every language's baseline out of the repeatability check", () => {
    const comparison = compareRuns(run(0.5), run(0.55));
    expect(comparison.cells.map((c) => c.app)).toEqual(["py-orm"]);
    expect(comparison.cells[0]?.change).toBeCloseTo(0.1);
  });
});
