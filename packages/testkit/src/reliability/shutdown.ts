import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { request } from "node:http";
import { findFreePort, runSql } from "@arena/database";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { collect } from "../app-process.js";
import type { AppUnderTest } from "../app-under-test.js";
import { sleep } from "./harness.js";

const START_BOUND_MS = 60_000;
/** The server gives in-flight requests 10 s (SHUTDOWN_GRACE_MS); the whole exit must fit in this. */
const EXIT_BOUND_MS = 15_000;

/**
 * SIGTERM, as an orchestrator sends it: the app process (started from its `src/main.ts`, or from
 * its manifest's start command, in production mode) must stop accepting connections, finish the request in flight, close its pool
 * and exit 0 within a bound. And in production it must refuse to start without JWT_SECRET.
 */
export function shutdownReliability(app: AppUnderTest, figures: Record<string, number>): void {
  describe("process lifecycle", () => {
    it("on SIGTERM stops accepting, finishes the request in flight, closes its pool and exits 0", async () => {
      const database = await app.createDatabase(`${app.name}_shutdown`);
      const locker = new pg.Client({ connectionString: database.url });
      let child: ChildProcess | undefined;
      try {
        await app.migrate(database.url);
        const port = await findFreePort();
        child = app.spawn({
          DATABASE_URL: database.url,
          PORT: String(port),
          JWT_SECRET: "shutdown-test-secret",
          PG_STATEMENT_TIMEOUT_MS: "30000",
        });
        const output = collect(child);
        // Ready when it answers: the one sign every app gives, whatever its language and its logs.
        await waitFor(
          () =>
            get(port, "/healthz").then(
              (reply) => reply.status === 200,
              () => false,
            ),
          START_BOUND_MS,
          () => output.text,
        );

        // A request that stays in flight: its statement waits for a lock this test holds.
        await locker.connect();
        await locker.query("BEGIN");
        await locker.query("LOCK TABLE tags IN ACCESS EXCLUSIVE MODE");
        const inFlight = get(port, "/api/tags");
        await waitFor(
          async () =>
            (
              await locker.query(
                "SELECT 1 FROM pg_locks WHERE NOT granted AND relation = 'tags'::regclass AND pid <> pg_backend_pid()",
              )
            ).rowCount === 1,
          10_000,
          () => output.text,
        );

        const signalled = performance.now();
        const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
        child.kill("SIGTERM");
        // Within 5 s of the signal, a new connection is refused (the listener is closed).
        await waitFor(
          () =>
            get(port, "/healthz").then(
              () => false,
              (error: unknown) => /ECONNREFUSED|ECONNRESET|socket hang up/.test(String(error)),
            ),
          5000,
          () => output.text,
        );
        await expect(get(port, "/healthz")).rejects.toThrow(/ECONNREFUSED|ECONNRESET|socket hang up/);

        await locker.query("ROLLBACK");
        const finished = await inFlight;
        expect(finished.status).toBe(200);
        expect(JSON.parse(finished.body)).toHaveProperty("tags");

        const [code, signal] = await Promise.race([
          exited,
          sleep(EXIT_BOUND_MS).then(() => {
            throw new Error(`no exit ${EXIT_BOUND_MS} ms after SIGTERM:\n${output.text}`);
          }),
        ]);
        expect({ code, signal }, output.text).toEqual({ code: 0, signal: null });
        figures.shutdownExitMs = Math.round(performance.now() - signalled);

        // The pool was closed: no connection of the app's is left on the server.
        await waitFor(
          async () =>
            (
              await runSql<{ n: number }>(
                database.url,
                "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
              )
            )[0]?.n === 1, // the locker's own session
          5000,
          () => "connections left open after exit",
        );
      } finally {
        if (child && child.exitCode === null) child.kill("SIGKILL");
        await locker.end().catch(() => undefined);
        await database.drop();
      }
    }, 120_000);

    it(
      "refuses to start in production without JWT_SECRET",
      async () => {
        const child = app.spawn({ DATABASE_URL: "postgres://127.0.0.1:1/none", JWT_SECRET: "" });
        const output = collect(child);
        const [code] = (await once(child, "exit")) as [number | null];
        expect(code, output.text).not.toBe(0);
        expect(output.text).toContain("JWT_SECRET is required");
      },
      START_BOUND_MS,
    );
  });
}

async function waitFor(check: () => boolean | Promise<boolean>, ms: number, explain: () => string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms:\n${explain()}`);
    await sleep(50);
  }
}

/** One request on a connection of its own (no keep-alive pool), so a refused connection shows. */
function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}
