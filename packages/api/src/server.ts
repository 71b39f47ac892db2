import cluster, { type Worker } from "node:cluster";
import { createFreshDatabase, installQueryCounter, statementTotal, stopEmbeddedServer } from "@arena/database";
import { createConduitApp } from "./app.js";
import { clusterStatementTotal, serveStatementSums } from "./cluster.js";
import { type AppConfig, readConfig } from "./config.js";
import type { DatabaseErrorShape } from "./database-errors.js";
import { serveNode } from "./node-server.js";
import type { CreateStore } from "./store.js";

/**
 * The named schema versions every app's migrations reach (docs/migrations.md): `v1` is the first
 * canonical schema, `v2` the evolution of #9 (articles.body renamed content, reading_minutes,
 * emails unique regardless of case). The store code always targets the latest.
 */
export type SchemaVersion = "v1" | "v2";

export interface AppModule {
  /** The app's name, as in its manifest (`arena.json`). */
  name: string;
  createStore: CreateStore;
  /**
   * How the app's ORM wraps and names database failures (`src/database-errors.ts`), so that they
   * are a 503; absent when the shared recognition of node-postgres errors sees through it.
   */
  databaseErrors?: DatabaseErrorShape;
  /**
   * Applies the app's migrations with its own migration tool: all of them, or, with `to`, those up
   * to and including the last one of that schema version (the upgrade test starts from `v1`).
   */
  migrate(databaseUrl: string, options?: { to?: SchemaVersion }): Promise<void>;
  /**
   * Reverts migrations with the tool's down migrations until the database is at schema version
   * `to`. Absent when the tool has no down migrations (the migration report says so).
   */
  rollback?(databaseUrl: string, options: { to: SchemaVersion }): Promise<void>;
}

/** How long in-flight requests get to finish after SIGTERM before the process gives up. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * What every app's `src/main.ts` calls: read the environment, get a database (an embedded one,
 * migrated, when DATABASE_URL is unset), build the store and serve the API on PORT until SIGTERM
 * or SIGINT, then stop taking connections, finish in-flight requests, close the pool and exit.
 *
 * With WORKERS > 1 this process becomes a node:cluster primary: it gets the database once, then
 * forks the workers, which share the port and each serve with their own pool of PG_POOL_MAX.
 * With WORKERS = 1 (the default) nothing is forked: the same process serves, as it always has.
 */
export async function runServer(app: AppModule): Promise<void> {
  const config = readConfig();
  if (cluster.isWorker) return serveApi(app, config, config.databaseUrl as string);
  const databaseUrl = config.databaseUrl ?? (await embeddedDatabase(app));
  if (config.workers > 1) return runPrimary(app, config, databaseUrl);
  return serveApi(app, config, databaseUrl);
}

async function embeddedDatabase(app: AppModule): Promise<string> {
  const database = await createFreshDatabase({ prefix: app.name });
  await app.migrate(database.url);
  console.log(`${app.name}: started an embedded PostgreSQL and migrated it (${database.url})`);
  return database.url;
}

/** Serves the API in this process: the only one, or one cluster worker. */
async function serveApi(app: AppModule, config: AppConfig, databaseUrl: string): Promise<void> {
  const store = await app.createStore({
    databaseUrl,
    poolMax: config.poolMax,
    statementTimeoutMs: config.statementTimeoutMs,
    connectionTimeoutMs: config.connectionTimeoutMs,
  });
  // The load comparison sets ARENA_SQL_COUNTER=1 to read statements per request under load.
  const countSql = process.env.ARENA_SQL_COUNTER === "1";
  if (countSql) installQueryCounter();
  const conduit = createConduitApp({
    store,
    jwtSecret: config.jwtSecret,
    workers: config.workers,
    ...(app.databaseErrors ? { databaseErrors: app.databaseErrors } : {}),
    ...(countSql
      ? { sqlStatementCount: cluster.isWorker ? clusterStatementTotal(statementTotal) : statementTotal }
      : {}),
  });
  const who = cluster.isWorker ? `${app.name} worker ${cluster.worker?.id}` : app.name;
  const server = serveNode(conduit.fetch, config.port, (port) => {
    if (cluster.isPrimary) {
      console.log(`${app.name}: Conduit API on http://127.0.0.1:${port}/api (pool ${config.poolMax})`);
    }
  });

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${who}: ${signal}, finishing in-flight requests`);
    const deadline = setTimeout(() => {
      console.error(`${who}: requests still running after ${SHUTDOWN_GRACE_MS} ms, exiting`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    deadline.unref();
    server.close(async () => {
      await store.close();
      await stopEmbeddedServer();
      process.exit(0);
    });
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

/**
 * The cluster primary: forks the workers and serves nothing itself. SIGTERM or SIGINT is passed
 * on as SIGTERM to every worker, which finishes its requests; the primary exits 0 once all have
 * exited cleanly. A worker that dies on its own takes the others down with it (exit 1): a
 * benchmark must not go on measuring a cluster that silently lost a worker.
 */
function runPrimary(app: AppModule, config: AppConfig, databaseUrl: string): void {
  const alive = new Set<Worker>();
  const listening = new Set<Worker>();
  serveStatementSums(() => [...listening]);
  cluster.on("listening", (worker) => {
    listening.add(worker);
    if (listening.size === config.workers) {
      console.log(
        `${app.name}: Conduit API on http://127.0.0.1:${config.port}/api (${config.workers} workers, pool ${config.poolMax} each)`,
      );
    }
  });

  let stopping = false;
  let failed = false;
  const stopAll = () => {
    for (const worker of alive) worker.process.kill("SIGTERM");
  };
  cluster.on("exit", async (worker, code, signal) => {
    alive.delete(worker);
    listening.delete(worker);
    if (code !== 0) failed = true;
    if (!stopping) {
      console.error(`${app.name}: worker ${worker.id} exited (${signal ?? code}), stopping the others`);
      stopping = true;
      failed = true;
      stopAll();
    }
    if (alive.size > 0) return;
    await stopEmbeddedServer();
    process.exit(failed ? 1 : 0);
  });
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${app.name}: ${signal}, stopping ${config.workers} workers`);
    stopAll();
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);

  for (let i = 0; i < config.workers; i++) alive.add(cluster.fork({ DATABASE_URL: databaseUrl }));
}
