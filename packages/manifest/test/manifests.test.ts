import { describe, expect, it } from "vitest";
import { baselineOf, discoverApps, historyTables, pitfallProblems, readPitfalls } from "../src/index.js";

const apps = await discoverApps();

describe("the apps' manifests", () => {
  it("name one baseline per language, listed first", () => {
    const languages = new Set(apps.map((app) => app.manifest.language));
    for (const language of languages) {
      const baselines = apps.filter((app) => app.manifest.language === language && app.manifest.baseline);
      expect(baselines, `baselines of ${language}`).toHaveLength(1);
    }
    expect(apps[0]?.manifest.baseline).toBe(true);
    expect(baselineOf(apps).manifest.language).toBe("typescript");
  });

  it("give every app its commands, history tables and a docker port of its own", () => {
    for (const { manifest } of apps) {
      // `prepareSource` is optional: only a tool that generates code the source imports needs it.
      expect(
        Object.keys(manifest.commands)
          .filter((command) => command !== "prepareSource")
          .sort(),
        manifest.name,
      ).toEqual(["build", "migrate", "migrateFromSource", "start", "startFromSource"]);
      expect(manifest.migrations.historyTables.length, manifest.name).toBeGreaterThan(0);
    }
    const ports = apps.map((app) => app.manifest.docker.port);
    expect(new Set(ports).size).toBe(ports.length);
    expect(new Set(apps.map((app) => app.manifest.name)).size).toBe(apps.length);
  });

  it("declare each remaining gap with one of the three causes #19 allows, an endpoint and a reason", () => {
    for (const { manifest } of apps) {
      for (const gap of manifest.declaredGaps ?? []) {
        expect(["cpu", "statements", "shape"], manifest.name).toContain(gap.cause);
        expect(gap.endpoint, manifest.name).toMatch(/^(GET|POST|PUT|DELETE) \/api\//);
        expect(gap.why.length, manifest.name).toBeGreaterThan(40);
        // Which scenario names exist is the bench's to say (scripts/test/cell-causes.test.ts).
        expect(gap.scenarios.length, manifest.name).toBeGreaterThan(0);
        // A buffer allowance is only ever a query shape's or the statements the ORM requires
        // (CPU never explains buffers), and above the guard's own 1.5.
        if (gap.buffersRatio !== undefined) {
          expect(["shape", "statements"], manifest.name).toContain(gap.cause);
          expect(gap.buffersRatio, manifest.name).toBeGreaterThan(1.5);
        }
      }
    }
  });

  it("collect every migration tool's history tables", async () => {
    const tables = await historyTables();
    for (const { manifest } of apps) expect(tables).toEqual(expect.arrayContaining(manifest.migrations.historyTables));
  });

  it("keep their pitfalls.json to the Pitfall type, ids unique across apps", async () => {
    const ids: string[] = [];
    for (const { dir, manifest } of apps) {
      const findings = await readPitfalls(dir, manifest.name);
      ids.push(...findings.map((finding) => finding.id));
    }
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("the Pitfall type's check", () => {
  const valid = {
    id: "demo-trap",
    trap: "page-after-relations",
    title: "t",
    endpoint: "GET /api/articles",
    naive: "n",
    tuned: "t",
    before: { dbMs: 1, buffers: 10, appCpuMs: null },
    after: { dbMs: 0.5, buffers: 5, appCpuMs: 0.1, statements: 2 },
    server: "PostgreSQL 15",
    measuredWith: "EXPLAIN (ANALYZE, BUFFERS)",
  };

  it("accepts a finding of the documented shape", () => {
    expect(pitfallProblems([valid], "demo")).toEqual([]);
  });

  it("names what is wrong: the app prefix, an unknown trap, a figure that is not a number, an unknown field", () => {
    const problems = pitfallProblems(
      [{ ...valid, id: "other-trap", trap: "nope", before: { dbMs: "1", buffers: 1, appCpuMs: 1 }, extra: 1 }],
      "demo",
    );
    expect(problems.join("\n")).toMatch(/id: starts with "demo-"/);
    expect(problems.join("\n")).toMatch(/trap: one of/);
    expect(problems.join("\n")).toMatch(/before\.dbMs/);
    expect(problems.join("\n")).toMatch(/unknown field\(s\) extra/);
    expect(pitfallProblems({}, "demo")).toEqual(["pitfalls.json must be an array of findings"]);
  });
});
