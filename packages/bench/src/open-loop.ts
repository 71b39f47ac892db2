import { Agent, request as httpRequest } from "node:http";
import { performance } from "node:perf_hooks";
import type { Interval } from "./intervals.js";
import type { BenchRequest } from "./scenarios.js";

export interface OpenLoopOptions {
  url: string;
  requests: BenchRequest[];
  /** Requests per second, sent on schedule whatever the app does. */
  rate: number;
  durationSeconds: number;
  /**
   * The most requests in flight at once. A request due while the bound is hit waits for a free
   * slot, still timed from when it was due; `delayed` counts them and the achieved rate shows it.
   */
  maxInFlight: number;
  timeoutSeconds?: number;
}

export interface LatencyIntervals {
  p50: Interval | null;
  p90: Interval | null;
  p99: Interval | null;
}

export interface OpenLoopResult {
  targetRate: number;
  /** The rate requests actually left at: (sent - 1) over the time from the first send to the last. */
  achievedRate: number;
  /** Requests on the schedule. */
  scheduled: number;
  /** Requests answered (any status): each is one latency sample. */
  samples: number;
  /** From the scheduled send time to the response's last byte. */
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
  /** The 95% interval of each percentile (see `percentileInterval`); null where too few samples bound it. */
  latencyIntervalsMs: LatencyIntervals;
  /** Requests sent after their time because `maxInFlight` requests were already out. */
  delayed: number;
  /** The latest any request left after its scheduled time: the generator's own lag, included in latency. */
  maxSendLagMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  failures: string[];
}

const DEFAULT_TIMEOUT_SECONDS = 30;
// The first send is scheduled a little ahead, so the timer loop starts on time.
const LEAD_MS = 5;

/**
 * Open-loop load: request i is due at start + i / rate and leaves then, on any idle keep-alive
 * connection or a new one, whether or not earlier requests have returned. Its latency counts from
 * when it was due, so a stall in the app shows in the tail instead of lowering the load the app
 * sees (coordinated omission, which a closed loop of connections has: each waits for its answer).
 * Request i replays `requests[i % length]`.
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const { rate, maxInFlight } = options;
  if (!(rate > 0) || !(options.durationSeconds > 0)) throw new Error("open loop needs a rate and a duration");
  const total = Math.max(1, Math.round(rate * options.durationSeconds));
  const intervalMs = 1000 / rate;
  const timeoutMs = (options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  const base = new URL(options.url);
  // No socket cap of the agent's own: `maxInFlight` is the bound, and a due request must not queue unseen.
  const agent = new Agent({ keepAlive: true });
  const latencies = new Float64Array(total);
  const result = { samples: 0, non2xx: 0, errors: 0, timeouts: 0, delayed: 0, maxSendLagMs: 0 };
  const failures: string[] = [];
  const waiting: number[] = [];
  let inFlight = 0;
  let firstSend = Number.NaN;
  let lastSend = Number.NaN;
  let settled = 0;
  const startAt = performance.now() + LEAD_MS;
  const dueAt = (i: number) => startAt + i * intervalMs;

  await new Promise<void>((resolve) => {
    const finish = () => {
      settled++;
      inFlight--;
      const next = waiting.shift();
      if (next !== undefined) send(next);
      if (settled === total) resolve();
    };
    const send = (i: number) => {
      const now = performance.now();
      if (Number.isNaN(firstSend)) firstSend = now;
      lastSend = now;
      result.maxSendLagMs = Math.max(result.maxSendLagMs, now - dueAt(i));
      inFlight++;
      const spec = options.requests[i % options.requests.length] as BenchRequest;
      const fail = (message: string) => {
        if (failures.length < 5) failures.push(`${spec.method} ${spec.path} -> ${message}`);
      };
      let done = false;
      const once = (then: () => void) => {
        if (done) return;
        done = true;
        then();
        finish();
      };
      const outgoing = httpRequest(
        new URL(spec.path, base),
        {
          method: spec.method,
          agent,
          headers: {
            ...(spec.body
              ? { "content-type": "application/json", "content-length": Buffer.byteLength(spec.body) }
              : {}),
            ...spec.headers,
          },
        },
        (response) => {
          const status = response.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => {
            if (!ok && chunks.length < 4) chunks.push(chunk);
          });
          response.on("end", () =>
            once(() => {
              latencies[result.samples++] = performance.now() - dueAt(i);
              if (!ok) {
                result.non2xx++;
                fail(`${status} ${Buffer.concat(chunks).toString("utf8").slice(0, 200)}`);
              }
            }),
          );
          response.on("error", (error) => once(() => countError(error)));
        },
      );
      const countError = (error: Error) => {
        result.errors++;
        // A connection the app closed as the request went out on it (a keep-alive race, nodejs/node#47130)
        // reads differently from one it broke while answering: say which.
        fail(
          `${error.message}${outgoing.reusedSocket ? " (on a reused keep-alive connection)" : " (on a new connection)"}`,
        );
      };
      outgoing.setTimeout(timeoutMs, () => {
        once(() => {
          result.timeouts++;
          fail(`no answer in ${timeoutMs} ms`);
        });
        outgoing.destroy();
      });
      outgoing.on("error", (error) => once(() => countError(error)));
      outgoing.end(spec.body);
    };
    let next = 0;
    // Every tick sends all requests already due, so a late timer catches up instead of thinning the load.
    const tick = () => {
      const now = performance.now();
      while (next < total && dueAt(next) <= now) {
        if (inFlight < maxInFlight) send(next);
        else {
          result.delayed++;
          waiting.push(next);
        }
        next++;
      }
      if (next < total) setTimeout(tick, Math.max(0, dueAt(next) - performance.now()));
    };
    setTimeout(tick, LEAD_MS);
  });
  agent.destroy();

  const sent = total;
  const spanSeconds = (lastSend - firstSend) / 1000;
  return {
    targetRate: rate,
    achievedRate: sent > 1 && spanSeconds > 0 ? (sent - 1) / spanSeconds : rate,
    scheduled: total,
    samples: result.samples,
    latencyMs: percentiles(latencies.subarray(0, result.samples)),
    latencyIntervalsMs: percentileIntervals(latencies.subarray(0, result.samples)),
    delayed: result.delayed,
    maxSendLagMs: result.maxSendLagMs,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    failures,
  };
}

/** Exact nearest-rank percentiles: every sample is kept, so no histogram rounding. */
export function percentiles(samples: Float64Array): OpenLoopResult["latencyMs"] {
  if (samples.length === 0)
    return { p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, mean: Number.NaN, max: Number.NaN };
  const sorted = Float64Array.from(samples).sort();
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    p50: rank(50),
    p90: rank(90),
    p99: rank(99),
    mean: sum / sorted.length,
    max: sorted[sorted.length - 1] as number,
  };
}

/**
 * The 95% interval of the p-th percentile from the order statistics, distribution-free: the rank of
 * the samples below the true percentile is binomial (n, p/100), so the sorted samples at ranks
 * np ∓ 1.96·√(np(1-p/100)) (widened by one rank each side) bound it. Latencies have long tails and
 * no shape to assume, which rules out a normal interval; it needs no resampling either. Null when a
 * bound would fall outside the samples: 1,000 samples bound a p99 (ranks 983 to 998), 50 do not.
 * The samples of one run are treated as independent, which a stall lasting several requests is
 * not: the interval is the sampling uncertainty of this run, not the spread between runs.
 */
export function percentileInterval(sorted: Float64Array, p: number): Interval | null {
  const n = sorted.length;
  const q = p / 100;
  const spread = 1.959964 * Math.sqrt(n * q * (1 - q));
  const low = Math.floor(n * q - spread); // 1-based ranks
  const high = Math.ceil(n * q + spread) + 1;
  if (low < 1 || high > n) return null;
  return [sorted[low - 1] as number, sorted[high - 1] as number];
}

export function percentileIntervals(samples: Float64Array): LatencyIntervals {
  const sorted = Float64Array.from(samples).sort();
  return {
    p50: percentileInterval(sorted, 50),
    p90: percentileInterval(sorted, 90),
    p99: percentileInterval(sorted, 99),
  };
}

/** Seconds a fixed-rate run lasts: at least `seconds`, and long enough for `minSamples` requests. */
export function openLoopSeconds(rate: number, seconds: number, minSamples: number): number {
  return Math.max(seconds, rate > 0 ? minSamples / rate : 0);
}

export function openLoopFailed(result: OpenLoopResult): boolean {
  return result.non2xx > 0 || result.errors > 0 || result.timeouts > 0 || result.samples === 0;
}
