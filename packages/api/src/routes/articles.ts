import { ArticleListQuery, LIMIT_DEFAULT, NewArticleRequest, PageQuery, UpdateArticleRequest } from "@arena/contract";
import { forbidden, notFound } from "../errors.js";
import { presentArticle, presentArticleSummary } from "../presenters.js";
import { readingMinutes } from "../reading-time.js";
import { slugify } from "../slug.js";
import { type ArticleChanges, type ArticlePage, type ArticleRecord, ConflictError } from "../store.js";
import { parse, pathKey, readBody } from "../validation.js";
import { createRouter, type RouteDeps, viewer } from "./context.js";

const SLUG_ATTEMPTS = 3;

export function articleRoutes(deps: RouteDeps) {
  const { store } = deps;
  const { router, requireAuth, optionalAuth } = createRouter(deps);
  const one = (article: ArticleRecord | null) => {
    if (!article) throw notFound("article");
    return { article: presentArticle(article) };
  };
  const many = (page: ArticlePage) => ({
    articles: page.articles.map(presentArticleSummary),
    articlesCount: page.articlesCount,
  });

  /** Finds the article and checks that the signed-in user wrote it: 404, then 403. */
  const ownedArticle = async (slug: string, userId: number) => {
    const owner = await store.findArticleOwner(slug);
    if (!owner) throw notFound("article");
    if (owner.authorId !== userId) throw forbidden("article");
    return owner.articleId;
  };

  // Registered before /articles/:slug, so that "feed" is never read as a slug.
  router.get("/articles/feed", requireAuth, async (c) => {
    const query = parse(PageQuery, c.req.query(), "query");
    const page = { limit: query.limit ?? LIMIT_DEFAULT, offset: query.offset ?? 0 };
    return c.json(many(await store.listFeed(page, viewer(c))));
  });

  router.get("/articles", optionalAuth, async (c) => {
    const query = parse(ArticleListQuery, c.req.query(), "query");
    const filter = {
      ...query,
      limit: query.limit ?? LIMIT_DEFAULT,
      offset: query.offset ?? 0,
    };
    return c.json(many(await store.listArticles(filter, c.get("viewerId"))));
  });

  router.post("/articles", requireAuth, async (c) => {
    const { article } = await readBody(c, NewArticleRequest, "article");
    const input = {
      title: article.title,
      description: article.description,
      body: article.body,
      readingMinutes: readingMinutes(article.body),
      tagList: distinct(article.tagList ?? []),
    };
    // The random suffix makes a taken slug very unlikely; if it happens, draw another one.
    for (let attempt = 1; ; attempt++) {
      try {
        const created = await store.createArticle(viewer(c), { ...input, slug: slugify(input.title) });
        return c.json(one(created), 201);
      } catch (error) {
        if (!(error instanceof ConflictError && error.field === "slug") || attempt >= SLUG_ATTEMPTS) throw error;
      }
    }
  });

  router.get("/articles/:slug", optionalAuth, async (c) =>
    c.json(one(await store.getArticle(pathKey(c, "slug"), c.get("viewerId")))),
  );

  router.put("/articles/:slug", requireAuth, async (c) => {
    const { article } = await readBody(c, UpdateArticleRequest, "article");
    const userId = viewer(c);
    const articleId = await ownedArticle(pathKey(c, "slug"), userId);
    const changes: ArticleChanges = {};
    if (article.title !== undefined) changes.title = article.title;
    if (article.description !== undefined) changes.description = article.description;
    if (article.body !== undefined) {
      changes.body = article.body;
      changes.readingMinutes = readingMinutes(article.body);
    }
    if (article.tagList !== undefined) changes.tagList = distinct(article.tagList);
    return c.json(one(await store.updateArticle(articleId, changes, userId)));
  });

  router.delete("/articles/:slug", requireAuth, async (c) => {
    await store.deleteArticle(await ownedArticle(pathKey(c, "slug"), viewer(c)));
    return c.body(null, 204);
  });

  router.post("/articles/:slug/favorite", requireAuth, async (c) =>
    c.json(one(await store.favoriteArticle(pathKey(c, "slug"), viewer(c)))),
  );

  router.delete("/articles/:slug/favorite", requireAuth, async (c) =>
    c.json(one(await store.unfavoriteArticle(pathKey(c, "slug"), viewer(c)))),
  );

  return router;
}

/** Tags as a set: the same tag twice is one tag. */
function distinct(tags: string[]): string[] {
  return [...new Set(tags)];
}
