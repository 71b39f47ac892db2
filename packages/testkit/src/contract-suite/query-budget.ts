import type { ArticleBody } from "@arena/contract";
import { describe, expect, it } from "vitest";
import { type ConduitClient, unique } from "./client.js";
import type { StatementCounter } from "./sql-profile.js";

/**
 * The statements a list request runs must not grow with the number of items it returns, so no app
 * can hide an N+1 behind a small test page. Counted in-process by the SQL counter, by URL through
 * PostgreSQL's pg_stat_statements.
 */
export function queryBudgetContract(client: () => ConduitClient, count: () => StatementCounter): void {
  describe("SQL statements do not grow with the page (no N+1)", () => {
    const statementsFor = async (path: string, token?: string) => {
      const measured = await count()(() => client().get(path, token));
      expect(measured.result.status).toBe(200);
      // A counter that saw nothing would make every comparison below pass.
      expect(measured.count, `${path}: no statement was counted`).toBeGreaterThan(0);
      return measured.count;
    };

    it("article list, feed and comments cost the same for 1 item as for 12", async () => {
      const api = client();
      const [author, reader] = await Promise.all([api.register(), api.register()]);
      const tag = unique("budget");
      const articles: ArticleBody[] = [];
      for (let i = 0; i < 12; i++) articles.push(await api.createArticle(author, { tagList: [tag, unique("x")] }));
      await api.follow(reader, author.username);
      const first = articles[0];
      if (!first) throw new Error("no article");
      for (const article of articles) await api.favorite(reader, article.slug);
      for (let i = 0; i < 12; i++) await api.addComment(i % 2 ? author : reader, first.slug, `comment ${i}`);

      expect(await statementsFor(`/api/articles?tag=${tag}&limit=12`, reader.token)).toBe(
        await statementsFor(`/api/articles?tag=${tag}&limit=1`, reader.token),
      );
      expect(await statementsFor("/api/articles/feed?limit=12", reader.token)).toBe(
        await statementsFor("/api/articles/feed?limit=1", reader.token),
      );
      const second = articles[1];
      if (!second) throw new Error("no article");
      await api.addComment(reader, second.slug);
      expect(await statementsFor(`/api/articles/${first.slug}/comments`, reader.token)).toBe(
        await statementsFor(`/api/articles/${second.slug}/comments`, reader.token),
      );
    });
  });
}
