import {
  type EmbeddedServer,
  hasStatementAccounting,
  measureDatabaseWork,
  STATEMENT_ACCOUNTING_SETTINGS,
  startEmbeddedServer,
} from "@arena/database";
import type { StatementCounter } from "./contract-suite/index.js";

/**
 * PostgreSQL's own statement accounting (pg_stat_statements, read by @arena/database's
 * database-work module), for apps tested by URL: the SQL counter of the in-process path wraps
 * node-postgres, which an app in another language does not use, while PostgreSQL counts every
 * statement whatever sent it.
 */
let server: Promise<EmbeddedServer> | undefined;

/**
 * A PostgreSQL server whose statements pg_stat_statements accounts for: the shared server of
 * `DATABASE_URL` when it has it loaded (the test run's embedded server does), otherwise an
 * embedded PostgreSQL of this process started with it (it must be in `shared_preload_libraries`
 * at start, which an outside server may not have). The by-URL suites and the buffer guard create
 * their databases on it.
 */
export async function statementServerUrl(): Promise<string> {
  const shared = process.env.DATABASE_URL;
  if (shared && (await hasStatementAccounting(shared))) return shared;
  server ??= (async () => {
    const started = await startEmbeddedServer({ settings: { ...STATEMENT_ACCOUNTING_SETTINGS } });
    if (!(await hasStatementAccounting(started.url))) {
      await started.stop();
      throw new Error("the embedded PostgreSQL started without pg_stat_statements");
    }
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
 * Counts the statements clients sent to the database of `databaseUrl` while `work` ran: the calls
 * pg_stat_statements saw there (see `measureDatabaseWork`). Like the in-process counter, it needs
 * the database to itself while it counts; BEGIN and COMMIT count.
 */
export function pgStatStatementsCounter(databaseUrl: string): StatementCounter {
  return async (work) => {
    const measured = await measureDatabaseWork(databaseUrl, work);
    const statements = measured.statements.flatMap((row) => Array.from({ length: row.calls }, () => row.query));
    return { result: measured.result, count: measured.total.statements, statements };
  };
}
