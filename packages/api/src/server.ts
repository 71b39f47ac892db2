import { createFreshDatabase, installQueryCounter, statementTotal, stopEmbeddedServer } from "@arena/database";
import { serve } from "@hono/node-server";
import { createConduitApp } from "./app.js";
import { readConfig } from "./config.js";
import type { CreateStore } from "./store.js";

export interface AppModule {
  /** The app's name, as in its manifest (`arena.json`). */
  name: string;
  createStore: CreateStore;
  /** Applies the app's migrations with its own migration tool. */
  migrate(databaseUrl: string): Promise<void>;
}

/** How long in-flight requests get to finish after SIGTERM before the process gives up. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * What every app's `src/main.ts` calls: read the environment, get a database (an embedded one,
 * migrated, when DATABASE_URL is unset), build the store and serve the API on PORT until SIGTERM
 * or SIGINT, then stop taking connections, finish in-flight requests, close the pool and exit.
 */
export async function runServer(app: AppModule): Promise<void> {
  const config = readConfig();
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const database = await createFreshDatabase({ prefix: app.name });
    await app.migrate(database.url);
    databaseUrl = database.url;
    console.log(`${app.name}: started an embedded PostgreSQL and migrated it (${database.url})`);
  }

  const store = await app.createStore({ databaseUrl, poolMax: config.poolMax });
  // The load comparison sets ARENA_SQL_COUNTER=1 to read statements per request under load.
  const countSql = process.env.ARENA_SQL_COUNTER === "1";
  if (countSql) installQueryCounter();
  const conduit = createConduitApp({
    store,
    jwtSecret: config.jwtSecret,
    ...(countSql ? { sqlStatementCount: statementTotal } : {}),
  });
  const server = serve({ fetch: conduit.fetch, port: config.port, hostname: "0.0.0.0" }, (info) => {
    console.log(`${app.name}: Conduit API on http://127.0.0.1:${info.port}/api (pool ${config.poolMax})`);
  });

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${app.name}: ${signal}, finishing in-flight requests`);
    const deadline = setTimeout(() => {
      console.error(`${app.name}: requests still running after ${SHUTDOWN_GRACE_MS} ms, exiting`);
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
