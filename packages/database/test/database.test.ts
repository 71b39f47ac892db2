import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { countQueries, createFreshDatabase, type FreshDatabase, runSql, startEmbeddedServer } from "../src/index.js";

const created: FreshDatabase[] = [];
afterAll(async () => {
  for (const database of created) await database.drop();
});

async function fresh(): Promise<FreshDatabase> {
  const database = await createFreshDatabase({ prefix: "kit_test" });
  created.push(database);
  return database;
}

describe("createFreshDatabase", () => {
  it("gives an empty database of its own on a real PostgreSQL", async () => {
    const database = await fresh();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; tables: number; version: string }>(
        `SELECT current_database() AS db, version() AS version,
                (SELECT count(*)::int FROM information_schema.tables WHERE table_schema = 'public') AS tables`,
      );
      expect(rows[0]?.db).toBe(database.name);
      expect(rows[0]?.tables).toBe(0);
      expect(rows[0]?.version).toMatch(/^PostgreSQL \d+/);
    } finally {
      await client.end();
    }
  });

  it("never hands out the same database twice", async () => {
    const [a, b] = await Promise.all([fresh(), fresh()]);
    expect(a.name).not.toBe(b.name);
    expect(a.url).not.toBe(b.url);
  });

  it("drops the database", async () => {
    const database = await createFreshDatabase({ prefix: "kit_test" });
    await database.drop();
    const client = new pg.Client({ connectionString: database.url });
    await expect(client.connect()).rejects.toThrow(/does not exist/);
  });
});

describe("countQueries", () => {
  it("counts every statement sent through node-postgres, pools included", async () => {
    const database = await fresh();
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    try {
      const measured = await countQueries(async () => {
        await pool.query("SELECT 1");
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          await client.query({ text: "SELECT $1::int AS n", values: [2] });
          await client.query("COMMIT");
        } finally {
          client.release();
        }
        return "done";
      });
      expect(measured.result).toBe("done");
      expect(measured.count).toBe(4);
      expect(measured.statements).toEqual(["SELECT 1", "BEGIN", "SELECT $1::int AS n", "COMMIT"]);

      const outside = await countQueries(async () => undefined);
      expect(outside.count).toBe(0);
    } finally {
      await pool.end();
    }
  });
});

describe("startEmbeddedServer", () => {
  // A terminal's Ctrl-C reaches postgres with the app that started it: postgres stops first, and the
  // app's shutdown must still return from stop() and remove the data folder.
  it("stops, and removes its data, when postgres has already exited", async () => {
    const server = await startEmbeddedServer();
    const [row] = await runSql<{ setting: string }>(
      server.url,
      "SELECT setting FROM pg_settings WHERE name = 'data_directory'",
    );
    const dataDir = row?.setting as string;
    const postmaster = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    process.kill(postmaster, "SIGINT");
    // Bounded: fast shutdown ends in well under this, and the test then checks what stop() does.
    for (let attempt = 0; attempt < 300 && isAlive(postmaster); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(isAlive(postmaster)).toBe(false);
    await server.stop();
    expect(existsSync(dataDir)).toBe(false);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
