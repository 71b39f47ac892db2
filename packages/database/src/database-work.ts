import { runSql, withDatabaseName } from "./fresh-database.js";

/**
 * Database work from PostgreSQL's own accounting (`pg_stat_statements`): what the server did for
 * the statements clients sent to one database, whatever language or driver sent them. Buffers
 * touched do not depend on how busy the machine is, so they explain throughput gaps and can be
 * asserted; execution time is the server's, not the client's.
 *
 * What is counted, by the settings of {@link STATEMENT_ACCOUNTING_SETTINGS}:
 * - top-level statements only (`pg_stat_statements.track = top`, the default): a function's inner
 *   statements are part of its caller's figures;
 * - utility statements too (`track_utility`, on by default): BEGIN, COMMIT and SET each count as a
 *   statement, with no rows and no buffers, as the in-process counter counts them;
 * - execution only (`track_planning = off`): planning reads the catalogues through shared
 *   buffers the first time a connection plans a statement, which would make the figures depend on
 *   which pooled connection served a request.
 */

/** Server settings that load and configure pg_stat_statements (it must be preloaded at start). */
export const STATEMENT_ACCOUNTING_SETTINGS: Readonly<Record<string, string>> = {
  shared_preload_libraries: "pg_stat_statements",
  // One entry per distinct statement per database; tests create many databases on one server.
  "pg_stat_statements.max": "10000",
  "pg_stat_statements.track": "top",
  "pg_stat_statements.track_planning": "off",
};

/** One statement (normalised text, parameters as $1...) and the work it cost. */
export interface StatementWork {
  query: string;
  calls: number;
  /** Rows returned or affected. */
  rows: number;
  /** Shared buffer pages found in PostgreSQL's cache. */
  sharedBlksHit: number;
  /** Shared buffer pages read from the OS (its page cache or disk). */
  sharedBlksRead: number;
  /** Server execution time, milliseconds (planning excluded). */
  execMs: number;
}

/** The work of many statements added up; `statements` is the number of calls. */
export interface DatabaseWork {
  statements: number;
  rows: number;
  sharedBlksHit: number;
  sharedBlksRead: number;
  execMs: number;
}

/** pg_stat_statements' cumulative figures for one database at one moment. */
export interface DatabaseWorkSnapshot {
  readonly database: string;
  /** Keyed by user and query id: one entry per distinct statement. */
  readonly entries: ReadonlyMap<string, StatementWork>;
}

/** The work between two snapshots: per statement (most calls first) and in total. */
export interface DatabaseWorkDiff {
  statements: StatementWork[];
  total: DatabaseWork;
}

/** The work `work` caused in a database, beside its own result. */
export type MeasuredDatabaseWork<T> = DatabaseWorkDiff & { result: T };

const EMPTY_WORK: DatabaseWork = { statements: 0, rows: 0, sharedBlksHit: 0, sharedBlksRead: 0, execMs: 0 };

/** The database a URL names. */
export function databaseNameOf(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
}

/** The database the accounting is read from (and where the extension is created). */
const READER_DATABASE = "postgres";

/**
 * The server's maintenance database: another one than the measured database, so the reading
 * itself is never counted in it.
 */
function readerUrl(databaseUrl: string): string {
  return withDatabaseName(databaseUrl, READER_DATABASE);
}

function measuredName(databaseUrl: string): string {
  const database = databaseNameOf(databaseUrl);
  if (database === READER_DATABASE) {
    throw new Error(`database work is read from the ${READER_DATABASE} database, so it cannot measure that one`);
  }
  return database;
}

/**
 * Whether the server of `databaseUrl` (any database on it) keeps pg_stat_statements: loaded at
 * start, and the extension created in its `postgres` database or creatable there by this user. An
 * outside server may not, and then database work is "not measured" rather than wrong. Creates the
 * extension when it can.
 */
export async function hasStatementAccounting(databaseUrl: string): Promise<boolean> {
  try {
    const url = readerUrl(databaseUrl);
    const [setting] = await runSql<{ libraries: string }>(
      url,
      "SELECT current_setting('shared_preload_libraries') AS libraries",
    );
    const libraries = (setting?.libraries ?? "").split(",").map((library) => library.trim());
    if (!libraries.includes("pg_stat_statements")) return false;
    await runSql(url, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    await runSql(url, "SELECT 1 FROM pg_stat_statements LIMIT 1");
    return true;
  } catch {
    return false;
  }
}

/** pg_stat_statements' cumulative figures for the database of `databaseUrl`, top-level statements only. */
export async function snapshotDatabaseWork(databaseUrl: string): Promise<DatabaseWorkSnapshot> {
  const database = measuredName(databaseUrl);
  const rows = await runSql<{
    key: string;
    query: string;
    calls: string;
    rows: string;
    hit: string;
    read: string;
    exec_ms: number;
  }>(
    readerUrl(databaseUrl),
    `SELECT userid::text || ':' || queryid::text AS key, query, calls::text AS calls, rows::text AS rows,
            shared_blks_hit::text AS hit, shared_blks_read::text AS read, total_exec_time AS exec_ms
       FROM pg_stat_statements
      WHERE toplevel AND dbid = (SELECT oid FROM pg_database WHERE datname = $1)`,
    [database],
  );
  return {
    database,
    entries: new Map(
      rows.map((row) => [
        row.key,
        {
          query: row.query,
          calls: Number(row.calls),
          rows: Number(row.rows),
          sharedBlksHit: Number(row.hit),
          sharedBlksRead: Number(row.read),
          execMs: row.exec_ms,
        },
      ]),
    ),
  };
}

/**
 * The work done between two snapshots of the same database: one row per statement that ran in
 * between (most calls first, then most buffers), and their total.
 */
export function diffDatabaseWork(before: DatabaseWorkSnapshot, after: DatabaseWorkSnapshot): DatabaseWorkDiff {
  if (before.database !== after.database) {
    throw new Error(`snapshots of two databases: ${before.database} and ${after.database}`);
  }
  const statements: StatementWork[] = [];
  for (const [key, now] of after.entries) {
    const then = before.entries.get(key);
    const calls = now.calls - (then?.calls ?? 0);
    // An entry evicted and re-created in between restarts from zero: count it from there.
    const base = then && calls >= 0 ? then : undefined;
    const delta: StatementWork = {
      query: now.query,
      calls: base ? calls : now.calls,
      rows: now.rows - (base?.rows ?? 0),
      sharedBlksHit: now.sharedBlksHit - (base?.sharedBlksHit ?? 0),
      sharedBlksRead: now.sharedBlksRead - (base?.sharedBlksRead ?? 0),
      execMs: now.execMs - (base?.execMs ?? 0),
    };
    if (delta.calls > 0) statements.push(delta);
  }
  statements.sort(
    (a, b) => b.calls - a.calls || b.sharedBlksHit + b.sharedBlksRead - (a.sharedBlksHit + a.sharedBlksRead),
  );
  return { statements, total: totalWork(statements) };
}

/** Two amounts of work added up (e.g. the rounds of a benchmark cell). */
export function addWork(a: DatabaseWork, b: DatabaseWork): DatabaseWork {
  return {
    statements: a.statements + b.statements,
    rows: a.rows + b.rows,
    sharedBlksHit: a.sharedBlksHit + b.sharedBlksHit,
    sharedBlksRead: a.sharedBlksRead + b.sharedBlksRead,
    execMs: a.execMs + b.execMs,
  };
}

/** The sum of statements' work. */
export function totalWork(statements: readonly StatementWork[]): DatabaseWork {
  return statements.reduce<DatabaseWork>(
    (sum, { calls, rows, sharedBlksHit, sharedBlksRead, execMs }) =>
      addWork(sum, { statements: calls, rows, sharedBlksHit, sharedBlksRead, execMs }),
    EMPTY_WORK,
  );
}

/** Work divided by a number of requests (for per-request columns). */
export function workPerRequest(total: DatabaseWork, requests: number): DatabaseWork {
  if (requests <= 0) throw new Error("work per request needs at least one request");
  return {
    statements: total.statements / requests,
    rows: total.rows / requests,
    sharedBlksHit: total.sharedBlksHit / requests,
    sharedBlksRead: total.sharedBlksRead / requests,
    execMs: total.execMs / requests,
  };
}

/**
 * Runs `work` and reports what PostgreSQL did for the database of `databaseUrl` meanwhile. Like
 * any counter of a shared database, it needs the database to itself while it measures: run one
 * request (or one load run) at a time.
 */
export async function measureDatabaseWork<T>(
  databaseUrl: string,
  work: () => Promise<T>,
): Promise<MeasuredDatabaseWork<T>> {
  const before = await snapshotDatabaseWork(databaseUrl);
  const result = await work();
  const after = await snapshotDatabaseWork(databaseUrl);
  return { result, ...diffDatabaseWork(before, after) };
}
