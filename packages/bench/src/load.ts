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

/**
 * One autocannon run replaying a request list. Every connection walks the list in order and
 * starts over at its end. A non-2xx response or a socket error makes the result a failure: a fast
 * error is not throughput.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const failures: string[] = [];
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: options.requests.map((request) => ({
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
  });
  return {
    requestsPerSecond: result.requests.total / result.duration,
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

export function failed(result: LoadResult): boolean {
  return result.non2xx > 0 || result.errors > 0 || result.timeouts > 0 || result.requests === 0;
}
