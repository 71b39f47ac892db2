import { messages } from "@arena/contract";
import { describe, expect, it } from "vitest";
import { type ConduitClient, expectError, unique } from "./client.js";

export function errorContract(client: () => ConduitClient): void {
  describe("bad input is a RealWorld 422, never a 500", () => {
    it("answers 422 for malformed JSON", async () => {
      const api = client();
      const author = await api.register();
      for (const raw of ["{", "not json", ""]) {
        expectError(await api.send("POST", "/api/users", undefined, { raw }), 422, "request", messages.invalidJson);
        expectError(await api.send("POST", "/api/articles", undefined, { raw, token: author.token }), 422, "request");
      }
    });

    it("answers 422 for a body that is not an object", async () => {
      const api = client();
      for (const body of [[], "user", 42, null, { user: "x" }, { user: [] }]) {
        expectError(await api.post("/api/users", body), 422, "user");
      }
    });

    it("answers 422 naming the field for wrong types", async () => {
      const api = client();
      const author = await api.register();
      const username = unique("types");
      expectError(
        await api.post("/api/users", {
          user: { username: 123, email: `${username}@example.com`, password: "password123" },
        }),
        422,
        "username",
        messages.notString,
      );
      expectError(await api.put("/api/user", { user: { bio: 7 } }, author.token), 422, "bio", messages.notString);
      expectError(
        await api.put("/api/user", { user: { image: { url: "x" } } }, author.token),
        422,
        "image",
        messages.notString,
      );
      const article = { title: "T", description: "D", body: "B" };
      expectError(
        await api.post("/api/articles", { article: { ...article, tagList: "dragons" } }, author.token),
        422,
        "tagList",
      );
      expectError(
        await api.post("/api/articles", { article: { ...article, tagList: [1, 2] } }, author.token),
        422,
        "tagList",
      );
      expectError(
        await api.post("/api/articles", { article: { ...article, tagList: ["ok", " "] } }, author.token),
        422,
        "tagList",
        messages.blankTag,
      );
      expectError(
        await api.post("/api/articles", { article: { ...article, title: ["T"] } }, author.token),
        422,
        "title",
        messages.notString,
      );
    });

    it("answers 404 route not found, as JSON, for an unknown route", async () => {
      expectError(await client().get("/api/no-such-route"), 404, "route", messages.notFound);
    });

    it("answers 413 for a body over the size limit", async () => {
      const api = client();
      const author = await api.register();
      const huge = "x".repeat(2 * 1024 * 1024);
      expectError(
        await api.post("/api/articles", { article: { title: "T", description: "D", body: huge } }, author.token),
        413,
        "request",
      );
    });

    it("answers 422 for a NUL character, which PostgreSQL text cannot hold", async () => {
      const api = client();
      const author = await api.register();
      const nul = "before\u0000after";
      expectError(
        await api.post("/api/articles", { article: { title: nul, description: "D", body: "B" } }, author.token),
        422,
        "title",
        messages.nulCharacter,
      );
      expectError(await api.put("/api/user", { user: { bio: nul } }, author.token), 422, "bio", messages.nulCharacter);
      expectError(await api.post("/api/users/login", { user: { email: nul, password: nul } }), 422, "email");
      expectError(await api.get("/api/articles?tag=%00"), 422, "tag", messages.nulCharacter);
      // No user or article can have such a name, so a lookup by it is simply not found.
      expectError(await api.get("/api/profiles/a%00b"), 404, "profile", messages.notFound);
      expectError(await api.get("/api/articles/a%00b"), 404, "article", messages.notFound);
      expectError(
        await api.post("/api/articles/a%00b/favorite", undefined, author.token),
        404,
        "article",
        messages.notFound,
      );
    });

    it("keeps text exactly as sent: unicode, quotes and SQL", async () => {
      const api = client();
      const author = await api.register();
      const tricky =
        "Ünïcödé 🐉 — \"quotes\" 'single' \\ backslash; DROP TABLE articles; -- \n\ttabs \u{1F600} \u200B zero-width";
      const tag = `${unique("tag")}-ü🐉'`;
      const article = await api.createArticle(author, {
        title: tricky,
        description: tricky,
        body: tricky,
        tagList: [tag],
      });
      expect(article).toMatchObject({ title: tricky, description: tricky, body: tricky, tagList: [tag] });
      expect(await api.getArticle(article.slug)).toMatchObject({ title: tricky, body: tricky });
      const byTag = await api.get(`/api/articles?tag=${encodeURIComponent(tag)}`);
      expect((byTag.body as { articlesCount: number }).articlesCount).toBe(1);
    });
  });

  describe("service routes", () => {
    it("serves its OpenAPI 3.1 document at /api/openapi.json", async () => {
      const reply = await client().get("/api/openapi.json");
      expect(reply.status).toBe(200);
      const document = reply.body as { openapi: string; paths: Record<string, unknown>; info: { version: string } };
      expect(document.openapi).toBe("3.1.0");
      expect(document.info.version).toBe("2.0.0");
      expect(Object.keys(document.paths).sort()).toEqual(
        [
          "/articles",
          "/articles/feed",
          "/articles/{slug}",
          "/articles/{slug}/comments",
          "/articles/{slug}/comments/{id}",
          "/articles/{slug}/favorite",
          "/profiles/{username}",
          "/profiles/{username}/follow",
          "/tags",
          "/user",
          "/users",
          "/users/login",
        ].sort(),
      );
    });

    it("reports health at /healthz", async () => {
      const reply = await client().get("/healthz");
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ status: "ok" });
    });
  });
}
