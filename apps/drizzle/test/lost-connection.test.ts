import { createFreshDatabase, type FreshDatabase } from "@arena/database";
import { count } from "drizzle-orm";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database, transaction } from "../src/db.js";
import { migrate } from "../src/migrate.js";
import { tags } from "../src/schema.js";

/**
 * A connection lost right after it was checked out for a transaction, so that `BEGIN` fails: what
 * a PostgreSQL shutdown does to one or two of the app's connections (the reliability suite's
 * outage test). Drizzle 0.45's pooled `db.transaction()` never releases that client
 * (drizzle-orm#6023); `transaction()` of `src/db.ts` must give it back and keep the pool whole.
 */
describe("a connection lost before BEGIN", () => {
  let database: FreshDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await createFreshDatabase({ prefix: "drizzle_lost_connection" });
    await migrate(database.url);
    // One connection: a leaked client would leave none, and the next query would time out.
    db = createDatabase({ databaseUrl: database.url, poolMax: 1, connectionTimeoutMs: 1000 });
  });
  afterAll(async () => {
    // Waits for every client: it would hang on a leaked one.
    await db?.$client.end();
    await database?.drop();
  });

  it("fails the transaction, gives the client back, and the pool serves the next query", async () => {
    db.$client.once("acquire", (client: pg.PoolClient) => {
      // The socket goes away under the checked-out client, as a server shutdown would do.
      (client as unknown as { connection: { stream: { destroy(error: Error): void } } }).connection.stream.destroy(
        new Error("connection lost (test)"),
      );
    });
    await expect(
      transaction(db, async (tx) => {
        await tx.insert(tags).values({ name: "never-written" });
      }),
    ).rejects.toThrow();

    const [row] = await db.select({ n: count() }).from(tags);
    expect(row?.n).toBe(0);
    expect(db.$client.totalCount).toBe(db.$client.idleCount);
    await transaction(db, async (tx) => {
      await tx.insert(tags).values({ name: "written" });
    });
    expect(await db.$count(tags)).toBe(1);
  });
});
