import { type ChildProcess, spawn } from "node:child_process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { AppModule, SchemaVersion } from "@arena/api";
import { countQueries, createFreshDatabase, type FreshDatabase } from "@arena/database";
import { type DiscoveredApp, hasDownMigrations } from "@arena/manifest";
import { migrateByManifest, runCommand, startByManifest } from "./app-process.js";
import { conduitUnderTest } from "./conduit.js";
import { type ContractTarget, inProcessTarget, type StatementCounter, urlTarget } from "./contract-suite/index.js";
import { pgStatStatementsCounter, statementServerUrl } from "./statement-accounting.js";

/** The shared settings a suite may serve an app with (the app reads them as PG_* variables). */
export interface ServeSettings {
  statementTimeoutMs?: number;
  connectionTimeoutMs?: number;
}

/**
 * Timeouts for a run that counts each request's work instead of loading the app: the defaults
 * (5 s per statement, 10 s for a connection) guard production against a stuck database, but on a
 * test machine busy with every other suite they once turned one profiled read into a 503 (Piccolo,
 * CI of stop 27), and a profile needs every request to succeed.
 */
export const COUNTING_TIMEOUTS: ServeSettings = { statementTimeoutMs: 60_000, connectionTimeoutMs: 60_000 };

/** An app serving one database for a suite; `close` stops it (store or process). */
export type ServedApp = ContractTarget & { close(): Promise<void> };

/**
 * The app a suite tests, however it runs: in-process (a TypeScript `AppModule`, Hono's
 * `app.request`) or as its own process started from its manifest's commands (any language). The
 * suites are written once against this and assert the same things either way.
 */
export interface AppUnderTest {
  name: string;
  /** A fresh database for a suite to migrate and serve. */
  createDatabase(prefix: string): Promise<FreshDatabase>;
  /** The app's own migration tool: all migrations, or up to schema version `to`. */
  migrate(databaseUrl: string, options?: { to?: SchemaVersion }): Promise<void>;
  /** Its down migrations back to `to`; undefined when the tool has none. */
  rollback: ((databaseUrl: string, options: { to: SchemaVersion }) => Promise<void>) | undefined;
  /** Serves `databaseUrl`, signing tokens with `jwtSecret`. */
  serve(databaseUrl: string, jwtSecret: string, settings?: ServeSettings): Promise<ServedApp>;
  /** Starts the app as a production process (NODE_ENV=production) with `env`, for the SIGTERM checks. */
  spawn(env: Record<string, string>): ChildProcess;
  /** Counts the SQL statements requests send to `databaseUrl` (the N+1 guard). */
  statementCounter(databaseUrl: string): StatementCounter;
}

/** A TypeScript app in this process; `main` is its `src/main.ts`, started as a process for SIGTERM. */
export function inProcessApp(app: AppModule, options: { main?: URL } = {}): AppUnderTest {
  return {
    name: app.name,
    createDatabase: (prefix) => createFreshDatabase({ prefix }),
    migrate: (databaseUrl, migrateOptions) => app.migrate(databaseUrl, migrateOptions),
    rollback: app.rollback?.bind(app),
    async serve(databaseUrl, jwtSecret, settings = {}) {
      const store = await app.createStore({ databaseUrl, poolMax: 10, ...settings });
      return {
        ...inProcessTarget(conduitUnderTest(app, store, jwtSecret), { jwtSecret }),
        close: () => store.close(),
      };
    },
    spawn(env) {
      if (!options.main) throw new Error(`${app.name}: the suite needs the app's main module to start it as a process`);
      const mainPath = fileURLToPath(options.main);
      return spawn(process.execPath, ["--conditions=@arena/source", "--import", "tsx", mainPath], {
        cwd: dirname(dirname(mainPath)),
        env: { ...process.env, NODE_ENV: "production", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
    },
    statementCounter: () => countQueries,
  };
}

/**
 * An app of any language as its own process, through its manifest's commands only: `migrate`
 * (with `--to` and `--rollback`), `startFromSource` with the shared environment, and PostgreSQL's
 * own statement accounting, on an embedded server of the test process that has it loaded.
 */
export function manifestApp(app: DiscoveredApp): AppUnderTest {
  return {
    name: app.manifest.name,
    createDatabase: async (prefix) =>
      createFreshDatabase({ prefix, env: { DATABASE_URL: await statementServerUrl() } }),
    migrate: (databaseUrl, options = {}) => migrateByManifest(app, databaseUrl, options),
    rollback: hasDownMigrations(app.manifest)
      ? (databaseUrl, { to }) => migrateByManifest(app, databaseUrl, { rollback: true, to })
      : undefined,
    async serve(databaseUrl, jwtSecret, settings = {}) {
      const env: Record<string, string> = { PG_POOL_MAX: "10" };
      if (settings.statementTimeoutMs !== undefined) env.PG_STATEMENT_TIMEOUT_MS = String(settings.statementTimeoutMs);
      if (settings.connectionTimeoutMs !== undefined) {
        env.PG_CONNECTION_TIMEOUT_MS = String(settings.connectionTimeoutMs);
      }
      const server = await startByManifest(app, { databaseUrl, jwtSecret, env });
      return { ...urlTarget(server.url, jwtSecret), close: () => server.stop() };
    },
    spawn: (env) => runCommand(app, app.manifest.commands.startFromSource, { NODE_ENV: "production", ...env }),
    statementCounter: (databaseUrl) => pgStatStatementsCounter(databaseUrl),
  };
}
