import type { AppModule, ConduitStore, StoreConfig } from "@arena/api";
import { createFreshDatabase, type FreshDatabase, runSql } from "@arena/database";
import type pg from "pg";
import { conduitUnderTest } from "../conduit.js";
import { ConduitClient, inProcessTarget } from "../contract-suite/index.js";

export const JWT_SECRET = "reliability-suite-secret";

/** One app in-process on its own fresh database, with every response body it sent kept for inspection. */
export interface Harness {
  api: ConduitClient;
  store: ConduitStore;
  database: FreshDatabase;
  /** The text of every response so far (the password-hash check reads them all). */
  responses: string[];
  /** Runs SQL on the app's database with a separate connection (to check data, or to hold a lock). */
  sql<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function startHarness(
  app: AppModule,
  options: { databaseUrl?: string; store?: Partial<StoreConfig>; prefix?: string } = {},
): Promise<Harness> {
  const database: FreshDatabase = options.databaseUrl
    ? { url: options.databaseUrl, name: "", server: "external", drop: async () => undefined }
    : await createFreshDatabase({ prefix: `${app.name}_${options.prefix ?? "reliability"}` });
  if (!options.databaseUrl) await app.migrate(database.url);
  const store = await app.createStore({ databaseUrl: database.url, poolMax: 10, ...options.store });
  const conduit = conduitUnderTest(app, store, JWT_SECRET);
  const responses: string[] = [];
  const target = inProcessTarget(
    {
      request: async (path, init) => {
        const response = await conduit.request(path, init);
        responses.push(await response.clone().text());
        return response;
      },
    },
    { jwtSecret: JWT_SECRET },
  );
  return {
    api: new ConduitClient(target),
    store,
    database,
    responses,
    sql: (text, values) => runSql(database.url, text, values),
    async close() {
      await store.close();
      await database.drop();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
