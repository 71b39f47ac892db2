import {
  databaseNameOf,
  hasStatementAccounting,
  runSql,
  STATEMENT_ACCOUNTING_SETTINGS,
  withDatabaseName,
} from "@arena/database";
import pg from "pg";
import { parentPid } from "./cpu-pinning.js";

// One connection per app's database, apart from the app's pool, that watches and tidies it
// between measurements: nothing of one measurement may run into the next. It is connected to the
// server's maintenance database (postgres), not the app's, so that its watching never counts in the
// app database's work (pg_stat_statements accounts per database).

/** The watcher of one app's database. */
export interface Monitor {
  /** Connected to the server's `postgres` database. */
  client: pg.Client;
  /** The app's database. */
  databaseUrl: string;
  database: string;
  /** Whether the server keeps pg_stat_statements, so the app's database work can be measured. */
  accounted: boolean;
}

/**
 * The embedded server's settings for the run. Every app's data fits in shared buffers, so no app
 * reads pages another app's scenario evicted; autovacuum is off, so no database is vacuumed in the
 * middle of another app's measurement: the bench vacuums them itself between scenarios (tidyUp).
 * pg_stat_statements is loaded, so each cell reports the database work per request.
 */
export const EMBEDDED_SERVER_SETTINGS: Record<string, string> = {
  shared_buffers: "1GB",
  autovacuum: "off",
  ...STATEMENT_ACCOUNTING_SETTINGS,
};

export async function connectMonitor(databaseUrl: string): Promise<Monitor> {
  const client = new pg.Client({
    connectionString: withDatabaseName(databaseUrl, "postgres"),
    application_name: "arena-bench-monitor",
  });
  await client.connect();
  return {
    client,
    databaseUrl,
    database: databaseNameOf(databaseUrl),
    accounted: await hasStatementAccounting(databaseUrl),
  };
}

/**
 * After a scenario that wrote: every app's database vacuumed and the server checkpointed, outside
 * any measurement, so the next scenario starts from the same state for all and no timed checkpoint
 * falls into one app's window. A server where the bench may not CHECKPOINT (not a superuser) skips that.
 */
export async function tidyUp(monitors: (Monitor | undefined)[]): Promise<void> {
  for (const monitor of monitors) if (monitor) await runSql(monitor.databaseUrl, "VACUUM");
  const any = monitors.find((monitor) => monitor !== undefined);
  await any?.client.query("CHECKPOINT").catch(() => undefined);
}

/** The postmaster: the parent of this connection's backend process (a server on this machine). */
export async function postmasterPid(monitor: Monitor): Promise<number> {
  const { rows } = await monitor.client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  const parent = await parentPid(rows[0]?.pid ?? 0);
  if (!parent) throw new Error("cannot find the embedded PostgreSQL's postmaster in /proc");
  return parent;
}

export async function serverVersion(monitor: Monitor | undefined): Promise<string> {
  if (!monitor) return "unknown";
  const { rows } = await monitor.client.query<{ server_version: string }>("SHOW server_version");
  return rows[0]?.server_version ?? "unknown";
}

const QUIESCE_GRACE_MS = 300;

/**
 * Waits until the app's database runs no statement of the app. A run that ends cuts its in-flight
 * requests off at the client, but the app still runs their SQL to the end; measured next, another
 * app would share the machine with it. Statements still running after a short grace are cancelled
 * (a deep-offset page can take seconds): no client is waiting for their answer any more.
 */
export async function quiesce(monitor: Monitor | undefined): Promise<void> {
  if (!monitor) return;
  const others = `datname = ${monitor.client.escapeLiteral(monitor.database)} AND backend_type = 'client backend'`;
  const started = Date.now();
  let cancelled = false;
  while (Date.now() - started < 60_000) {
    const { rows } = await monitor.client.query<{ busy: number }>(
      `SELECT count(*)::int AS busy FROM pg_stat_activity WHERE ${others} AND state <> 'idle'`,
    );
    if ((rows[0]?.busy ?? 0) === 0) return;
    if (!cancelled && Date.now() - started > QUIESCE_GRACE_MS) {
      cancelled = true;
      await monitor.client.query(
        `SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE ${others} AND state = 'active'`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
