import { createServer, type Server } from "node:http";
import { createTokenService } from "@arena/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BENCH_JWT_SECRET,
  benchToken,
  buildRequestLists,
  COMMITTED_SCALES,
  committedRequestListsText,
  failed,
  generateDataset,
  median,
  ratioToBaseline,
  runLoad,
  SCENARIOS,
  serialiseRequestLists,
  sizeAt,
  spread,
} from "../src/index.js";

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

describe("runLoad", () => {
  let server: Server;
  let url = "";
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(req.url === "/fail" ? 500 : 200, { "Content-Type": "application/json" });
      res.end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

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

describe("statistics", () => {
  it("takes the median and the relative spread of rounds", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(spread([90, 100, 110])).toBeCloseTo(0.2);
    expect(spread([100])).toBe(0);
  });

  it("divides each round by pg's round of the same moment, then takes the median", () => {
    // A slow second round for both: per-round ratios stay at 0.5; medians alone would give 0.5 too,
    // but a slow round on one side only shifts the ratio of medians and not the median of ratios.
    expect(ratioToBaseline([50, 25, 50], [100, 50, 100])).toBe(0.5);
    expect(ratioToBaseline([50, 50, 40], [100, 60, 100])).toBeCloseTo(0.5);
    expect(ratioToBaseline([50, 50], [100, 100, 100])).toBe(0.5);
    expect(ratioToBaseline([50], [])).toBeNull();
  });
});
