import { describe, expect, it } from "vitest";
import { baselineOf, discoverApps, historyTables } from "../src/index.js";

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
        // A buffer allowance is only ever a query shape's, and above the guard's own 1.5.
        if (gap.buffersRatio !== undefined) {
          expect(gap.cause, manifest.name).toBe("shape");
          expect(gap.buffersRatio, manifest.name).toBeGreaterThan(1.5);
        }
      }
    }
  });

  it("collect every migration tool's history tables", async () => {
    const tables = await historyTables();
    for (const { manifest } of apps) expect(tables).toEqual(expect.arrayContaining(manifest.migrations.historyTables));
  });
});
