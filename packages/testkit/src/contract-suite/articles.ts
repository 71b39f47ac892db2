import { type ArticleListItemBody, MultipleArticlesResponse, messages, SingleArticleResponse } from "@arena/contract";
import { describe, expect, it } from "vitest";
import { type Account, type ConduitClient, expectError, expectShape, path, unique } from "./client.js";

export function articleContract(client: () => ConduitClient): void {
  const list = async (query: string, token?: string) => {
    const reply = await client().get(`/api/articles${query}`, token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return expectShape(MultipleArticlesResponse, reply.body);
  };
  const slugs = (articles: ArticleListItemBody[]) => articles.map((article) => article.slug);

  /** An author with `count` articles sharing a fresh tag, oldest first. */
  const authorWithArticles = async (count: number) => {
    const api = client();
    const author = await api.register();
    const tag = unique("tag");
    const created = [];
    for (let i = 0; i < count; i++) created.push(await api.createArticle(author, { tagList: [tag] }));
    return { author, tag, created };
  };

  describe("create and read: POST /api/articles, GET /api/articles/:slug", () => {
    it("returns 201 with the article as its author sees it", async () => {
      const api = client();
      const author = await api.register();
      const tags = [unique("zeta"), unique("alpha")];
      const before = Date.now();
      const reply = await api.post(
        "/api/articles",
        {
          article: {
            title: "How to train your dragon",
            description: "Ever wonder how?",
            body: "You have to believe.",
            tagList: tags,
          },
        },
        author.token,
      );
      expect(reply.status).toBe(201);
      const { article } = expectShape(SingleArticleResponse, reply.body);
      expect(article).toMatchObject({
        title: "How to train your dragon",
        description: "Ever wonder how?",
        body: "You have to believe.",
        tagList: [...tags].sort(),
        favorited: false,
        favoritesCount: 0,
        author: { username: author.username, bio: null, image: null, following: false },
      });
      expect(article.slug).toMatch(/^how-to-train-your-dragon/);
      expect(Date.parse(article.createdAt)).toBeGreaterThanOrEqual(before - 60_000);
      expect(article.updatedAt).toBe(article.createdAt);
      expect(await api.getArticle(article.slug)).toEqual(article);
    });

    it("accepts an article without tagList and gives it an empty one", async () => {
      const api = client();
      const article = await api.createArticle(await api.register());
      expect(article.tagList).toEqual([]);
    });

    it("stores a tag given twice once", async () => {
      const api = client();
      const tag = unique("twice");
      const article = await api.createArticle(await api.register(), { tagList: [tag, tag] });
      expect(article.tagList).toEqual([tag]);
    });

    it("gives two articles with the same title different slugs", async () => {
      const api = client();
      const author = await api.register();
      const title = unique("Same title");
      const first = await api.createArticle(author, { title });
      const second = await api.createArticle(author, { title });
      expect(first.slug).not.toBe(second.slug);
      expect((await api.getArticle(first.slug)).slug).toBe(first.slug);
      expect((await api.getArticle(second.slug)).slug).toBe(second.slug);
    });

    it.each(["title", "description", "body"])("answers 422 when %s is blank or missing", async (field) => {
      const api = client();
      const author = await api.register();
      const article: Record<string, string> = { title: "T", description: "D", body: "B" };
      expectError(
        await api.post("/api/articles", { article: { ...article, [field]: "" } }, author.token),
        422,
        field,
        messages.blank,
      );
      const { [field]: _omitted, ...rest } = article;
      expectError(await api.post("/api/articles", { article: rest }, author.token), 422, field, messages.blank);
    });

    it("answers 401 without a token and 404 article not found for an unknown slug", async () => {
      const api = client();
      expectError(
        await api.post("/api/articles", { article: { title: "T", description: "D", body: "B" } }),
        401,
        "token",
        messages.missingToken,
      );
      expectError(await api.get(path.article(unique("no-such-article"))), 404, "article", messages.notFound);
    });
  });

  describe("list: GET /api/articles", () => {
    it("lists newest first, without bodies, with the total count", async () => {
      const { author, tag, created } = await authorWithArticles(3);
      const page = await list(`?author=${author.username}`);
      expect(page.articlesCount).toBe(3);
      expect(slugs(page.articles)).toEqual(created.map((a) => a.slug).reverse());
      for (const item of page.articles) expect(item).not.toHaveProperty("body");
      const byTag = await list(`?tag=${tag}`);
      expect(slugs(byTag.articles)).toEqual(slugs(page.articles));
    });

    it("pages with limit and offset while articlesCount counts every match", async () => {
      const { tag, created } = await authorWithArticles(5);
      const newestFirst = created.map((a) => a.slug).reverse();
      const first = await list(`?tag=${tag}&limit=2`);
      expect(first.articlesCount).toBe(5);
      expect(slugs(first.articles)).toEqual(newestFirst.slice(0, 2));
      const second = await list(`?tag=${tag}&limit=2&offset=2`);
      expect(second.articlesCount).toBe(5);
      expect(slugs(second.articles)).toEqual(newestFirst.slice(2, 4));
      const beyond = await list(`?tag=${tag}&limit=2&offset=10`);
      expect(beyond).toEqual({ articles: [], articlesCount: 5 });
    });

    it("returns 20 articles when no limit is given", async () => {
      const { tag } = await authorWithArticles(21);
      const page = await list(`?tag=${tag}`);
      expect(page.articlesCount).toBe(21);
      expect(page.articles).toHaveLength(20);
    });

    it("filters by tag, author and favorited, alone and together", async () => {
      const api = client();
      const [alice, bob, fan] = await Promise.all([api.register(), api.register(), api.register()]);
      const tag = unique("filter");
      const aliceTagged = await api.createArticle(alice, { tagList: [tag, unique("other")] });
      const bobTagged = await api.createArticle(bob, { tagList: [tag] });
      const aliceUntagged = await api.createArticle(alice);
      await api.favorite(fan, aliceTagged.slug);
      await api.favorite(fan, aliceUntagged.slug);

      expect(slugs((await list(`?tag=${tag}`)).articles)).toEqual([bobTagged.slug, aliceTagged.slug]);
      expect(slugs((await list(`?author=${alice.username}`)).articles)).toEqual([aliceUntagged.slug, aliceTagged.slug]);
      expect(slugs((await list(`?favorited=${fan.username}`)).articles)).toEqual([
        aliceUntagged.slug,
        aliceTagged.slug,
      ]);
      const all = await list(`?tag=${tag}&author=${alice.username}&favorited=${fan.username}`);
      expect(all).toMatchObject({ articlesCount: 1 });
      expect(slugs(all.articles)).toEqual([aliceTagged.slug]);
      expect(all.articles[0]?.tagList).toHaveLength(2);
      expect(await list(`?tag=${tag}&author=${fan.username}`)).toEqual({ articles: [], articlesCount: 0 });
    });

    it("matches nothing for an unknown tag, author or favoriting user", async () => {
      for (const filter of ["tag", "author", "favorited"]) {
        expect(await list(`?${filter}=${unique("unknown")}`)).toEqual({ articles: [], articlesCount: 0 });
      }
    });

    it("personalises favorited and following for the viewer", async () => {
      const api = client();
      const [author, fan] = await Promise.all([api.register(), api.register()]);
      const article = await api.createArticle(author);
      await api.favorite(fan, article.slug);
      await api.follow(fan, author.username);
      const seen = (await list(`?author=${author.username}`, fan.token)).articles[0];
      expect(seen).toMatchObject({ favorited: true, favoritesCount: 1, author: { following: true } });
      const anonymous = (await list(`?author=${author.username}`)).articles[0];
      expect(anonymous).toMatchObject({ favorited: false, favoritesCount: 1, author: { following: false } });
    });

    it.each([
      ["limit=0", "limit"],
      ["limit=-1", "limit"],
      ["limit=abc", "limit"],
      ["limit=1.5", "limit"],
      ["limit=1001", "limit"],
      ["offset=-1", "offset"],
      ["offset=x", "offset"],
      ["tag=", "tag"],
    ])("answers 422 for the query %s", async (query, key) => {
      expectError(await client().get(`/api/articles?${query}`), 422, key);
    });
  });

  describe("feed: GET /api/articles/feed", () => {
    it("lists articles by followed authors only, newest first, with paging", async () => {
      const api = client();
      const [reader, followed, ignored] = await Promise.all([api.register(), api.register(), api.register()]);
      const empty = await api.get("/api/articles/feed", reader.token);
      expect(expectShape(MultipleArticlesResponse, empty.body)).toEqual({ articles: [], articlesCount: 0 });

      const first = await api.createArticle(followed);
      await api.createArticle(ignored);
      const second = await api.createArticle(followed);
      await api.follow(reader, followed.username);

      const feed = expectShape(MultipleArticlesResponse, (await api.get("/api/articles/feed", reader.token)).body);
      expect(feed.articlesCount).toBe(2);
      expect(slugs(feed.articles)).toEqual([second.slug, first.slug]);
      for (const item of feed.articles) {
        expect(item).not.toHaveProperty("body");
        expect(item.author).toMatchObject({ username: followed.username, following: true });
      }
      const paged = expectShape(
        MultipleArticlesResponse,
        (await api.get("/api/articles/feed?limit=1&offset=1", reader.token)).body,
      );
      expect(paged.articlesCount).toBe(2);
      expect(slugs(paged.articles)).toEqual([first.slug]);
    });

    it("answers 401 without a token and 422 for a bad limit", async () => {
      const api = client();
      expectError(await api.get("/api/articles/feed"), 401, "token", messages.missingToken);
      const reader = await api.register();
      expectError(await api.get("/api/articles/feed?limit=0", reader.token), 422, "limit");
    });
  });

  describe("update: PUT /api/articles/:slug", () => {
    const update = (author: Account, slug: string, article: unknown) =>
      client().put(path.article(slug), { article }, author.token);

    it("changes the given fields, keeps the slug and createdAt, and moves updatedAt", async () => {
      const api = client();
      const author = await api.register();
      const tag = unique("kept");
      const article = await api.createArticle(author, { tagList: [tag] });
      const reply = await update(author, article.slug, { title: "A new title", body: "A new body" });
      expect(reply.status).toBe(200);
      const updated = expectShape(SingleArticleResponse, reply.body).article;
      expect(updated).toMatchObject({
        slug: article.slug,
        title: "A new title",
        description: article.description,
        body: "A new body",
        tagList: [tag],
        createdAt: article.createdAt,
      });
      expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(article.updatedAt));
      expect(await api.getArticle(article.slug)).toEqual(updated);
    });

    it("keeps the tags when tagList is omitted, replaces them when given, clears them with []", async () => {
      const api = client();
      const author = await api.register();
      const [a, b, c] = [unique("a"), unique("b"), unique("c")];
      const article = await api.createArticle(author, { tagList: [a, b] });
      const kept = expectShape(SingleArticleResponse, (await update(author, article.slug, { body: "x" })).body).article;
      expect(kept.tagList).toEqual([a, b]);
      const replaced = expectShape(
        SingleArticleResponse,
        (await update(author, article.slug, { tagList: [c, a] })).body,
      ).article;
      expect(replaced.tagList).toEqual([a, c]);
      const cleared = expectShape(
        SingleArticleResponse,
        (await update(author, article.slug, { tagList: [] })).body,
      ).article;
      expect(cleared.tagList).toEqual([]);
      expect((await api.getArticle(article.slug)).tagList).toEqual([]);
      expect((await list(`?tag=${a}`)).articlesCount).toBe(0);
    });

    it("answers 422 for tagList null, a blank field or an empty update", async () => {
      const api = client();
      const author = await api.register();
      const article = await api.createArticle(author, { tagList: [unique("t")] });
      expectError(await update(author, article.slug, { tagList: null }), 422, "tagList");
      expectError(await update(author, article.slug, { title: "" }), 422, "title", messages.blank);
      expectError(await update(author, article.slug, { body: null }), 422, "body", messages.blank);
      expectError(await update(author, article.slug, {}), 422, "article", messages.emptyUpdate);
      expect(await api.getArticle(article.slug)).toEqual(article);
    });

    it("answers 401 without a token, 404 for an unknown slug, 403 for another user", async () => {
      const api = client();
      const [author, intruder] = await Promise.all([api.register(), api.register()]);
      const article = await api.createArticle(author);
      expectError(
        await api.put(path.article(article.slug), { article: { body: "x" } }),
        401,
        "token",
        messages.missingToken,
      );
      expectError(await update(intruder, unique("no-such-article"), { body: "x" }), 404, "article", messages.notFound);
      expectError(await update(intruder, article.slug, { body: "hijacked" }), 403, "article", messages.forbidden);
      expect(await api.getArticle(article.slug)).toEqual(article);
    });
  });

  describe("delete: DELETE /api/articles/:slug", () => {
    it("answers 204, and the article is gone with its comments and favorites", async () => {
      const api = client();
      const [author, fan] = await Promise.all([api.register(), api.register()]);
      const tag = unique("gone");
      const article = await api.createArticle(author, { tagList: [tag] });
      await api.addComment(fan, article.slug);
      await api.favorite(fan, article.slug);
      const reply = await api.delete(path.article(article.slug), author.token);
      expect(reply.status).toBe(204);
      expect(reply.body).toBe("");
      expectError(await api.get(path.article(article.slug)), 404, "article", messages.notFound);
      expectError(await api.get(path.comments(article.slug)), 404, "article", messages.notFound);
      expect(await list(`?favorited=${fan.username}`)).toEqual({ articles: [], articlesCount: 0 });
      expect(await list(`?tag=${tag}`)).toEqual({ articles: [], articlesCount: 0 });
    });

    it("answers 401 without a token, 404 for an unknown slug, 403 for another user", async () => {
      const api = client();
      const [author, intruder] = await Promise.all([api.register(), api.register()]);
      const article = await api.createArticle(author);
      expectError(await api.delete(path.article(article.slug)), 401, "token", messages.missingToken);
      expectError(
        await api.delete(path.article(unique("no-such-article")), intruder.token),
        404,
        "article",
        messages.notFound,
      );
      expectError(await api.delete(path.article(article.slug), intruder.token), 403, "article", messages.forbidden);
      expect(await api.getArticle(article.slug)).toEqual(article);
    });
  });
}
