/**
 * docs/sql.json's shape and how its statements are laid out for reading: written by
 * `npm run sql-report` (scripts/lib/sql-doc.ts renders docs/sql.md), read by the site (#22).
 * sql-formatter is an optional peer of this package: the tools that lay statements out install it,
 * the apps (whose production tree holds @arena/database through the API layer) do not.
 */
import type { Language } from "@arena/manifest";
import { format } from "sql-formatter";
import type { DatabaseWork, StatementWork } from "./database-work.js";

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
