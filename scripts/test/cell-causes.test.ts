import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type BenchResults,
  isListOrFeed,
  MUST_DECLARE,
  measuredCauses,
  SCENARIOS,
  slowCellCauses,
  withRatioToBaseline,
} from "@arena/bench";
import { describe, expect, it } from "vitest";
import { discoverApps, repoRoot } from "../lib/apps.js";

const apps = await discoverApps();
const manifests = apps.map((app) => app.manifest);

const cell = (figures: { cpu: number; statements: number; buffers: number }) => ({
  app: "x",
  scenario: "articles",
  ratioToBaseline: 0.5,
  cpuMsPerRequest: figures.cpu,
  statementsPerRequest: figures.statements,
  databaseWork: {
    statements: figures.statements,
    rows: 20,
    sharedBlksHit: figures.buffers,
    sharedBlksRead: 0,
    execMs: 1,
  },
});

describe("the causes of slow cells", () => {
  it("every declared gap names scenarios the bench runs", () => {
    const names = SCENARIOS.map((scenario) => scenario.name);
    for (const manifest of manifests) {
      for (const gap of manifest.declaredGaps ?? [])
        expect(names, manifest.name).toEqual(expect.arrayContaining(gap.scenarios));
    }
  });

  it("reads the cause from the figures beside the baseline's: CPU, statements, or the SQL's shape", () => {
    const base = cell({ cpu: 1, statements: 1, buffers: 100 });
    expect(measuredCauses(cell({ cpu: 3, statements: 1, buffers: 110 }), base).measured).toEqual(["cpu"]);
    expect(measuredCauses(cell({ cpu: 1.1, statements: 3, buffers: 300 }), base).measured).toEqual(["statements"]);
    expect(measuredCauses(cell({ cpu: 1.1, statements: 1, buffers: 300 }), base).measured).toEqual(["shape"]);
    expect(measuredCauses(cell({ cpu: 5, statements: 2, buffers: 100 }), base).measured).toEqual(["cpu", "statements"]);
    expect(measuredCauses(cell({ cpu: 1.1, statements: 1, buffers: 120 }), base).measured).toEqual([]);
  });

  // #19's "done when": on the published run, no list or feed cell below 0.5 of its baseline
  // unless the app's manifest declares its cause with the figures that show it.
  it("on the published run, every list or feed cell below 0.5 has a declared gap", () => {
    const run = withRatioToBaseline(
      JSON.parse(readFileSync(join(repoRoot, "docs", "benchmarks", "latest", "results.json"), "utf8")) as BenchResults,
    );
    const undeclared = slowCellCauses(run.cells, manifests)
      .filter((cause) => isListOrFeed(cause.scenario) && cause.ratio < MUST_DECLARE && cause.declared.length === 0)
      .map((cause) => `${cause.app} ${cause.scenario} ${cause.ratio.toFixed(2)}`);
    expect(undeclared).toEqual([]);
  });
});
