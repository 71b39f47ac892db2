import type { AppManifest } from "@arena/manifest";
import { buffersOf, type EndpointWork, type WorkEndpoint } from "./endpoint-work.js";

/**
 * The buffer guard of `npm test` (#19): each guarded endpoint of an app touches at most 1.5x the
 * shared buffers of its language's baseline, unless the app's manifest declares the query shape
 * the ORM cannot avoid or the statements it requires (`declaredGaps`, cause `shape` or `statements`,
 * with `buffersRatio`: its measured figure).
 * Buffers, not time: they do not depend on how busy the machine is.
 */
export const BUFFER_LIMIT = 1.5;

export interface GuardVerdict {
  endpoint: string;
  baselineBuffers: number;
  buffers: number;
  ratio: number;
  /** The allowed ratio: 1.5, or the manifest's declared figure. */
  limit: number;
  /** The declared gap's reason when the limit is the manifest's. */
  declared: string | null;
  pass: boolean;
}

/**
 * The declared `shape` or `statements` gap that names `endpoint` (among comma-separated endpoints)
 * with a buffer figure. A `cpu` gap never explains buffers.
 */
export function declaredBufferGap(manifest: AppManifest, endpoint: string) {
  return (manifest.declaredGaps ?? []).find(
    (gap) =>
      (gap.cause === "shape" || gap.cause === "statements") &&
      gap.buffersRatio !== undefined &&
      gap.endpoint
        .split(",")
        .map((name) => name.trim())
        .includes(endpoint),
  );
}

/** Each guarded endpoint of `app` against the baseline's figures. */
export function guardVerdicts(
  manifest: AppManifest,
  work: EndpointWork[],
  baseline: EndpointWork[],
  endpoints: WorkEndpoint[],
): GuardVerdict[] {
  return endpoints
    .filter((endpoint) => endpoint.guarded)
    .map(({ endpoint }) => {
      const mine = work.find((row) => row.endpoint === endpoint);
      const theirs = baseline.find((row) => row.endpoint === endpoint);
      if (!mine || !theirs) throw new Error(`${manifest.name}: ${endpoint} was not measured`);
      const buffers = buffersOf(mine.work);
      const baselineBuffers = buffersOf(theirs.work);
      if (baselineBuffers <= 0)
        throw new Error(`the baseline touched no buffer on ${endpoint}: nothing to compare with`);
      const ratio = buffers / baselineBuffers;
      const gap = declaredBufferGap(manifest, endpoint);
      const limit = gap?.buffersRatio ?? BUFFER_LIMIT;
      return {
        endpoint,
        baselineBuffers,
        buffers,
        ratio,
        limit,
        declared: gap ? gap.why : null,
        pass: ratio <= limit,
      };
    });
}

/** The guard's table: one row per app and endpoint, buffers per request and the ratio to the baseline. */
export function guardTable(verdicts: Record<string, GuardVerdict[]>, baselineName: string): string {
  const lines = [
    `| app | endpoint | buffers/request | ${baselineName} | ratio | limit | |`,
    "| --- | --- | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const [app, rows] of Object.entries(verdicts)) {
    for (const row of rows) {
      lines.push(
        `| ${app} | \`${row.endpoint}\` | ${row.buffers.toFixed(0)} | ${row.baselineBuffers.toFixed(0)} | ${row.ratio.toFixed(2)} | ${row.limit}${row.declared ? " (declared)" : ""} | ${row.pass ? "ok" : "OVER"} |`,
      );
    }
  }
  return lines.join("\n");
}
