import { createFreshDatabase, type FreshDatabase } from "@arena/database";
import type { DiscoveredApp } from "@arena/manifest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppProcess, migrateByManifest, startByManifest } from "./app-process.js";
import { ConduitClient, defineContractSuite, urlTarget } from "./contract-suite/index.js";
import { expectBaselineAnswers, runScript } from "./reliability/differential.js";

const JWT_SECRET = "by-url-suite-secret";

/** A fresh database migrated by the app's own command, and the app serving it as its own process. */
async function serveFresh(app: DiscoveredApp, prefix: string): Promise<{ server: AppProcess; close(): Promise<void> }> {
  const database: FreshDatabase = await createFreshDatabase({ prefix: `${app.manifest.name}_${prefix}` });
  try {
    await migrateByManifest(app, database.url);
    const server = await startByManifest(app, { databaseUrl: database.url, jwtSecret: JWT_SECRET });
    return {
      server,
      async close() {
        await server.stop();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/**
 * The whole contract suite against the app as a process started from its manifest, over HTTP:
 * what an app in any language is tested with. (The SQL-count check needs the app in-process.)
 */
export function defineContractSuiteByUrl(app: DiscoveredApp): void {
  defineContractSuite(`${app.manifest.name} by URL`, async () => {
    const { server, close } = await serveFresh(app, "url_contract");
    return { ...urlTarget(server.url, JWT_SECRET), close };
  });
}

/**
 * The differential test (the baseline's transcript, answer by answer) against the app as a process,
 * over HTTP, and what only a real socket shows: requests refused by Node's HTTP parser.
 */
export function defineDifferentialSuiteByUrl(app: DiscoveredApp): void {
  describe(`differential by URL: ${app.manifest.name}`, () => {
    let served: { server: AppProcess; close(): Promise<void> } | undefined;
    beforeAll(async () => {
      served = await serveFresh(app, "url_differential");
    });
    afterAll(async () => {
      await served?.close();
    });

    it("answers the whole scripted sequence exactly as the baseline does", async () => {
      if (!served) throw new Error("the app did not start");
      const transcript = await runScript(new ConduitClient(urlTarget(served.server.url, JWT_SECRET)));
      await expectBaselineAnswers(app.manifest.name, transcript);
    });

    // Only a real socket shows this: Node's HTTP parser refuses the request before the app sees it.
    it("answers a 16 KB slug in the path with a RealWorld 431, not Node's bare status line", async () => {
      if (!served) throw new Error("the app did not start");
      const response = await fetch(`${served.server.url}/api/articles/${"a".repeat(16 * 1024)}`);
      expect(response.status).toBe(431);
      expect(await response.json()).toEqual({ errors: { request: [expect.any(String)] } });
    });
  });
}
