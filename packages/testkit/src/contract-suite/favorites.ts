import { messages, SingleArticleResponse } from "@arena/contract";
import { describe, expect, it } from "vitest";
import { type ConduitClient, expectError, expectShape, path, unique } from "./client.js";

export function favoriteContract(client: () => ConduitClient): void {
  describe("favorites: /api/articles/:slug/favorite", () => {
    it("favorites and unfavorites, idempotently, with the right favorited and favoritesCount", async () => {
      const api = client();
      const [author, fan, other] = await Promise.all([api.register(), api.register(), api.register()]);
      const article = await api.createArticle(author);

      for (let i = 0; i < 2; i++) {
        const reply = await api.post(path.favorite(article.slug), undefined, fan.token);
        expect(reply.status).toBe(200);
        expect(expectShape(SingleArticleResponse, reply.body).article).toMatchObject({
          slug: article.slug,
          body: article.body,
          favorited: true,
          favoritesCount: 1,
        });
      }
      expect(await api.favorite(other, article.slug)).toMatchObject({ favorited: true, favoritesCount: 2 });
      expect(await api.getArticle(article.slug, fan.token)).toMatchObject({ favorited: true, favoritesCount: 2 });
      expect(await api.getArticle(article.slug, author.token)).toMatchObject({ favorited: false, favoritesCount: 2 });
      expect(await api.getArticle(article.slug)).toMatchObject({ favorited: false, favoritesCount: 2 });

      for (let i = 0; i < 2; i++) {
        const reply = await api.delete(path.favorite(article.slug), fan.token);
        expect(reply.status).toBe(200);
        expect(expectShape(SingleArticleResponse, reply.body).article).toMatchObject({
          favorited: false,
          favoritesCount: 1,
        });
      }
      expect(await api.getArticle(article.slug, fan.token)).toMatchObject({ favorited: false, favoritesCount: 1 });
    });

    it("answers 401 without a token and 404 for an unknown slug", async () => {
      const api = client();
      const fan = await api.register();
      const unknown = unique("no-such-article");
      expectError(await api.post(path.favorite(unknown)), 401, "token", messages.missingToken);
      expectError(await api.delete(path.favorite(unknown)), 401, "token", messages.missingToken);
      expectError(await api.post(path.favorite(unknown), undefined, fan.token), 404, "article", messages.notFound);
      expectError(await api.delete(path.favorite(unknown), fan.token), 404, "article", messages.notFound);
    });
  });
}
