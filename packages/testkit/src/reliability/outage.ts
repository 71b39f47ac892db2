import { GenericError, messages } from "@arena/contract";
import { type EmbeddedServer, runSql, startEmbeddedServer } from "@arena/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppUnderTest } from "../app-under-test.js";
import { type Harness, sleep, startHarness } from "./harness.js";

/** What the test gives the pool to get a connection; the app's default is PG_CONNECTION_TIMEOUT_MS. */
const CONNECTION_TIMEOUT_MS = 1000;
/** No request may take longer than this while the database is down: it fails fast instead. */
const FAIL_FAST_BOUND_MS = CONNECTION_TIMEOUT_MS + 4000;
/** How long the same process gets to answer again once the database is back. */
const RECOVERY_BOUND_MS = 20_000;
const WRITERS = 6;

interface Outcome {
  phase: "before" | "during";
  status: number;
  ms: number;
  body: unknown;
}

/**
 * The database goes away while writes are in flight: PostgreSQL (a server of the test's own, so
 * no other test notices, and the one the app, in-process or a process, was given) gets a fast shutdown, as an operator or a failover would do. Requests
 * must fail fast with a 503 and a RealWorld error body, `/healthz` must say so, and once PostgreSQL
 * is back the same app process must serve again. Every write acknowledged with a 201 must be there.
 */
export function outageReliability(app: AppUnderTest, figures: Record<string, number>): void {
  describe("the database goes away and comes back", () => {
    let server: EmbeddedServer;
    let harness: Harness;
    beforeAll(async () => {
      server = await startEmbeddedServer();
      await app.migrate(server.url);
      harness = await startHarness(app, {
        databaseUrl: server.url,
        settings: { connectionTimeoutMs: CONNECTION_TIMEOUT_MS },
      });
    });
    afterAll(async () => {
      await harness?.close().catch(() => undefined);
      await server?.stop();
    });

    it("answers 503 fast while PostgreSQL is down, reports it on /healthz, recovers, and loses no acknowledged write", async () => {
      const { api } = harness;
      const author = await api.register();
      const outcomes: Outcome[] = [];
      const acknowledged: string[] = [];
      let phase: Outcome["phase"] = "before";
      let stop = false;
      const writer = async (w: number) => {
        for (let n = 0; !stop; n++) {
          const title = `outage ${w} ${n}`;
          const started = performance.now();
          const reply = await api.post<{ article?: { slug: string } }>(
            "/api/articles",
            { article: { title, description: "written during an outage test", body: `writer ${w}, write ${n}` } },
            author.token,
          );
          outcomes.push({ phase, status: reply.status, ms: performance.now() - started, body: reply.body });
          if (reply.status === 201 && reply.body.article) acknowledged.push(reply.body.article.slug);
          if (reply.status !== 201) await sleep(25);
        }
      };
      const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));

      // Writes must be flowing before the fault, however slow a loaded machine makes them.
      const flowing = performance.now();
      while (acknowledged.length < WRITERS && performance.now() - flowing < 30_000) await sleep(50);
      phase = "during";
      await server.interrupt();
      await sleep(1500);
      const health = await api.get("/healthz");
      stop = true;
      await Promise.all(writers);

      expect(health.status).toBe(503);
      expect(health.body).toEqual({ errors: { database: [messages.databaseUnavailable] } });
      const before = outcomes.filter((o) => o.phase === "before");
      const during = outcomes.filter((o) => o.phase === "during");
      expect(before.length).toBeGreaterThan(0);
      expect(before.every((o) => o.status === 201)).toBe(true);
      expect(during.some((o) => o.status === 503)).toBe(true);
      for (const outcome of during) {
        expect([201, 503], JSON.stringify(outcome.body)).toContain(outcome.status);
        if (outcome.status === 503) {
          expect(GenericError.safeParse(outcome.body).success, JSON.stringify(outcome.body)).toBe(true);
          expect(outcome.body).toEqual({ errors: { database: [messages.databaseUnavailable] } });
        }
        expect(outcome.ms, `a request took ${Math.round(outcome.ms)} ms during the outage`).toBeLessThan(
          FAIL_FAST_BOUND_MS,
        );
      }

      await server.resume();
      const resumed = performance.now();
      let tags = await api.get("/api/tags");
      while (tags.status !== 200 && performance.now() - resumed < RECOVERY_BOUND_MS) {
        await sleep(100);
        tags = await api.get("/api/tags");
      }
      expect(tags.status, JSON.stringify(tags.body)).toBe(200);
      const recoveredAfterMs = performance.now() - resumed;
      expect((await api.get("/healthz")).status).toBe(200);
      const afterwards = await api.createArticle(author, { title: "written after the outage" });
      acknowledged.push(afterwards.slug);

      const stored = await runSql<{ slug: string }>(server.url, "SELECT slug FROM articles WHERE slug = ANY($1)", [
        acknowledged,
      ]);
      expect(stored.map((row) => row.slug).sort()).toEqual([...acknowledged].sort());

      figures.outageRequests = outcomes.length;
      figures.outageRequestsDuringOutage = during.length;
      figures.outage503s = during.filter((o) => o.status === 503).length;
      figures.outageSlowestMs = Math.round(Math.max(...during.map((o) => o.ms)));
      figures.outageFaultsInjected = 1;
      figures.outageWritesAcknowledgedAndFound = stored.length;
      figures.outageRecoveryMs = Math.round(recoveredAfterMs);
    }, 60_000);
  });
}
