import { type AppModule, hashPassword, readingMinutes, TEST_PASSWORD_COST } from "@arena/api";
import { compareSchemas, describeSchema, type FreshDatabase, runSql, type SchemaSnapshot } from "@arena/database";
import { historyTables } from "@arena/manifest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppUnderTest, inProcessApp, type ServedApp } from "./app-under-test.js";
import { defineContractSuite, type StatementCounter } from "./contract-suite/index.js";
import { fillSchemaV1, readArticles, readRows, type V1Data } from "./upgrade-fixture.js";

const JWT_SECRET = "upgrade-suite-secret";
/**
 * For the tests that migrate fresh databases: by URL each migration is a process of its own
 * (the down migration test starts six), slow to start while npm test loads both cores.
 */
const MIGRATING_TEST_TIMEOUT_MS = 120_000;

/**
 * What every app's `test/upgrade.test.ts` calls (issue #9): migrate a database to schema v1 with
 * the app's own tool, fill it through the v1 schema, migrate it to v2, and check that no user or
 * article text was lost and that `reading_minutes` was filled right; then run the whole contract
 * suite against the upgraded database and check that the store kept `reading_minutes` right.
 * Where the tool has down migrations (`app.rollback`), a second database goes v1 → v2 → v1 and
 * must hold the v1 data and the v1 schema again, and then go up to v2 once more.
 */
export function defineUpgradeSuite(app: AppModule): void {
  upgradeSuite(inProcessApp(app));
}

/**
 * The upgrade suite against an app in-process or as a process (by URL): migrations, rollbacks and
 * serving go through `app`, the data is written and read with SQL on the database it migrates.
 */
export function upgradeSuite(app: AppUnderTest): void {
  let database: FreshDatabase | undefined;
  let v1: V1Data | undefined;
  const upgraded = () => {
    if (!database || !v1) throw new Error("the upgraded database is not ready");
    return { database, v1 };
  };

  // The app serving the upgraded database, started once for the checks and the contract suite.
  let served: Promise<ServedApp> | undefined;
  const serving = () => {
    served ??= app.serve(upgraded().database.url, JWT_SECRET);
    return served;
  };

  beforeAll(async () => {
    database = await app.createDatabase(`${app.name}_upgrade`);
    await app.migrate(database.url, { to: "v1" });
    v1 = await fillSchemaV1(database.url, await hashPassword("password123", TEST_PASSWORD_COST));
    await app.migrate(database.url);
  });
  afterAll(async () => {
    await (await served?.catch(() => undefined))?.close();
    await database?.drop();
  });

  describe(`${app.name}: upgrade from schema v1 to v2 with its own migrations`, () => {
    it("keeps every user as it was", async () => {
      const { database, v1 } = upgraded();
      expect(await readRows(database.url, "users")).toEqual(v1.users);
    });

    it("keeps every article's text, now in `content`, and fills `reading_minutes` from it", async () => {
      const { database, v1 } = upgraded();
      const articles = await readArticles(database.url, "content");
      expect(articles.map(({ reading_minutes: _, ...rest }) => rest)).toEqual(v1.articles);
      for (const article of articles) {
        expect(article.reading_minutes, `article ${article.id}`).toBe(readingMinutes(article.text));
      }
    });

    it("keeps tags, tag links, favorites, follows and comments", async () => {
      const { database, v1 } = upgraded();
      for (const table of ["tags", "article_tags", "favorites", "follows", "comments"] as const) {
        expect(await readRows(database.url, table), table).toEqual(v1[table]);
      }
    });

    it(
      "ends with the same schema as a fresh database migrated to v2",
      async () => {
        const fresh = await snapshotOfFreshDatabase(app, "v2");
        const { differences } = compareSchemas(fresh, await describeSchema(upgraded().database.url, exclude));
        expect(differences).toEqual([]);
      },
      MIGRATING_TEST_TIMEOUT_MS,
    );

    it("lets a v1 user log in with the email in another case", async () => {
      const { v1 } = upgraded();
      const conduit = await serving();
      const user = v1.users[0] as { email: string; username: string };
      const reply = await conduit.request("/api/users/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user: { email: user.email.toLowerCase(), password: "password123" } }),
      });
      expect(reply.status).toBe(200);
      expect(((await reply.json()) as { user: { username: string } }).user.username).toBe(user.username);
    });
  });

  const countStatements: StatementCounter = (work) => app.statementCounter(upgraded().database.url)(work);
  defineContractSuite(
    `${app.name} (upgraded from v1)`,
    async () => {
      // Closed by this suite's afterAll, not the contract suite's: the checks share it.
      const { request, jwtSecret } = await serving();
      return { request, jwtSecret };
    },
    { countStatements },
  );

  describe(`${app.name}: reading_minutes after the contract suite's writes`, () => {
    it("is right for every article the store created or updated", async () => {
      const { database } = upgraded();
      const conduit = await serving();
      const send = async (method: string, path: string, body: unknown, token?: string) => {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (token) headers.authorization = `Token ${token}`;
        const reply = await conduit.request(path, { method, headers, body: JSON.stringify(body) });
        return { status: reply.status, body: (await reply.json()) as Record<string, Record<string, string>> };
      };
      const name = `minutes${Date.now()}`;
      const signup = await send("POST", "/api/users", {
        user: { username: name, email: `${name}@example.com`, password: "password123" },
      });
      const token = signup.body.user?.token;
      const long = Array.from({ length: 450 }, (_, i) => `word${i}`).join(" ");
      const created = await send(
        "POST",
        "/api/articles",
        { article: { title: name, description: "d", body: long } },
        token,
      );
      expect(created.status).toBe(201);
      const slug = created.body.article?.slug as string;
      expect(await minutesOf(database.url, slug)).toBe(3);
      await send("PUT", `/api/articles/${slug}`, { article: { body: "one short line" } }, token);
      expect(await minutesOf(database.url, slug)).toBe(1);
      await send("PUT", `/api/articles/${slug}`, { article: { title: "only the title" } }, token);
      expect(await minutesOf(database.url, slug)).toBe(1);
      const articles = await readArticles(database.url, "content");
      const wrong = articles.filter((a) => a.reading_minutes !== readingMinutes(a.text));
      expect(wrong.map((a) => a.id)).toEqual([]);
    });
  });

  if (app.rollback) {
    const rollback = app.rollback;
    describe(`${app.name}: down migrations from v2 back to v1`, () => {
      it(
        "bring back the v1 schema with every row, and go up to v2 again",
        async () => {
          const down = await app.createDatabase(`${app.name}_down`);
          try {
            await app.migrate(down.url, { to: "v1" });
            const data = await fillSchemaV1(down.url, "not-a-real-hash");
            await app.migrate(down.url);
            await rollback(down.url, { to: "v1" });
            const { differences } = compareSchemas(
              await snapshotOfFreshDatabase(app, "v1"),
              await describeSchema(down.url, exclude),
            );
            expect(differences).toEqual([]);
            expect(await readRows(down.url, "users")).toEqual(data.users);
            expect(await readArticles(down.url, "body")).toEqual(data.articles);
            await app.migrate(down.url);
            expect((await readArticles(down.url, "content")).map((a) => a.text)).toEqual(
              data.articles.map((a) => a.text),
            );
          } finally {
            await down.drop();
          }
        },
        MIGRATING_TEST_TIMEOUT_MS,
      );
    });
  }
}

/** Every migration tool's history tables (from the manifests): listed by the tools, never compared. */
const exclude = { exclude: await historyTables() };

async function snapshotOfFreshDatabase(app: AppUnderTest, to: "v1" | "v2"): Promise<SchemaSnapshot> {
  const fresh = await app.createDatabase(`${app.name}_${to}`);
  try {
    await app.migrate(fresh.url, { to });
    return await describeSchema(fresh.url, exclude);
  } finally {
    await fresh.drop();
  }
}

async function minutesOf(databaseUrl: string, slug: string): Promise<number | undefined> {
  const rows = await runSql<{ reading_minutes: number }>(
    databaseUrl,
    "SELECT reading_minutes FROM articles WHERE slug = $1",
    [slug],
  );
  return rows[0]?.reading_minutes;
}
