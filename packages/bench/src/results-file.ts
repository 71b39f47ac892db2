import { isAbsolute, relative, sep } from "node:path";
import type { BenchResults } from "./runner.js";

/**
 * A run as results.json records it: each app's folder relative to the repository, so the file
 * names no folder of the machine that ran it and reads the same on any checkout.
 */
export function portableResults<T extends BenchResults>(results: T, repoRoot: string): T {
  return {
    ...results,
    apps: results.apps.map((app) => ({
      ...app,
      dir: isAbsolute(app.dir) ? posixPath(relative(repoRoot, app.dir)) : app.dir,
    })),
  };
}

/**
 * A results.json of any age made current in memory: an absolute app folder (files written before
 * folders were recorded relative) cut to its repository-relative part from its last `apps/`,
 * cells written before intervals were recorded given none, and a failed latency run moved out of
 * the throughput failures into `latencyFailures`.
 */
export function withCurrentFields<T extends BenchResults>(run: T): T {
  for (const app of run.apps ?? []) {
    if (typeof app.dir === "string" && isAbsolute(app.dir)) {
      const parts = app.dir.split(/[\\/]/);
      const at = parts.lastIndexOf("apps");
      app.dir = at >= 0 ? parts.slice(at).join("/") : (parts.at(-1) ?? app.dir);
    }
  }
  for (const cell of run.cells) {
    cell.ratioInterval ??= null;
    cell.ratioToNodeBaselineInterval ??= null;
    if (cell.latencyFailures === undefined) {
      // Before they were kept apart, a failed latency run sat among the throughput failures and voided the ratios too.
      const isLatency = (failure: string) => failure.startsWith(`${cell.app} ${cell.scenario} latency:`);
      cell.latencyFailures = cell.failures.filter(isLatency);
      cell.failures = cell.failures.filter((failure) => !isLatency(failure));
    }
  }
  return run;
}

/** The separator-free form of a relative folder, as results.json writes it on every platform. */
export const posixPath = (path: string) => path.split(sep).join("/");
