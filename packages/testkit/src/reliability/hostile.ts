import {
  GenericError,
  LoginUserRequest,
  NewArticleRequest,
  NewCommentRequest,
  NewUserRequest,
  UpdateArticleRequest,
  UpdateUserRequest,
} from "@arena/contract";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppUnderTest } from "../app-under-test.js";
import { type Account, type Reply, unique } from "../contract-suite/index.js";
import { type Harness, startHarness } from "./harness.js";

/** Runs per property; ARENA_FAST_CHECK_RUNS raises it for a longer hunt. */
const RUNS = Number(process.env.ARENA_FAST_CHECK_RUNS ?? 60);
/**
 * A property takes 5 s on a quiet machine and several times that while seven apps' suites share
 * two cores (npm test): generous, because a property cut off by a timeout keeps writing and
 * would make the next property's "nothing changed" check fail.
 */
const PROPERTY_TIMEOUT_MS = 240_000;

/** Strings that have broken web apps: SQL and JSON injection, escapes, wildcards, markup, odd unicode. */
const NASTY = [
  "'; DROP TABLE users; --",
  "' OR '1'='1",
  '" OR ""="',
  "\\",
  "\\'",
  "%",
  "_",
  "%_%",
  "$1",
  "?",
  ":name",
  '{"$gt": ""}',
  "[object Object]",
  "__proto__",
  "constructor",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "null",
  "undefined",
  "NaN",
  "\u200b",
  "\u202e",
  "\ufeff",
  "e\u0301",
  "👩‍👩‍👧‍👦",
  "𝕳𝖊𝖑𝖑𝖔",
  "\u00a0",
  "\r\n",
];

/** Any text: full unicode (astral planes too), the nasty strings, and mixes of both. */
const anyText = (maxLength = 40) =>
  fc.oneof(
    fc.string({ unit: "binary", maxLength }),
    fc.string({ unit: "grapheme", maxLength }),
    fc.constantFrom(...NASTY),
    fc.tuple(fc.constantFrom(...NASTY), fc.string({ maxLength: 10 })).map(([a, b]) => `${a}${b}`),
  );

/** Text PostgreSQL can store and the API accepts: not blank, no NUL, no lone surrogate. */
const storableText = (maxLength = 40) =>
  anyText(maxLength).filter((s) => s.trim().length > 0 && !s.includes("\u0000") && !/\p{Surrogate}/u.test(s));

/** Property-based hostile input: no 5xx, RealWorld error bodies, text kept exactly, nothing else touched. */
export function hostileInputReliability(app: AppUnderTest, figures: Record<string, number>): void {
  describe("hostile input (fast-check)", () => {
    let harness: Harness;
    let owner: Account;
    let slug: string;
    let sent = 0;
    const send = async (
      method: string,
      path: string,
      body?: unknown,
      options: { token?: string; raw?: string } = {},
    ) => {
      sent += 1;
      const reply = await harness.api.send(method, path, body, options);
      expectSane(reply, `${method} ${path}`);
      return reply;
    };

    beforeAll(async () => {
      harness = await startHarness(app, { prefix: "hostile" });
      owner = await harness.api.register();
      slug = (await harness.api.createArticle(owner, { tagList: ["hostile"] })).slug;
    });
    afterAll(async () => {
      figures.hostileRequests = sent;
      await harness?.close();
    });

    it(
      "answers malformed bodies on every write route with a 4xx error body, and changes no data",
      async () => {
        const routes = [
          ["POST", "/api/users", "user", ["username", "email", "password"], NewUserRequest],
          ["POST", "/api/users/login", "user", ["email", "password"], LoginUserRequest],
          ["PUT", "/api/user", "user", ["username", "email", "password", "bio", "image"], UpdateUserRequest],
          ["POST", "/api/articles", "article", ["title", "description", "body", "tagList"], NewArticleRequest],
          [
            "PUT",
            `/api/articles/${slug}`,
            "article",
            ["title", "description", "body", "tagList"],
            UpdateArticleRequest,
          ],
          ["POST", `/api/articles/${slug}/comments`, "comment", ["body"], NewCommentRequest],
        ] as const;
        // Values of the wrong type, or text that cannot be stored: never a valid request.
        const badValue = fc.oneof(
          fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, [], {}, [null], [1, 2], { $gt: "" }),
          fc.integer(),
          fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
          fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
          anyText().map((s) => `${s}\u0000`),
          anyText().map((s) => `\ud800${s}`),
        );
        const body = fc.oneof(
          // The envelope with at least one field of a wrong type.
          fc.integer({ min: 0, max: routes.length - 1 }).chain((r) => {
            const [, , envelope, fields] = routes[r] as (typeof routes)[number];
            return fc
              .tuple(
                fc.dictionary(fc.constantFrom(...fields), storableText(), { maxKeys: fields.length }),
                fc.constantFrom(...fields),
                badValue,
              )
              .map(([ok, field, bad]) => ({ r, payload: { [envelope]: { ...ok, [field]: bad } } as unknown }));
          }),
          // Not the envelope at all: any JSON value.
          fc.record({ r: fc.integer({ min: 0, max: routes.length - 1 }), payload: fc.jsonValue({ maxDepth: 3 }) }),
        );
        const raw = fc.record({
          r: fc.integer({ min: 0, max: routes.length - 1 }),
          // Broken JSON, or JSON with a trailing comma or a second value.
          text: fc.oneof(
            anyText(),
            fc.jsonValue().map((v) => `${JSON.stringify(v)},`),
            fc.constantFrom("{", '{"user":', "[1,", '{"a":1}{"b":2}', "\u0000", ""),
          ),
        });

        await fc.assert(
          fc.asyncProperty(fc.oneof(body, raw), async (input) => {
            const [method, path, envelope, , schema] = routes[input.r] as (typeof routes)[number];
            // A generated body the contract accepts (e.g. `tagList: []` on an update) is a valid
            // request, not hostile input: only invalid ones are held to "4xx and nothing changed".
            if (!("text" in input)) fc.pre(!schema.safeParse(input.payload).success);
            const before = await fingerprint(harness);
            const reply =
              "text" in input
                ? await send(method, path, undefined, { token: owner.token, raw: input.text })
                : await send(method, path, input.payload, { token: owner.token });
            // Invalid bodies may still reach different checks (a login with a valid shape is a 401);
            // none may succeed or change anything.
            expect(reply.status, `${method} ${path} ${envelope}`).toBeGreaterThanOrEqual(400);
            expect(await fingerprint(harness)).toBe(before);
          }),
          { numRuns: RUNS },
        );
      },
      PROPERTY_TIMEOUT_MS,
    );

    it(
      "keeps any storable text exactly as sent, in every text field",
      async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.record({
              title: storableText(),
              description: storableText(),
              body: storableText(200),
              tag: storableText(20),
              comment: storableText(),
              bio: storableText(),
              username: storableText(20),
            }),
            async (text) => {
              const article = await send(
                "POST",
                "/api/articles",
                { article: { title: text.title, description: text.description, body: text.body, tagList: [text.tag] } },
                { token: owner.token },
              );
              expect(article.status, JSON.stringify(article.body)).toBe(201);
              const created = (article.body as { article: Record<string, unknown> }).article;
              expect(created).toMatchObject({ title: text.title, description: text.description, body: text.body });
              expect(created.tagList).toEqual([text.tag]);
              const path = `/api/articles/${encodeURIComponent(created.slug as string)}`;
              const read = await send("GET", path);
              expect((read.body as { article: unknown }).article).toEqual(created);
              const tagged = await send("GET", `/api/articles?tag=${encodeURIComponent(text.tag)}`);
              expect((tagged.body as { articles: { slug: string }[] }).articles.map((a) => a.slug)).toContain(
                created.slug,
              );

              const comment = await send(
                "POST",
                `${path}/comments`,
                { comment: { body: text.comment } },
                { token: owner.token },
              );
              expect(comment.status).toBe(201);
              expect((comment.body as { comment: { body: string } }).comment.body).toBe(text.comment);

              const username = `${text.username}${unique("")}`;
              const user = await send("POST", "/api/users", {
                user: { username, email: `${unique("u")}@example.com`, password: "password123" },
              });
              expect(user.status, JSON.stringify(user.body)).toBe(201);
              const token = (user.body as { user: { token: string } }).user.token;
              const updated = await send("PUT", "/api/user", { user: { bio: text.bio } }, { token });
              expect((updated.body as { user: { bio: string } }).user.bio).toBe(text.bio);
              const profile = await send("GET", `/api/profiles/${encodeURIComponent(username)}`);
              expect(profile.status).toBe(200);
              expect((profile.body as { profile: unknown }).profile).toEqual({
                username,
                bio: text.bio,
                image: null,
                following: false,
              });
            },
          ),
          { numRuns: RUNS },
        );
      },
      PROPERTY_TIMEOUT_MS,
    );

    it(
      "answers any path or query parameter with a 200, 404 or 422, never a 5xx, changing nothing",
      async () => {
        const param = fc.oneof(
          anyText(),
          fc.constantFrom("-1", "0", "1e3", "2147483648", "9".repeat(30), "0x10", " 1", ""),
        );
        await fc.assert(
          fc.asyncProperty(
            fc.record({ a: param, b: param, which: fc.integer({ min: 0, max: 7 }) }),
            async ({ a, b, which }) => {
              const before = await fingerprint(harness);
              const e = encodeURIComponent;
              const requests: [string, string][] = [
                ["GET", `/api/articles/${e(a)}`],
                ["GET", `/api/profiles/${e(a)}`],
                ["GET", `/api/articles/${e(a)}/comments`],
                ["GET", `/api/articles?tag=${e(a)}&author=${e(b)}`],
                ["GET", `/api/articles?favorited=${e(a)}&limit=${e(b)}`],
                ["GET", `/api/articles?offset=${e(a)}&limit=${e(b)}`],
                ["GET", `/api/articles/feed?offset=${e(a)}&limit=${e(b)}`],
                ["DELETE", `/api/articles/${e(slug)}/comments/${e(a)}`],
              ];
              const [method, path] = requests[which] as [string, string];
              const reply = await send(method, path, undefined, { token: owner.token });
              expect([200, 404, 422], `${method} ${path}: ${JSON.stringify(reply.body)}`).toContain(reply.status);
              expect(await fingerprint(harness)).toBe(before);
            },
          ),
          { numRuns: RUNS },
        );
      },
      PROPERTY_TIMEOUT_MS,
    );
  });
}

/** Every reply: never a 5xx; every error status carries a RealWorld error body. */
function expectSane(reply: Reply, label: string): void {
  expect(reply.status, `${label}: ${JSON.stringify(reply.body)}`).toBeLessThan(500);
  if (reply.status >= 400) {
    expect(GenericError.safeParse(reply.body).success, `${label}: ${JSON.stringify(reply.body)}`).toBe(true);
  }
}

/** A digest of every row of every table: equal before and after means nothing changed. */
async function fingerprint(harness: Harness): Promise<string> {
  const tables = ["users", "follows", "articles", "tags", "article_tags", "favorites", "comments"];
  const [row] = await harness.sql<{ digest: string }>(
    `SELECT md5(${tables.map((t) => `coalesce((SELECT string_agg(t::text, '|' ORDER BY t::text) FROM ${t} t), '')`).join(" || ")}) AS digest`,
  );
  return row?.digest ?? "";
}
