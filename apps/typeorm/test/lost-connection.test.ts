import { databaseFailure } from "@arena/api";
import { createFreshDatabase, type FreshDatabase } from "@arena/database";
import pg from "pg";
import { QueryRunnerAlreadyReleasedError } from "typeorm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { databaseErrors } from "../src/database-errors.js";
import { migrate } from "../src/migrate.js";
import { createStore } from "../src/store.js";

type Store = Awaited<ReturnType<typeof createStore>>;
type QueryFn = (this: pg.Client, ...args: unknown[]) => Promise<unknown>;

const originalQuery = pg.Client.prototype.query as unknown as QueryFn;

/**
 * The next statement whose text starts with `prefix` succeeds, then PostgreSQL ends that session
 * (`pg_terminate_backend`, what a fast shutdown does to every session) before the caller's next
 * statement: the connection is lost between two statements on it, as in the outage test, but every time.
 */
function loseConnectionAfter(databaseUrl: string, prefix: string): void {
  let armed = true;
  const query: QueryFn = async function (this: pg.Client, ...args) {
    const result = await originalQuery.apply(this, args);
    if (armed && typeof args[0] === "string" && args[0].startsWith(prefix)) {
      armed = false;
      const other = new pg.Client({ connectionString: databaseUrl });
      await other.connect();
      await other.query("SELECT pg_terminate_backend($1)", [(this as unknown as { processID: number }).processID]);
      await other.end();
      // node-postgres reports the loss ('error' on the client) before the caller goes on.
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return result;
  };
  (pg.Client.prototype as unknown as { query: QueryFn }).query = query;
}

/**
 * TypeORM releases a query runner whose connection is lost and drops the error; the statement that
 * follows fails with QueryRunnerAlreadyReleasedError. The store must give that error its cause, the
 * node-postgres error, so that the API answers 503 (`databaseFailure`), not 500.
 */
describe("a connection lost between two statements on it", () => {
  let database: FreshDatabase;
  let store: Store;
  let authorId: number;
  beforeAll(async () => {
    database = await createFreshDatabase({ prefix: "typeorm_lost_connection" });
    await migrate(database.url);
    store = await createStore({ databaseUrl: database.url, poolMax: 2 });
    ({ id: authorId } = await store.createUser({ username: "lost", email: "lost@example.com", passwordHash: "x" }));
  });
  afterEach(() => {
    (pg.Client.prototype as unknown as { query: QueryFn }).query = originalQuery;
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  const article = (slug: string) => ({
    slug,
    title: slug,
    description: "d",
    body: "b",
    readingMinutes: 1,
    tagList: ["t"],
  });

  it("inside a transaction (create an article with tags) is a database failure, and nothing is stored", async () => {
    loseConnectionAfter(database.url, 'INSERT INTO "articles"');
    const error = await store.createArticle(authorId, article("lost-in-transaction")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryRunnerAlreadyReleasedError);
    expect((error as Error).cause).toMatchObject({ code: "57P01" });
    expect(databaseFailure(error, databaseErrors)).toBe("unavailable");
    expect(await store.getArticle("lost-in-transaction", null)).toBeNull();
  });

  it("between a page's ids and its entities costs nothing: each statement of a page has its own connection", async () => {
    // Since the page's ids are a join-free `offset/limit` query (not `skip/take`'s DISTINCT
    // statements on one query runner), its statements are independent: the lost connection is
    // dropped by the pool and the page's next statement takes another.
    await store.createArticle(authorId, article("listed"));
    loseConnectionAfter(database.url, 'SELECT "article"."id" AS "article_id" FROM');
    const page = await store.listArticles({ limit: 20, offset: 0 }, null);
    expect(page.articles.map((a) => a.slug)).toEqual(["listed"]);
    expect(page.articlesCount).toBe(1);
  });
});
