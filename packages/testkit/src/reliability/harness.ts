import { type FreshDatabase, runSql } from "@arena/database";
import type pg from "pg";
import type { AppUnderTest, ServeSettings } from "../app-under-test.js";
import { ConduitClient } from "../contract-suite/index.js";

export const JWT_SECRET = "reliability-suite-secret";

/**
 * One app (in-process or as a process) on its own fresh database, with every response body it sent
 * kept for inspection. What the suites read or write behind the app's back goes through SQL on
 * the database URL it serves, so it works whatever language the app is written in.
 */
export interface Harness {
  api: ConduitClient;
  database: FreshDatabase;
  /** The text of every response so far (the password-hash check reads them all). */
  responses: string[];
  /** Runs SQL on the app's database with a separate connection (to check data, or to hold a lock). */
  sql<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function startHarness(
  app: AppUnderTest,
  options: { databaseUrl?: string; settings?: ServeSettings; prefix?: string } = {},
): Promise<Harness> {
  const database: FreshDatabase = options.databaseUrl
    ? { url: options.databaseUrl, name: "", server: "external", drop: async () => undefined }
    : await app.createDatabase(`${app.name}_${options.prefix ?? "reliability"}`);
  let served: Awaited<ReturnType<AppUnderTest["serve"]>>;
  try {
    if (!options.databaseUrl) await app.migrate(database.url);
    served = await app.serve(database.url, JWT_SECRET, options.settings);
  } catch (error) {
    await database.drop();
    throw error;
  }
  const responses: string[] = [];
  const api = new ConduitClient({
    jwtSecret: served.jwtSecret,
    request: async (path, init) => {
      const response = await served.request(path, init);
      responses.push(await response.clone().text());
      return response;
    },
  });
  return {
    api,
    database,
    responses,
    sql: (text, values) => runSql(database.url, text, values),
    async close() {
      await served.close();
      await database.drop();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
