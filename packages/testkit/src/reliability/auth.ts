import { messages } from "@arena/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppUnderTest } from "../app-under-test.js";
import { type Account, expectError, path, unique } from "../contract-suite/index.js";
import { type Harness, startHarness } from "./harness.js";

/** Every route that takes a token, with a request that would succeed for a live owner. */
function signedInRoutes(slug: string, username: string, commentId: number) {
  return [
    ["GET", "/api/user", undefined],
    ["PUT", "/api/user", { user: { bio: "changed" } }],
    ["GET", "/api/articles/feed", undefined],
    ["GET", "/api/articles", undefined],
    ["GET", path.article(slug), undefined],
    ["POST", "/api/articles", { article: { title: unique("t"), description: "d", body: "b" } }],
    ["PUT", path.article(slug), { article: { body: "changed" } }],
    ["POST", path.favorite(slug), undefined],
    ["DELETE", path.favorite(slug), undefined],
    ["GET", path.comments(slug), undefined],
    ["POST", path.comments(slug), { comment: { body: "c" } }],
    ["DELETE", path.comment(slug, commentId), undefined],
    ["GET", path.profile(username), undefined],
    ["POST", path.follow(username), undefined],
    ["DELETE", path.follow(username), undefined],
    ["DELETE", path.article(slug), undefined],
  ] as const;
}

/**
 * Tokens that must not work (`alg: none`, a wrong signature, expired, a deleted user's), writes by
 * non-owners that must change nothing, and password hashes that must never leave the server.
 */
export function authReliability(app: AppUnderTest, figures: Record<string, number>): void {
  describe("authentication and authorization", () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await startHarness(app, { prefix: "auth" });
    });
    afterAll(async () => {
      await harness?.close();
    });

    it("answers 401 on every route to a token with alg none, a wrong signature, or a past expiry", async () => {
      const { api } = harness;
      const owner = await api.register();
      const article = await api.createArticle(owner);
      const comment = await api.addComment(owner, article.slug);
      const id = (await harness.sql<{ id: number }>("SELECT id FROM users WHERE username = $1", [owner.username]))[0]
        ?.id;
      const now = Math.floor(Date.now() / 1000);
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
      const tokens = {
        algNone: `${encode({ alg: "none", typ: "JWT" })}.${encode({ sub: String(id), iat: now, exp: now + 3600 })}.`,
        wrongSignature: api.forgeToken({ sub: String(id), iat: now, exp: now + 3600 }, "not the server's secret"),
        expired: api.forgeToken({ sub: String(id), iat: now - 7200, exp: now - 1 }),
      };
      for (const [kind, token] of Object.entries(tokens)) {
        for (const [method, route, body] of signedInRoutes(article.slug, owner.username, comment.id)) {
          const reply = await api.send(method, route, body, { token });
          expect(reply.status, `${kind}: ${method} ${route}`).toBe(401);
          expectError(reply, 401, "token", messages.invalidToken);
          figures.authRequests = (figures.authRequests ?? 0) + 1;
        }
      }
      // Nothing those requests asked for happened.
      expect(await api.getArticle(article.slug)).toMatchObject({ body: article.body, favoritesCount: 0 });
    });

    it("answers 401 on every route to the token of a deleted user, and writes nothing for it", async () => {
      const { api } = harness;
      const owner = await api.register();
      const article = await api.createArticle(owner);
      const comment = await api.addComment(owner, article.slug);
      const ghost = await api.register();
      await harness.sql("DELETE FROM users WHERE username = $1", [ghost.username]);
      const before = await rowCounts(harness);
      for (const [method, route, body] of signedInRoutes(article.slug, owner.username, comment.id)) {
        const reply = await api.send(method, route, body, { token: ghost.token });
        expectError(reply, 401, "token", messages.invalidToken);
        figures.authRequests = (figures.authRequests ?? 0) + 1;
      }
      expect(await rowCounts(harness)).toEqual(before);
      expect(await api.getArticle(article.slug)).toMatchObject({ body: article.body });
    });

    it("answers 403 to every write by a non-owner, and changes nothing", async () => {
      const { api } = harness;
      const owner = await api.register();
      const other = await api.register();
      const article = await api.createArticle(owner, { tagList: ["kept"] });
      const comment = await api.addComment(owner, article.slug, "the owner's comment");
      const writes = [
        ["PUT", path.article(article.slug), { article: { title: "hijacked", body: "hijacked", tagList: [] } }],
        ["DELETE", path.article(article.slug), undefined],
        ["DELETE", path.comment(article.slug, comment.id), undefined],
      ] as const;
      for (const [method, route, body] of writes) {
        const reply = await api.send(method, route, body, { token: other.token });
        expect(reply.status, `${method} ${route}`).toBe(403);
        expectError(reply, 403, method === "DELETE" && route.includes("/comments/") ? "comment" : "article");
        figures.authRequests = (figures.authRequests ?? 0) + 1;
      }
      expect(await api.getArticle(article.slug)).toEqual(article);
      const comments = await api.get<{ comments: { id: number; body: string }[] }>(path.comments(article.slug));
      expect(comments.body.comments.map((c) => [c.id, c.body])).toEqual([[comment.id, "the owner's comment"]]);
    });

    it("never sends a password hash, nor a password, in any response", async () => {
      const { api } = harness;
      const user: Account = await api.register();
      await api.post("/api/users/login", { user: { email: user.email, password: user.password } });
      await api.put("/api/user", { user: { password: "a new password" } }, user.token);
      const hashes = await harness.sql<{ password_hash: string }>("SELECT password_hash FROM users");
      expect(hashes.length).toBeGreaterThan(0);
      for (const text of harness.responses) {
        for (const { password_hash } of hashes) expect(text).not.toContain(password_hash);
        expect(text).not.toMatch(/"password(_?hash)?"\s*:/i);
        expect(text).not.toContain("a new password");
      }
      figures.responsesScannedForSecrets = harness.responses.length;
    });
  });
}

async function rowCounts(harness: Harness) {
  return (
    await harness.sql(
      `SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM articles) AS articles,
              (SELECT count(*)::int FROM comments) AS comments, (SELECT count(*)::int FROM favorites) AS favorites,
              (SELECT count(*)::int FROM follows) AS follows, (SELECT count(*)::int FROM tags) AS tags`,
    )
  )[0];
}
