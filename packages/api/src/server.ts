import cluster from "node:cluster";
import { createFreshDatabase, installQueryCounter, statementTotal, stopEmbeddedServer } from "@arena/database";
import { createConduitApp } from "./app.js";
import type { AppModule } from "./app-module.js";
import { runPrimary } from "./cluster-primary.js";
import { clusterStatementTotal } from "./cluster-statements.js";
import { type AppConfig, readConfig } from "./config.js";
import { serveNode } from "./node-server.js";

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
