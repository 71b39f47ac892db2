import { messages } from "@arena/contract";
import { describe, expect, it } from "vitest";
import { type ConduitClient, expectError, unique } from "./client.js";

/** Invariants that only hold when the store uses constraints and transactions correctly. */
export function concurrencyContract(client: () => ConduitClient): void {
  describe("concurrent requests", () => {
    it("20 users favoriting one article at once give favoritesCount 20", async () => {
      const api = client();
      const author = await api.register();
      const article = await api.createArticle(author);
      const fans = await Promise.all(Array.from({ length: 20 }, () => api.register()));
      const replies = await Promise.all(
        fans.map((fan) => api.post(`/api/articles/${article.slug}/favorite`, undefined, fan.token)),
      );
      for (const reply of replies) expect(reply.status).toBe(200);
      expect((await api.getArticle(article.slug)).favoritesCount).toBe(20);
    });

    it("the same username registered 10 times at once gives one 201 and nine 409s", async () => {
      const api = client();
      const username = unique("race");
      const replies = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          api.post("/api/users", {
            user: { username, email: `${username}.${i}@example.com`, password: "password123" },
          }),
        ),
      );
      expect(replies.filter((reply) => reply.status === 201)).toHaveLength(1);
      for (const reply of replies.filter((r) => r.status !== 201)) expectError(reply, 409, "username", messages.taken);
    });

    it("articles created at once with the same new tags each keep all their tags", async () => {
      const api = client();
      const authors = await Promise.all(Array.from({ length: 10 }, () => api.register()));
      const tags = Array.from({ length: 5 }, () => unique("shared"));
      const articles = await Promise.all(
        authors.map((author, i) => api.createArticle(author, { tagList: i % 2 ? tags : [...tags].reverse() })),
      );
      const sorted = [...tags].sort();
      for (const article of articles) {
        expect(article.tagList).toEqual(sorted);
        expect((await api.getArticle(article.slug)).tagList).toEqual(sorted);
      }
      const byTag = await api.get(`/api/articles?tag=${tags[0]}&limit=50`);
      expect((byTag.body as { articlesCount: number }).articlesCount).toBe(10);
    });
  });
}
