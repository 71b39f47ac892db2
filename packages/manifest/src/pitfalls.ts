import { readFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The traps #19 found, one id each: a finding names the trap it is an instance of, so
 * docs/pitfalls.md can show one section per trap across ORMs (and languages). A new kind of trap
 * is added here, with a title and what it costs.
 */
export const TRAPS = {
  "page-after-relations": {
    title: "The page is cut after the relations are loaded",
    summary:
      "The ORM's one-call list query (relations loaded by laterals, correlated subqueries or an include) puts LIMIT/OFFSET on top of the relation loading, so PostgreSQL loads the relations of every skipped row, and a filtered page walks the created_at index under them. The cure is the same everywhere: page the ids first (a derived table or an ids subquery on the articles alone), then load the page's 20 rows with their relations.",
  },
  "paging-over-to-many-joins": {
    title: "Paging over to-many joins: DISTINCT and COUNT(DISTINCT) over every join",
    summary:
      "skip/take on a query that joins to-many relations makes the ORM find the page's ids with SELECT DISTINCT over the join of every matching article, and count with COUNT(DISTINCT) over the same joins. Filters as subqueries, ids paged with offset/limit without the to-many joins, and the page loaded by id keep both to the articles table.",
  },
  "entities-only-serialised": {
    title: "Entities built only to be serialised",
    summary:
      "Rows that go straight into a JSON response are hydrated into managed entities or model instances first. The SQL is the same; the CPU per request is not. Each ORM has a read-only path for this (plain rows, raw: true, getRawMany, execute).",
  },
  "query-built-per-call": {
    title: "The query is built on every call",
    summary:
      "The query builder assembles the SQL and the result mapping on every request when the ORM offers a prepared query that builds them once.",
  },
  "relation-subquery-per-row": {
    title: "A relation loaded by a subquery per row of a long list",
    summary:
      "A nested relation (the comment's author, whether the viewer follows them) loaded as a lateral or correlated subquery per row: on an article with hundreds of comments it probes the same few rows hundreds of times. A join, with the viewer's follows read once, touches what the baseline touches.",
  },
  "columns-not-needed": {
    title: "Every column selected",
    summary:
      "Selecting whole entities reads and sends columns the response never shows (password_hash among them) and hydrates them. The pages read are the same; the bytes and the mapping are not.",
  },
  "filter-through-to-many-join": {
    title: "A filter through a to-many relation joins and groups",
    summary:
      "Filtering a list by a to-many relation (the authors the viewer follows) written as a join of that collection makes the page query GROUP BY (or DISTINCT) over every matching row and the count COUNT(DISTINCT). The ORM's semi-join operator (an EXISTS or IN subquery) filters without multiplying rows.",
  },
  "feed-walks-created-at": {
    title: "The feed's follows filter lets PostgreSQL walk the newest-first index",
    summary:
      "A feed written as author_id IN (SELECT followee_id FROM follows ...) with ORDER BY created_at DESC LIMIT n: PostgreSQL often walks the created_at index backwards and probes follows for every article until it has n, thousands of rows for a reader who follows few or quiet authors. = ANY (ARRAY(subquery)) with a lower bound on created_at (the oldest date the page can reach, read from the (author_id, created_at) index) reads only the followed authors' newest rows. The baseline was caught by it too.",
  },
  "m2m-lookup-joins-far-table": {
    title: "A many-to-many lookup joins a table the query does not need",
    summary:
      "Counting, checking or reading a many-to-many link through the ORM's relation (favorites counted per article, tags read for a page's article ids) joins the far or the parent table even when the join table's own columns are all the query needs: a primary-key lookup of users per favorite, or articles joined back by primary key for ids already known, once per row of the page. A model of the join table itself (read-only to the ORM), or the same sub-select over the join table alone as the baseline writes it, reads the link rows with one index scan.",
  },
  "relation-load-strategy": {
    title: "Relation load strategy: one joined statement or one per relation",
    summary: "ORMs that offer both a joined load and a query per relation: measured both ways for the page read.",
  },
  "transaction-around-reads": {
    title: "Every read wrapped in a transaction",
    summary:
      "The ORM's default session or unit of work opens a transaction on first use, so a lone SELECT travels with BEGIN before it and ROLLBACK (or COMMIT) after it: two more round trips per read, invisible in the SELECT's plan and buffers. An autocommit session for reads and single-statement writes, with an explicit transaction only where several statements must commit together, sends the SELECT alone.",
  },
} as const satisfies Record<string, { title: string; summary: string }>;

export type TrapId = keyof typeof TRAPS;

/** What one way of writing the query cost per request. `null`: not measured, with the reason in `measuredWith`. */
export interface PitfallFigures {
  /** Execution time of the request's statements under EXPLAIN (ANALYZE), summed (median of runs). */
  dbMs: number | null;
  /** Shared buffers hit + read by the request's statements, summed. */
  buffers: number | null;
  /** The app's CPU per request (the store call in-process, or the process's CPU per request by URL). */
  appCpuMs: number | null;
  /** Statements the request sent, when counted. */
  statements?: number;
  /** Shared buffers of the costliest request, when the figures average over many (the feed's readers). */
  worstBuffers?: number;
}

/**
 * One trap an app fell into and how it got out: `apps/<app>/pitfalls.json` is an array of these,
 * whatever the app's language (a Python app writes the same fields).
 */
export interface Pitfall {
  /** Unique across apps, prefixed by the app's name. */
  id: string;
  trap: TrapId;
  title: string;
  /** The request it shows in, e.g. `GET /api/articles?offset=15890`. */
  endpoint: string;
  /** The idiomatic first version, in the ORM's API. */
  naive: string;
  /** What an expert of the ORM writes instead. */
  tuned: string;
  /** The SQL each sends, in words (what PostgreSQL does with it). */
  sqlShape?: { naive: string; tuned: string };
  before: PitfallFigures;
  after: PitfallFigures;
  /** The language's baseline app on the same request, same method. */
  baseline?: PitfallFigures;
  /** The PostgreSQL server measured on, and its conditions. */
  server: string;
  /** How the figures were taken: enough to measure them again. */
  measuredWith: string;
}

const FIGURE_KEYS = ["dbMs", "buffers", "appCpuMs"] as const;

function figureProblems(value: unknown, where: string): string[] {
  if (typeof value !== "object" || value === null) return [`${where}: not an object`];
  const figures = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of FIGURE_KEYS) {
    const figure = figures[key];
    if (figure !== null && (typeof figure !== "number" || !Number.isFinite(figure) || figure < 0))
      problems.push(`${where}.${key}: a non-negative number or null, got ${JSON.stringify(figure)}`);
  }
  if ("statements" in figures && !Number.isInteger(figures.statements))
    problems.push(`${where}.statements: an integer`);
  if ("worstBuffers" in figures && !Number.isInteger(figures.worstBuffers))
    problems.push(`${where}.worstBuffers: an integer`);
  const unknown = Object.keys(figures).filter((key) => ![...FIGURE_KEYS, "statements", "worstBuffers"].includes(key));
  if (unknown.length > 0) problems.push(`${where}: unknown field(s) ${unknown.join(", ")}`);
  return problems;
}

const TEXT_FIELDS = ["id", "title", "endpoint", "naive", "tuned", "server", "measuredWith"] as const;
const KNOWN_FIELDS = new Set<string>([...TEXT_FIELDS, "trap", "sqlShape", "before", "after", "baseline"]);

/** Why `value` is not a valid pitfalls.json of app `app`: an empty list when it is one. */
export function pitfallProblems(value: unknown, app: string): string[] {
  if (!Array.isArray(value)) return ["pitfalls.json must be an array of findings"];
  const problems: string[] = [];
  value.forEach((item: unknown, index) => {
    const where = `[${index}]`;
    if (typeof item !== "object" || item === null) {
      problems.push(`${where}: not an object`);
      return;
    }
    const finding = item as Record<string, unknown>;
    for (const field of TEXT_FIELDS)
      if (typeof finding[field] !== "string" || (finding[field] as string).trim() === "")
        problems.push(`${where}.${field}: a non-empty string`);
    if (typeof finding.id === "string" && !finding.id.startsWith(`${app}-`))
      problems.push(`${where}.id: starts with "${app}-"`);
    if (typeof finding.endpoint === "string" && !/^(GET|POST|PUT|DELETE) \/api\//.test(finding.endpoint))
      problems.push(`${where}.endpoint: METHOD /api/...`);
    if (typeof finding.trap !== "string" || !(finding.trap in TRAPS))
      problems.push(`${where}.trap: one of ${Object.keys(TRAPS).join(", ")}`);
    const shape = finding.sqlShape as Record<string, unknown> | undefined;
    if (shape !== undefined && (typeof shape?.naive !== "string" || typeof shape?.tuned !== "string"))
      problems.push(`${where}.sqlShape: { naive, tuned } strings`);
    problems.push(...figureProblems(finding.before, `${where}.before`));
    problems.push(...figureProblems(finding.after, `${where}.after`));
    if (finding.baseline !== undefined) problems.push(...figureProblems(finding.baseline, `${where}.baseline`));
    const unknown = Object.keys(finding).filter((key) => !KNOWN_FIELDS.has(key));
    if (unknown.length > 0) problems.push(`${where}: unknown field(s) ${unknown.join(", ")}`);
  });
  return problems;
}

/** The findings of the app folder `dir` (`[]` without a pitfalls.json); throws on an invalid file. */
export async function readPitfalls(dir: string, app: string): Promise<Pitfall[]> {
  const text = await readFile(join(dir, "pitfalls.json"), "utf8").catch(() => null);
  if (text === null) return [];
  const value: unknown = JSON.parse(text);
  const problems = pitfallProblems(value, app);
  if (problems.length > 0) throw new Error(`apps/${app}/pitfalls.json: ${problems.join("; ")}`);
  return value as Pitfall[];
}
