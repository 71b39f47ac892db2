import { type EmbeddedServer, runSql, startEmbeddedServer, withDatabaseName } from "@arena/database";
import type { StatementCounter } from "./contract-suite/index.js";

/**
 * PostgreSQL's own statement accounting (pg_stat_statements), for apps tested by URL: the SQL
 * counter of the in-process path wraps node-postgres, which an app in another language does not
 * use, while PostgreSQL counts every statement whatever sent it.
 */
let server: Promise<EmbeddedServer> | undefined;

/**
 * An embedded PostgreSQL of this test process with pg_stat_statements loaded (it must be in
 * `shared_preload_libraries` at start, which a shared or outside server may not have): the server
 * the by-URL suites create their databases on. Started on first use.
 */
export async function statementServerUrl(): Promise<string> {
  server ??= (async () => {
    const started = await startEmbeddedServer({
      settings: { shared_preload_libraries: "pg_stat_statements", "pg_stat_statements.max": "10000" },
    });
    await runSql(started.url, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    return started;
  })();
  return (await server).url;
}

/** Stops the server of {@link statementServerUrl}, if this process started one. */
export async function stopStatementServer(): Promise<void> {
  const started = server;
  server = undefined;
  if (started) await (await started).stop();
}

/**
 * Counts the statements clients sent to the database of `databaseUrl` while `work` ran: the
 * difference of pg_stat_statements' top-level calls in that database, read from the server's
 * `postgres` database (so the reading itself is not counted). Like the in-process counter, it needs
 * the database to itself while it counts; BEGIN and COMMIT count (track_utility is on by default).
 */
export function pgStatStatementsCounter(databaseUrl: string): StatementCounter {
  return async (work) => {
    const before = await callsByStatement(databaseUrl);
    const result = await work();
    const after = await callsByStatement(databaseUrl);
    const statements: string[] = [];
    for (const [key, { calls, query }] of after) {
      const delta = calls - (before.get(key)?.calls ?? 0);
      for (let i = 0; i < delta; i++) statements.push(query);
    }
    return { result, count: statements.length, statements };
  };
}

async function callsByStatement(databaseUrl: string): Promise<Map<string, { calls: number; query: string }>> {
  const database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const rows = await runSql<{ key: string; calls: string; query: string }>(
    withDatabaseName(databaseUrl, "postgres"),
    `SELECT userid::text || ':' || queryid::text AS key, calls::text AS calls, query
       FROM pg_stat_statements
      WHERE toplevel AND dbid = (SELECT oid FROM pg_database WHERE datname = $1)`,
    [database],
  );
  return new Map(rows.map((row) => [row.key, { calls: Number(row.calls), query: row.query }]));
}
