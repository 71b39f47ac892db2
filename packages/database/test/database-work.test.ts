import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFreshDatabase,
  type DatabaseWorkSnapshot,
  diffDatabaseWork,
  type EmbeddedServer,
  type FreshDatabase,
  hasStatementAccounting,
  measureDatabaseWork,
  runSql,
  STATEMENT_ACCOUNTING_SETTINGS,
  startEmbeddedServer,
  workPerRequest,
} from "../src/index.js";

// A server of this file's own: pg_stat_statements must be preloaded at start.
let server: EmbeddedServer;
let database: FreshDatabase;

beforeAll(async () => {
  server = await startEmbeddedServer({ settings: { ...STATEMENT_ACCOUNTING_SETTINGS } });
  database = await createFreshDatabase({ prefix: "work_test", env: { DATABASE_URL: server.url } });
  await runSql(
    database.url,
    `CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL);
     INSERT INTO items SELECT n, repeat('x', 200) FROM generate_series(1, 5000) AS n;
     ANALYZE items`,
  );
});
afterAll(async () => {
  await database?.drop();
  await server?.stop();
});

describe("measureDatabaseWork", () => {
  it("reports statements, rows, buffers and execution time from pg_stat_statements", async () => {
    expect(await hasStatementAccounting(database.url)).toBe(true);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const measured = await measureDatabaseWork(database.url, async () => {
        await client.query("BEGIN");
        await client.query("SELECT count(*) FROM items");
        await client.query({ text: "SELECT label FROM items WHERE id = $1", values: [7] });
        await client.query({ text: "SELECT label FROM items WHERE id = $1", values: [8] });
        await client.query("COMMIT");
        return "done";
      });
      expect(measured.result).toBe("done");
      // BEGIN and COMMIT count as statements, as in the in-process counter.
      expect(measured.total.statements).toBe(5);
      const byId = measured.statements.find((row) => row.query.includes("WHERE id = $1"));
      expect(byId).toMatchObject({ calls: 2, rows: 2 });
      const scan = measured.statements.find((row) => row.query.includes("count(*)"));
      // A full scan of 5,000 rows of ~200 bytes touches well over 100 pages; an index probe a few.
      expect((scan?.sharedBlksHit ?? 0) + (scan?.sharedBlksRead ?? 0)).toBeGreaterThan(100);
      expect((byId?.sharedBlksHit ?? 0) + (byId?.sharedBlksRead ?? 0)).toBeLessThan(20);
      expect(measured.total.rows).toBe(3);
      expect(measured.total.execMs).toBeGreaterThan(0);
      expect(measured.total.sharedBlksHit + measured.total.sharedBlksRead).toBe(
        measured.statements.reduce((sum, row) => sum + row.sharedBlksHit + row.sharedBlksRead, 0),
      );
    } finally {
      await client.end();
    }
  });

  it("counts nothing of its own reading, and nothing when nothing ran", async () => {
    const idle = await measureDatabaseWork(database.url, async () => undefined);
    expect(idle.total.statements).toBe(0);
    expect(idle.statements).toEqual([]);
  });

  it("gives the same buffers for the same statement on warm data (deterministic)", async () => {
    const buffers = async () => {
      const measured = await measureDatabaseWork(database.url, () =>
        runSql(database.url, "SELECT sum(length(label)) FROM items WHERE id BETWEEN 100 AND 900"),
      );
      return measured.total.sharedBlksHit + measured.total.sharedBlksRead;
    };
    await buffers();
    const first = await buffers();
    expect(first).toBeGreaterThan(0);
    expect(await buffers()).toBe(first);
  });
});

describe("diffDatabaseWork", () => {
  const snapshot = (calls: number, hit: number): DatabaseWorkSnapshot => ({
    database: "d",
    entries: new Map([
      ["1:1", { query: "SELECT 1", calls, rows: calls, sharedBlksHit: hit, sharedBlksRead: 0, execMs: 1 }],
    ]),
  });

  it("counts an entry evicted and re-created in between from zero", () => {
    const diff = diffDatabaseWork(snapshot(10, 100), snapshot(2, 6));
    expect(diff.total).toMatchObject({ statements: 2, rows: 2, sharedBlksHit: 6 });
  });

  it("refuses snapshots of two databases", () => {
    expect(() => diffDatabaseWork(snapshot(1, 1), { ...snapshot(1, 1), database: "e" })).toThrow(/two databases/);
  });

  it("divides work per request", () => {
    expect(workPerRequest(diffDatabaseWork(snapshot(0, 0), snapshot(4, 40)).total, 2)).toMatchObject({
      statements: 2,
      sharedBlksHit: 20,
    });
  });
});

describe("hasStatementAccounting", () => {
  it("says no for a server started without pg_stat_statements", async () => {
    // The test run's shared server (vitest global setup or DATABASE_URL) may have it loaded or not;
    // a server of its own without the setting never has.
    const plain = await startEmbeddedServer();
    try {
      expect(await hasStatementAccounting(plain.url)).toBe(false);
    } finally {
      await plain.stop();
    }
  });
});
