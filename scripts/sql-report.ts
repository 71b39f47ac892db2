/**
 * docs/sql.md: every endpoint's statements per app beside its language's baseline, with the
 * database work of each (pg_stat_statements), on the bench's data set: TypeScript apps in-process,
 * others from their manifest's commands, on a server with pg_stat_statements loaded (DATABASE_URL's
 * when it has it, otherwise an embedded PostgreSQL started with it).
 *
 *   npm run sql-report                        # measure every app, print the doc
 *   npm run sql-report -- --write             # also write docs/sql.json and docs/sql.md
 *   npm run sql-report -- --write piccolo     # measure one app again, keep the others' figures
 *   npm run sql-report -- --scale 0.1         # a smaller data set (a full --write wants scale 1)
 *   npm run sql-report -- --render            # docs/sql.md again from docs/sql.json, no measuring
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { stopStatementServer } from "@arena/testkit";
import { discoverApps, repoRoot } from "./lib/apps.js";
import { databaseWorkProfileOf, seededDataset } from "./lib/database-work-profile.js";
import { formatMarkdown, formatWithBiome } from "./lib/format.js";
import { renderSqlDoc, SQL_REPORT_COMMAND, type SqlReport, type SqlReportApp } from "./lib/sql-doc.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    write: { type: "boolean", default: false },
    render: { type: "boolean", default: false },
    scale: { type: "string", default: "1" },
  },
});
const jsonPath = join(repoRoot, "docs", "sql.json");
const docPath = join(repoRoot, "docs", "sql.md");
const previous = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, "utf8")) as SqlReport) : undefined;

let report: SqlReport;
if (values.render) {
  if (!previous) throw new Error("--render needs docs/sql.json: run with --write first");
  report = previous;
} else {
  const scale = Number(values.scale);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`--scale must be a positive number, got ${values.scale}`);
  const dataset = await seededDataset(scale);
  const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();
  const all = await discoverApps();
  const measured = new Set(
    (positionals.length > 0 ? await discoverApps(positionals) : all).map((app) => app.manifest.name),
  );
  // Figures of apps not measured now are kept only from a run on the same data set.
  const kept = previous?.scale === scale && positionals.length > 0 ? previous.apps : [];
  const apps: SqlReportApp[] = [];
  try {
    for (const app of all) {
      if (!measured.has(app.manifest.name)) {
        const old = kept.find((entry) => entry.name === app.manifest.name);
        if (old) apps.push(old);
        continue;
      }
      console.error(`measuring ${app.manifest.name} on scale ${scale}...`);
      const { server, endpoints } = await databaseWorkProfileOf(app, dataset);
      apps.push({
        name: app.manifest.name,
        title: app.manifest.title,
        language: app.manifest.language,
        baseline: app.manifest.baseline,
        measuredAt: new Date().toISOString().slice(0, 16).replace("T", " "),
        commit,
        server,
        endpoints: endpoints.map(({ endpoint, status, work }) => ({
          endpoint,
          status,
          total: { ...work.total, execMs: round(work.total.execMs) },
          statements: work.statements.map((row) => ({ ...row, execMs: round(row.execMs) })),
        })),
      });
    }
  } finally {
    await stopStatementServer();
  }
  report = {
    command: SQL_REPORT_COMMAND,
    scale,
    articles: dataset.data.articles.length,
    deepPageOffset: dataset.deepPageOffset,
    apps,
  };
}

const doc = formatMarkdown(renderSqlDoc(report), docPath);
if (values.write || values.render) {
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(docPath, doc);
  formatWithBiome([jsonPath]);
  console.error("wrote docs/sql.json and docs/sql.md");
} else {
  process.stdout.write(doc);
}
process.exit(0);

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
