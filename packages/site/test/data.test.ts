/**
 * The build step's readers, without a browser: each app's implementation of every use case is
 * found in its store files, and a results.json of any age (intervals or none, `rate` or
 * `targetRate`) gives the matrix's rows with the intervals it has.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchResults } from "@arena/bench";
import type { SqlReport } from "@arena/database/sql-report";
import { discoverApps, filesOf, pathOf, repoRoot } from "@arena/manifest";
import { describe, expect, it } from "vitest";
import { benchCellsOf, benchRows, mappingProblems } from "../src/build/data.js";
import { extractMethods, snakeCase } from "../src/build/extract.js";
import { readPort } from "../src/build/port.js";

const useCases = readPort();

describe("the port's use cases in every app's store", async () => {
  const apps = await discoverApps();
  it.each(apps.map((app) => [app.manifest.name, app] as const))(
    "%s implements each one where the site finds it",
    (_name, app) => {
      const python = app.manifest.language === "python";
      const files = filesOf(app, "store").map((file) => ({
        file: pathOf(app, file),
        source: readFileSync(join(app.dir, file), "utf8"),
      }));
      const names = useCases.map((useCase) => (python ? snakeCase(useCase.id) : useCase.id));
      const methods = extractMethods(files, python ? "python" : "typescript", names);
      for (const name of names) {
        const method = methods.get(name)?.method;
        expect(method, `${app.manifest.name}: ${name}`).toBeDefined();
        // The cut starts at the method's own line and ends where its body does.
        expect(method?.code).toMatch(new RegExp(`^(async\\s+)?(def\\s+)?${name}\\b`));
        expect(method?.code.trimEnd()).toMatch(python ? /\S$/ : /\}$/);
        const line = files.find((file) => file.file === method?.file)?.source.split("\n")[(method?.line ?? 0) - 1];
        expect(line?.trim().startsWith(method?.code.split("\n")[0] ?? "?")).toBe(true);
      }
    },
  );

  it("follows the helpers a method calls, not the names it binds itself", () => {
    const source = [
      "const ROWS = 20;",
      'function page(limit: number) { return "LIMIT " + limit; }',
      "function unused() { return 1; }",
      "export function createStore() {",
      "  return {",
      "    async listTags() { return page(ROWS); },",
      "    async listFeed(page: number) { return page + 1; },",
      "  };",
      "}",
    ].join("\n");
    const methods = extractMethods([{ file: "store.ts", source }], "typescript", ["listTags", "listFeed"]);
    expect(methods.get("listTags")?.helpers.map((helper) => helper.name)).toEqual(["ROWS", "page"]);
    expect(methods.get("listFeed")?.helpers).toEqual([]);
  });

  it("cuts Python methods by indentation, triple-quoted SQL at column 0 included", () => {
    const source = [
      "QUERY = '''",
      "SELECT 1",
      "'''",
      "",
      "class Store:",
      "    async def list_tags(self) -> list[str]:",
      "        rows = await self._fetch(QUERY)",
      "        sql = '''",
      "SELECT name FROM tags",
      "'''",
      "        return [row[0] for row in rows]",
      "",
      "    async def _fetch(self, sql: str) -> list[str]:",
      "        return []",
    ].join("\n");
    const methods = extractMethods([{ file: "store.py", source }], "python", ["list_tags"]);
    const found = methods.get("list_tags");
    expect(found?.method.code.split("\n")).toHaveLength(6);
    expect(found?.helpers.map((helper) => helper.name)).toEqual(["QUERY", "_fetch"]);
  });
});

describe("the site's map of use cases and scenarios to endpoints", () => {
  it("places every port method and every bench scenario on endpoints docs/sql.json records", () => {
    const sqlReport = JSON.parse(readFileSync(join(repoRoot, "docs/sql.json"), "utf8")) as SqlReport;
    expect(mappingProblems(useCases, sqlReport)).toEqual([]);
  });
});

describe("a results.json of any age", () => {
  const cell = (app: string, extra: Record<string, unknown>) => ({
    app,
    scenario: "mixed",
    rounds: [100, 101],
    medianRps: 100,
    spread: 0.01,
    baseline: "pg",
    ratioToBaseline: app === "pg" ? 1 : 0.6,
    nodeBaseline: "pg",
    ratioToNodeBaseline: app === "pg" ? 1 : 0.6,
    statementsPerRequest: 2,
    cpuMsPerRequest: 1.5,
    databaseWork: null,
    coarseRounds: 0,
    failures: [],
    ...extra,
  });

  it("shows the intervals a run recorded", () => {
    const { cells } = benchCellsOf({
      cells: [
        cell("pg", { ratioInterval: null, latency: { p50: 10, p90: 20, p99: 30, targetRate: 40 } }),
        cell("drizzle", {
          ratioInterval: [0.55, 0.65],
          latency: {
            p50: 12,
            p90: 25,
            p99: 41,
            targetRate: 40,
            achievedRate: 39.9,
            samples: 2400,
            intervals: { p50: [11, 13], p90: [23, 27], p99: [38, 45] },
          },
        }),
      ],
      apps: [],
    } as unknown as BenchResults);
    const rows = benchRows(["pg", "drizzle"], cells, ["mixed"]);
    const ratio = rows.find((row) => row.label.endsWith(": mixed"));
    expect(ratio?.cells.drizzle).toMatchObject({ value: 0.6, low: 0.55, high: 0.65 });
    expect(ratio?.cells.drizzle?.text).toBe("0.60 [0.55–0.65] (100 req/s)");
    // The baseline is exactly 1 by definition: no interval.
    expect(ratio?.cells.pg?.text).toBe("1.00 (100 req/s)");
    const p99 = rows.find((row) => row.label.endsWith("p99"));
    expect(p99?.cells.drizzle?.text).toBe("41 ms [38–45] at 40 req/s");
    expect(p99?.cells.pg?.text).toBe("30 ms at 40 req/s");
  });

  it("reads a run written before intervals, whose fixed rate was `rate`", () => {
    const { cells } = benchCellsOf({
      cells: [cell("drizzle", { latency: { p50: 12, p90: 25, p99: 41, mean: 14, max: 60, rate: 42 } })],
      apps: [],
    } as unknown as BenchResults);
    expect(cells[0]?.interval).toBeNull();
    expect(cells[0]?.latency).toMatchObject({ targetRate: 42, intervals: { p50: null, p90: null, p99: null } });
    const rows = benchRows(["drizzle"], cells, ["mixed"]);
    expect(rows.find((row) => row.label.endsWith("p50"))?.cells.drizzle?.text).toBe("12 ms at 42 req/s");
  });
});
