import { DEFAULT_MAX_BODY_BYTES } from "@arena/api";
import { messages } from "@arena/contract";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppUnderTest } from "../app-under-test.js";
import { expectError } from "../contract-suite/index.js";
import { type Harness, startHarness } from "./harness.js";

/** Short, so the test waits little; production runs with PG_STATEMENT_TIMEOUT_MS (default 5 s). */
const STATEMENT_TIMEOUT_MS = 300;

/**
 * The limits every app applies the same way: the request body size (in the shared HTTP layer)
 * and PostgreSQL's `statement_timeout`, set by each app on its own pool from the shared settings.
 */
export function limitReliability(app: AppUnderTest, figures: Record<string, number>): void {
  describe("limits: statement timeout and body size", () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await startHarness(app, { prefix: "limits", settings: { statementTimeoutMs: STATEMENT_TIMEOUT_MS } });
    });
    afterAll(async () => {
      await harness?.close();
    });

    it(`cancels a statement after statement_timeout (${STATEMENT_TIMEOUT_MS} ms) with a 503, and recovers`, async () => {
      const { api } = harness;
      await api.createArticle(await api.register(), { tagList: ["timeout-check"] });
      // Another session holds a lock the tag list needs, so its statement waits until cancelled.
      const locker = new pg.Client({ connectionString: harness.database.url });
      await locker.connect();
      try {
        await locker.query("BEGIN");
        await locker.query("LOCK TABLE tags IN ACCESS EXCLUSIVE MODE");
        const started = performance.now();
        const reply = await api.get("/api/tags");
        const waited = performance.now() - started;
        expectError(reply, 503, "database", messages.databaseTimeout);
        expect(waited).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS * 0.9);
        figures.statementTimeouts = (figures.statementTimeouts ?? 0) + 1;
      } finally {
        await locker.query("ROLLBACK").catch(() => undefined);
        await locker.end();
      }
      const after = await api.get<{ tags: string[] }>("/api/tags");
      expect(after.status).toBe(200);
      expect(after.body.tags).toContain("timeout-check");
    });

    it("answers 413 to a body over the limit and stores nothing of it", async () => {
      const { api } = harness;
      const author = await api.register();
      const title = `too large ${Date.now()}`;
      const body = "x".repeat(DEFAULT_MAX_BODY_BYTES);
      const reply = await api.post("/api/articles", { article: { title, description: "d", body } }, author.token);
      expectError(reply, 413, "request");
      expect(await harness.sql("SELECT 1 FROM articles WHERE title = $1", [title])).toEqual([]);
    });
  });
}
