import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stopStatementServer } from "@arena/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { type DiscoveredApp, discoverApps, repoRoot } from "../lib/apps.js";
import { databaseWorkProfileOf, type SeededDataset, seededDataset } from "../lib/database-work-profile.js";
import { formatMarkdown } from "../lib/format.js";
import { renderSqlDoc, SQL_REPORT_COMMAND, type SqlReport } from "../lib/sql-doc.js";

// docs/sql.md is measured on the bench's data set at scale 1, which takes minutes per app; its
// statements (how many each request sends, and their normalised texts) do not depend on the data
// set's size, so they are checked here on a small seeded set. Timings and buffers are not asserted.
const CHECK_SCALE = 0.05;

const docPath = join(repoRoot, "docs", "sql.md");
const jsonPath = join(repoRoot, "docs", "sql.json");
const report = JSON.parse(readFileSync(jsonPath, "utf8")) as SqlReport;
const apps = await discoverApps();
const rerun = `run \`${SQL_REPORT_COMMAND}\``;
let dataset: SeededDataset | undefined;

afterAll(() => stopStatementServer());

describe("docs/sql.md", () => {
  it(`is what \`${SQL_REPORT_COMMAND}\` rendered from docs/sql.json, and names that command`, () => {
    const written = readFileSync(docPath, "utf8");
    expect(written).toContain(SQL_REPORT_COMMAND);
    expect(report.command).toBe(SQL_REPORT_COMMAND);
    expect(written, `${rerun} (or \`npm run sql-report -- --render\` after editing the renderer)`).toBe(
      formatMarkdown(renderSqlDoc(report), docPath),
    );
  });

  it("covers every app of the manifests, each beside its own language's baseline", () => {
    expect(report.apps.map((app) => app.name).sort(), rerun).toEqual(apps.map((app) => app.manifest.name).sort());
    for (const app of report.apps) {
      const manifest = apps.find((candidate) => candidate.manifest.name === app.name)?.manifest;
      expect({ language: app.language, baseline: app.baseline }, app.name).toEqual({
        language: manifest?.language,
        baseline: manifest?.baseline,
      });
    }
  });

  it("is linked from docs/comparison.md and from every app's README", () => {
    expect(readFileSync(join(repoRoot, "docs", "comparison.md"), "utf8")).toContain("](sql.md)");
    for (const app of apps) {
      const readme = join(app.dir, "README.md");
      expect(existsSync(readme) && readFileSync(readme, "utf8"), app.manifest.name).toContain("](../../docs/sql.md)");
    }
  });

  it.each(apps.map((app): [string, DiscoveredApp] => [app.manifest.name, app]))(
    "lists the statements %s sends today, request by request (counts and texts)",
    async (name, app) => {
      dataset ??= await seededDataset(CHECK_SCALE);
      const { endpoints } = await databaseWorkProfileOf(app, dataset);
      const documented = report.apps.find((entry) => entry.name === name);
      const texts = (statements: { query: string; calls: number }[]) =>
        statements.flatMap((row) => Array.from({ length: row.calls }, () => row.query)).sort();
      expect(
        documented?.endpoints.map((row) => ({
          endpoint: row.endpoint,
          statements: row.total.statements,
          texts: texts(row.statements),
        })),
        rerun,
      ).toEqual(
        endpoints.map((row) => ({
          endpoint: row.endpoint,
          statements: row.work.total.statements,
          texts: texts(row.work.statements),
        })),
      );
    },
    300_000,
  );
});
