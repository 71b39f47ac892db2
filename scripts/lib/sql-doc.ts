import type { DatabaseWork, StatementWork } from "@arena/database";
import type { Language } from "@arena/manifest";
import { format } from "sql-formatter";
import { markdownTable } from "./markdown.js";

/** The command that measures and writes docs/sql.json and docs/sql.md; both name it. */
export const SQL_REPORT_COMMAND = "npm run sql-report -- --write";

/** One app's measured requests, as docs/sql.json keeps them. */
export interface SqlReportApp {
  name: string;
  title: string;
  language: Language;
  baseline: boolean;
  /** When and on what this app was measured (an app can be measured again alone). */
  measuredAt: string;
  commit: string;
  server: string;
  endpoints: { endpoint: string; status: number; total: DatabaseWork; statements: StatementWork[] }[];
}

/** docs/sql.json: the measurement docs/sql.md is rendered from. */
export interface SqlReport {
  command: string;
  scale: number;
  articles: number;
  deepPageOffset: number;
  apps: SqlReportApp[];
}

const LANGUAGE_NAMES: Record<Language, string> = { typescript: "TypeScript", python: "Python" };

const buffers = (work: DatabaseWork) => work.sharedBlksHit + work.sharedBlksRead;
const ms = (value: number) => value.toFixed(2);
const count = (value: number) => Math.round(value).toLocaleString("en-US");
const plural = (value: number, noun: string) => `${count(value)} ${noun}${value === 1 ? "" : "s"}`;
/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");

/** A statement as pg_stat_statements normalised it, laid out for reading (its text unchanged otherwise). */
export function formatStatement(query: string): string {
  try {
    return format(query, {
      language: "postgresql",
      paramTypes: { numbered: ["$"] },
      keywordCase: "preserve",
      // Short lists and conditions stay on one line: the statements are long enough already.
      expressionWidth: 100,
    });
  } catch {
    // A statement the formatter cannot parse is shown as PostgreSQL recorded it.
    return query.trim();
  }
}

/** The languages of the report's apps, each with its baseline first and then its apps by name. */
function byLanguage(report: SqlReport): { language: Language; apps: SqlReportApp[] }[] {
  const languages = [...new Set(report.apps.map((app) => app.language))];
  return languages.map((language) => ({
    language,
    apps: report.apps
      .filter((app) => app.language === language)
      .sort((a, b) => Number(b.baseline) - Number(a.baseline) || a.name.localeCompare(b.name)),
  }));
}

/** Every endpoint, in the order of the request list (the first app's). */
export function endpointsOf(report: SqlReport): string[] {
  return [...new Set(report.apps.flatMap((app) => app.endpoints.map((row) => row.endpoint)))];
}

function statementBlock(app: SqlReportApp, endpoint: string, baselineBuffers: number | undefined): string {
  const row = app.endpoints.find((candidate) => candidate.endpoint === endpoint);
  if (!row) return `<details><summary><b>${app.title}</b>: not measured</summary>\n\nNo figures.\n\n</details>`;
  const ratio =
    baselineBuffers && !app.baseline ? `, ${(buffers(row.total) / baselineBuffers).toFixed(2)}x the baseline's` : "";
  const sql = row.statements
    .map((statement) => {
      const figures = `-- ${plural(statement.calls, "call")}, ${plural(statement.rows, "row")}, buffers ${count(statement.sharedBlksHit)} hit / ${count(statement.sharedBlksRead)} read, ${ms(statement.execMs)} ms`;
      return `${figures}\n${formatStatement(statement.query)}`;
    })
    .join("\n\n");
  return [
    `<details><summary><b>${app.title}</b>${app.baseline ? " (baseline)" : ""}: ${plural(row.total.statements, "statement")}, ${count(buffers(row.total))} buffers${ratio}</summary>`,
    "",
    "```sql",
    sql,
    "```",
    "",
    "</details>",
  ].join("\n");
}

function endpointSection(report: SqlReport, endpoint: string): string {
  const parts = [`## ${endpoint}`, ""];
  const languages = byLanguage(report);
  for (const { language, apps } of languages) {
    // Each language is compared with its own baseline; the label says which group a table is.
    if (languages.length > 1) parts.push(`${LANGUAGE_NAMES[language]}:`, "");
    const baseline = apps.find((app) => app.baseline);
    const baselineRow = baseline?.endpoints.find((row) => row.endpoint === endpoint);
    const baselineBuffers = baselineRow ? buffers(baselineRow.total) : undefined;
    parts.push(
      markdownTable(
        ["App", "Statements", "Rows", "Buffers hit", "Buffers read", "Exec ms", "Buffers ÷ baseline"],
        apps.map((app) => {
          const row = app.endpoints.find((candidate) => candidate.endpoint === endpoint);
          if (!row) return [app.title, "–", "–", "–", "–", "–", "–"];
          const ratio = baselineBuffers ? (buffers(row.total) / baselineBuffers).toFixed(2) : "–";
          return [
            `${app.title}${app.baseline ? " (baseline)" : ""}`,
            String(row.total.statements),
            count(row.total.rows),
            count(row.total.sharedBlksHit),
            count(row.total.sharedBlksRead),
            ms(row.total.execMs),
            app.baseline ? "1.00" : ratio,
          ];
        }),
        ["left", "right", "right", "right", "right", "right", "right"],
      ),
      "",
      apps.map((app) => statementBlock(app, endpoint, baselineBuffers)).join("\n\n"),
      "",
    );
  }
  return parts.join("\n").trimEnd();
}

/** docs/sql.md, before Biome aligns its tables. */
export function renderSqlDoc(report: SqlReport): string {
  const endpoints = endpointsOf(report);
  const measured = [...new Set(report.apps.map((app) => `${app.server} at commit \`${app.commit}\``))];
  const languages = byLanguage(report)
    .map(({ language, apps }) => `${LANGUAGE_NAMES[language]}: ${apps.map((app) => app.title).join(", ")}`)
    .join("; ");
  return `# The SQL of every endpoint

<!-- generated by \`${report.command}\` from docs/sql.json; do not edit by hand -->

Generated by \`${report.command}\` (which also writes the measurement, [sql.json](sql.json)); \`npm test\`
fails when this file and sql.json disagree, or when an app's statements (their number and text) are
no longer the ones listed here. For every request of the SQL profile (the requests \`npm run
sql-counts\` counts, plus a deep page), each app's statements beside its language's baseline, with
what PostgreSQL did for them: **statements** (calls, BEGIN and COMMIT included), **rows** returned or
affected, shared **buffers hit** and **read**, and **execution time**. The figures are
PostgreSQL's own accounting (\`pg_stat_statements\`, top-level statements, planning excluded), one
request at a time, each app (in-process for TypeScript, from its manifest's commands for other
languages) on a fresh database migrated by its own tool and seeded with the bench's data set (scale ${report.scale}:
${count(report.articles)} articles; the deep page reads 20 articles at offset ${count(report.deepPageOffset)}, anonymously). Statement
texts are PostgreSQL's normalised texts: every parameter and literal is a placeholder (\`$1\`...),
and a statement sent several times in one request is one entry with its calls. Buffers and rows do
not depend on the machine's load; milliseconds do (one run: read them as indicative). The list
requests run on the profile's own data on top of the seeded set (its newest articles), so their
pages are full. Apps: ${languages}. Measured on ${measured.join("; ")}.
Traps behind the gaps, with before/after figures: [pitfalls.md](pitfalls.md).

## Contents

${endpoints.map((endpoint) => `- [${endpoint}](#${anchor(endpoint)})`).join("\n")}

${endpoints.map((endpoint) => endpointSection(report, endpoint)).join("\n\n")}
`;
}
