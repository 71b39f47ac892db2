import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import type { BenchRequest } from "./scenarios.js";

export interface LoadOptions {
  url: string;
  requests: BenchRequest[];
  connections: number;
  durationSeconds: number;
  /** Requests per second across all connections; unset = as fast as the app answers. */
  rate?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
  /** Completed requests. */
  requests: number;
  /** Requests sent, including those cut off in flight when the run ended (their SQL still ran). */
  sent: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** The first failing responses, to say why a cell failed. */
  failures: string[];
}

export interface WindowOptions {
  url: string;
  requests: BenchRequest[];
  connections: number;
  /** The least time the window lasts. */
  windowSeconds: number;
  /**
   * Time before the window opens, so connections are open and every one is busy. The window also
   * waits for one completion per connection: on a slow endpoint that is when the queue is full.
   */
  settleSeconds: number;
  /** Give up after this long; the result is then flagged `coarse`. */
  maxSeconds: number;
}

export interface WindowResult extends LoadResult {
  /** Seconds from the window's first counted completion to its last. */
  windowSeconds: number;
  /** The window never got one completion per connection: the figure is a rough one. */
  coarse: boolean;
}

// autocannon checks whether to stop only on its sampling tick (every second by default), so a
// 1.5 s run lasted 2 s; a short tick makes a run end when it is told to.
const SAMPLE_INTERVAL_MS = 50;
// A deep-offset page under ten concurrent requests on one core takes seconds; autocannon's default
// of 10 s would turn a slow answer into a failure. A hung app still fails the cell.
const TIMEOUT_SECONDS = 30;

/**
 * One autocannon run replaying a request list. Every connection walks the list in order and
 * starts over at its end. A non-2xx response or a socket error makes the result a failure: a fast
 * error is not throughput.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { instance, failures } = start(options.url, options.requests, options.connections, {
    duration: options.durationSeconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
  });
  return summarise(await instance.done, failures, (result) => result.requests.total / result.duration);
}

/**
 * Throughput in steady state: completions counted between two completions inside one continuous
 * run, after the connections have settled. A run that starts cold counts its own ramp-up (a slow
 * endpoint's first answers arrive seconds after the start), and a count over a short window is
 * coarse; this counts from the completion that ends the settling to the completion that ends the
 * window, which also ends a burst on an endpoint whose requests finish together.
 */
export async function measureThroughput(options: WindowOptions): Promise<WindowResult> {
  const { instance, failures } = start(options.url, options.requests, options.connections, {
    duration: options.maxSeconds,
  });
  const startedAt = performance.now();
  let completed = 0;
  let opened: { at: number; count: number } | null = null;
  let closed: { at: number; count: number } | null = null;
  instance.tracker.on("response", () => {
    if (closed) return;
    completed++;
    const now = performance.now();
    if (!opened) {
      if (now - startedAt >= options.settleSeconds * 1000 && completed >= options.connections) {
        opened = { at: now, count: completed };
      }
      return;
    }
    // At least one completion per connection inside the window: a whole cycle of a slow endpoint.
    if (now - opened.at >= options.windowSeconds * 1000 && completed - opened.count >= options.connections) {
      closed = { at: now, count: completed };
      instance.tracker.stop();
    }
  });
  const raw = await instance.done;
  const window = windowOf(opened, closed);
  const result = summarise(raw, failures, (all) =>
    window ? window.completions / window.seconds : all.requests.total / all.duration,
  );
  return { ...result, windowSeconds: window?.seconds ?? raw.duration, coarse: closed === null };
}

function windowOf(
  opened: { at: number; count: number } | null,
  closed: { at: number; count: number } | null,
): { completions: number; seconds: number } | null {
  if (!opened || !closed || closed.at <= opened.at) return null;
  return { completions: closed.count - opened.count, seconds: (closed.at - opened.at) / 1000 };
}

function start(
  url: string,
  requests: BenchRequest[],
  connections: number,
  extra: { duration: number; overallRate?: number },
) {
  const failures: string[] = [];
  let tracker!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    tracker = autocannon(
      {
        url,
        connections,
        sampleInt: SAMPLE_INTERVAL_MS,
        timeout: TIMEOUT_SECONDS,
        ...extra,
        requests: requests.map((request) => ({
          method: request.method,
          path: request.path,
          ...(request.headers ? { headers: request.headers } : {}),
          ...(request.body ? { body: request.body } : {}),
          onResponse: (status: number, body: string) => {
            if ((status < 200 || status >= 300) && failures.length < 5) {
              failures.push(`${request.method} ${request.path} -> ${status} ${String(body).slice(0, 200)}`);
            }
          },
        })),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  return { instance: { tracker, done }, failures };
}

function summarise(
  result: autocannon.Result,
  failures: string[],
  requestsPerSecond: (result: autocannon.Result) => number,
): LoadResult {
  return {
    requestsPerSecond: requestsPerSecond(result),
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      mean: result.latency.average,
      max: result.latency.max,
    },
    requests: result.requests.total,
    sent: result.requests.sent,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    failures,
  };
}

export function failed(result: Pick<LoadResult, "non2xx" | "errors" | "timeouts" | "requests">): boolean {
  return result.non2xx > 0 || result.errors > 0 || result.timeouts > 0 || result.requests === 0;
}
