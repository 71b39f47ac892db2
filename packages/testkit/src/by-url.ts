import type { DiscoveredApp } from "@arena/manifest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manifestApp, type ServedApp } from "./app-under-test.js";
import { defineContractSuite, type StatementCounter } from "./contract-suite/index.js";
import { reliabilityParts } from "./reliability/index.js";
import { upgradeSuite } from "./upgrade-suite.js";

const JWT_SECRET = "by-url-suite-secret";

/**
 * The whole contract suite against the app as a process started from its manifest, over HTTP:
 * what an app in any language is tested with. The N+1 guard counts statements with PostgreSQL's
 * pg_stat_statements instead of the in-process SQL counter.
 */
export function defineContractSuiteByUrl(app: DiscoveredApp): void {
  const subject = manifestApp(app);
  let databaseUrl: string | undefined;
  const countStatements: StatementCounter = (work) => {
    if (!databaseUrl) throw new Error("the app's database is not ready");
    return subject.statementCounter(databaseUrl)(work);
  };
  defineContractSuite(
    `${subject.name} by URL`,
    async () => {
      const database = await subject.createDatabase(`${subject.name}_url_contract`);
      try {
        await subject.migrate(database.url);
        const served = await subject.serve(database.url, JWT_SECRET);
        databaseUrl = database.url;
        return {
          request: served.request,
          jwtSecret: served.jwtSecret,
          async close() {
            await served.close();
            await database.drop();
          },
        };
      } catch (error) {
        await database.drop();
        throw error;
      }
    },
    { countStatements },
  );
}

/**
 * Every part of the reliability suite (differential, hostile input, tokens, limits, the database
 * going away, SIGTERM) against the app as a process started from its manifest, asserting what the
 * in-process run asserts; plus what only a real socket shows: requests refused by Node's HTTP parser.
 * Its figures are not written: docs/reliability.md reports the in-process runs.
 */
export function defineReliabilitySuiteByUrl(app: DiscoveredApp): void {
  const subject = manifestApp(app);
  describe(`reliability by URL: ${subject.name}`, () => {
    reliabilityParts(subject, {});

    describe("the HTTP parser's refusals", () => {
      let served: ServedApp | undefined;
      let database: Awaited<ReturnType<typeof subject.createDatabase>> | undefined;
      beforeAll(async () => {
        database = await subject.createDatabase(`${subject.name}_url_parser`);
        await subject.migrate(database.url);
        served = await subject.serve(database.url, JWT_SECRET);
      });
      afterAll(async () => {
        await served?.close();
        await database?.drop();
      });

      it("answers a 16 KB slug in the path with a RealWorld 431, not Node's bare status line", async () => {
        if (!served) throw new Error("the app did not start");
        const response = await served.request(`/api/articles/${"a".repeat(16 * 1024)}`);
        expect(response.status).toBe(431);
        expect(await response.json()).toEqual({ errors: { request: [expect.any(String)] } });
      });
    });
  });
}

/**
 * The upgrade suite against the app as a process: `migrate --to v1`, data written through SQL,
 * `migrate`, the contract suite on the upgraded database, and `migrate --rollback --to v1` where
 * the manifest says the tool has down migrations.
 */
export function defineUpgradeSuiteByUrl(app: DiscoveredApp): void {
  describe(`upgrade by URL: ${app.manifest.name}`, () => {
    upgradeSuite(manifestApp(app));
  });
}
