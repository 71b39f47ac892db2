import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, it } from "vitest";
import { openLoopSeconds, percentileInterval, percentiles, runOpenLoop } from "../src/open-loop.js";
import { latencyCell } from "../src/report.js";
import type { FixedRateLatency } from "../src/runner.js";

const STALL_MS = 300;

/**
 * Answers at once, except that once, a second after its first request, it holds every request that
 * arrives for STALL_MS and answers them all when the stall ends (a pause in the app, not in the
 * process that sends the load, which shares this event loop). The stall ends when its own timer
 * fires, not when the clock says so: Node fires a timer up to a millisecond before
 * performance.now() reaches its due time, so a request sent on a slot freed by that timer could
 * otherwise still land inside the stall by the clock and be held a second time.
 */
async function stallingServer(): Promise<{ server: Server; url: string; heldDuringStall: () => number }> {
  let firstAt: number | null = null;
  let held: (() => void)[] = [];
  let heldCount = 0;
  let stallOver = false;
  const server = createServer((request, response) => {
    request.resume();
    const now = performance.now();
    firstAt ??= now;
    const answer = () => response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    if (stallOver || now < firstAt + 1000) {
      answer();
      return;
    }
    if (heldCount === 0) {
      setTimeout(() => {
        stallOver = true;
        for (const release of held) release();
        held = [];
      }, STALL_MS);
    }
    heldCount++;
    held.push(answer);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, heldDuringStall: () => heldCount };
}

function close(server: Server): Promise<unknown> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
}

describe("open-loop load at a fixed rate", () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) await close(server);
    server = undefined;
  });

  it("keeps sending through a stall, holds the rate, and shows the stall in p99", async () => {
    const stalling = await stallingServer();
    server = stalling.server;
    const result = await runOpenLoop({
      url: stalling.url,
      requests: [
        { method: "GET", path: "/a" },
        { method: "POST", path: "/b", body: '{"x":1}' },
      ],
      rate: 200,
      durationSeconds: 3,
      maxInFlight: 1000,
    });
    expect(result.scheduled).toBe(600);
    expect(result.samples).toBe(600);
    expect(result.non2xx + result.errors + result.timeouts).toBe(0);
    expect(result.delayed).toBe(0);
    // The load did not drop while the app stalled: requests kept arriving (a closed loop of ten
    // connections would have sent ten), about rate × stall of them.
    expect(stalling.heldDuringStall()).toBeGreaterThanOrEqual(30);
    expect(Math.abs(result.achievedRate - 200) / 200).toBeLessThanOrEqual(0.02);
    // About sixty of six hundred requests were due during the stall; the first of them waited
    // nearly all of it, from when they were due, so the top one percent is close to the stall.
    expect(result.latencyMs.p99).toBeGreaterThanOrEqual(0.8 * STALL_MS);
    expect(result.latencyMs.max).toBeGreaterThanOrEqual(0.9 * STALL_MS);
    expect(result.latencyMs.p50).toBeLessThan(result.latencyMs.p99);
  });

  it("times a request held back by the in-flight bound from when it was due, and counts it", async () => {
    const stalling = await stallingServer();
    server = stalling.server;
    const result = await runOpenLoop({
      url: stalling.url,
      requests: [{ method: "GET", path: "/" }],
      rate: 200,
      durationSeconds: 2,
      maxInFlight: 4,
    });
    expect(result.samples).toBe(400);
    expect(result.non2xx + result.errors + result.timeouts).toBe(0);
    // Only four could wait out the stall at the server; the rest of those due waited for a slot.
    expect(stalling.heldDuringStall()).toBeLessThanOrEqual(4);
    expect(result.delayed).toBeGreaterThan(20);
    expect(result.latencyMs.p99).toBeGreaterThanOrEqual(0.8 * STALL_MS);
  });

  it("counts wrong answers and refused connections as failures", async () => {
    server = createServer((_request, response) => response.writeHead(500).end("broken"));
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const wrong = await runOpenLoop({
      url: `http://127.0.0.1:${port}`,
      requests: [{ method: "GET", path: "/x" }],
      rate: 100,
      durationSeconds: 0.2,
      maxInFlight: 10,
    });
    expect(wrong.non2xx).toBe(20);
    expect(wrong.failures[0]).toContain("GET /x -> 500 broken");
    await close(server);
    server = undefined;
    const refused = await runOpenLoop({
      url: `http://127.0.0.1:${port}`,
      requests: [{ method: "GET", path: "/x" }],
      rate: 100,
      durationSeconds: 0.1,
      maxInFlight: 10,
    });
    expect(refused.errors).toBe(10);
    expect(refused.samples).toBe(0);
  });
});

describe("fixed-rate run length", () => {
  it("lasts long enough for the least number of samples", () => {
    expect(openLoopSeconds(50, 2, 1000)).toBe(20);
    expect(openLoopSeconds(2000, 2, 1000)).toBe(2);
  });

  it("takes nearest-rank percentiles of every sample", () => {
    const samples = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentiles(samples)).toEqual({ p50: 50, p90: 90, p99: 99, mean: 50.5, max: 100 });
  });
});

describe("a latency cell of the report", () => {
  const measured = { p50: 4.2, p90: 9.6, p99: 31, mean: 6, max: 40, rate: 80, targetRate: 80, samples: 1000 };

  it("prints the percentiles, the achieved rate next to the target, and the sample count", () => {
    expect(latencyCell({ ...measured, achievedRate: 79.6, delayed: 0, maxSendLagMs: 2 })).toBe(
      "4.2 / 9.6 / 31.0 ms (79.6/80 req/s, 1000 samples)",
    );
    expect(latencyCell({ ...measured, achievedRate: 70.2, delayed: 12, maxSendLagMs: 900 })).toBe(
      "4.2 / 9.6 / 31.0 ms (70.2/80 req/s, 1000 samples, 12 held back)",
    );
  });

  it("reads a run from before the open loop, which had only its rate", () => {
    const old = { p50: 4.2, p90: 9.6, p99: 31, mean: 6, max: 40, rate: 80 } as FixedRateLatency;
    expect(latencyCell(old)).toBe("4.2 / 9.6 / 31.0 ms (80 req/s)");
  });

  it("prints each percentile's interval when the run has one", () => {
    const intervals = { p50: [4.1, 4.3], p90: [9.2, 10.1], p99: null } as FixedRateLatency["intervals"];
    expect(latencyCell({ ...measured, achievedRate: 80, delayed: 0, maxSendLagMs: 1, intervals })).toBe(
      "4.2 (4.1-4.3) / 9.6 (9.2-10.1) / 31.0 ms (80.0/80 req/s, 1000 samples)",
    );
  });
});

describe("the interval of a latency percentile", () => {
  const ramp = (n: number) => Float64Array.from({ length: n }, (_, i) => i + 1);

  it("bounds a p99 with order statistics around rank 990 of 1,000", () => {
    expect(percentileInterval(ramp(1000), 99)).toEqual([983, 998]);
    expect(percentileInterval(ramp(1000), 50)).toEqual([469, 532]);
  });

  it("covers the true percentile about 95% of the time", () => {
    // Exponential latencies with rate 1: the true median is ln 2.
    let seed = 7;
    const uniform = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed + 0.5) / 2 ** 31;
    };
    let covered = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const sorted = Float64Array.from({ length: 300 }, () => -Math.log(uniform())).sort();
      const interval = percentileInterval(sorted, 50);
      if (interval && interval[0] <= Math.LN2 && Math.LN2 <= interval[1]) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.92);
  });

  it("has none when the samples cannot bound it", () => {
    expect(percentileInterval(ramp(50), 99)).toBeNull();
  });
});
