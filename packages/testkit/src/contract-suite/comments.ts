import { MultipleCommentsResponse, messages, SingleCommentResponse } from "@arena/contract";
import { describe, expect, it } from "vitest";
import { type Account, type ConduitClient, expectError, expectShape, path, unique } from "./client.js";

export function commentContract(client: () => ConduitClient): void {
  const comments = async (slug: string, token?: string) => {
    const reply = await client().get(path.comments(slug), token);
    expect(reply.status).toBe(200);
    return expectShape(MultipleCommentsResponse, reply.body).comments;
  };

  describe("comments: /api/articles/:slug/comments", () => {
    it("adds a comment with 201 and an integer id, and lists comments newest first", async () => {
      const api = client();
      const [author, reader] = await Promise.all([api.register(), api.register()]);
      const article = await api.createArticle(author);
      const reply = await api.post(path.comments(article.slug), { comment: { body: "First!" } }, reader.token);
      expect(reply.status).toBe(201);
      const first = expectShape(SingleCommentResponse, reply.body).comment;
      expect(Number.isInteger(first.id)).toBe(true);
      expect(first).toMatchObject({
        body: "First!",
        author: { username: reader.username, bio: null, image: null, following: false },
      });
      expect(first.updatedAt).toBe(first.createdAt);
      const second = await api.addComment(author, article.slug, "Second");
      expect((await comments(article.slug)).map((c) => c.id)).toEqual([second.id, first.id]);
    });

    it("shows following for the viewer of the comment authors", async () => {
      const api = client();
      const [author, commenter, reader] = await Promise.all([api.register(), api.register(), api.register()]);
      const article = await api.createArticle(author);
      await api.addComment(commenter, article.slug);
      await api.follow(reader, commenter.username);
      expect((await comments(article.slug, reader.token))[0]?.author.following).toBe(true);
      expect((await comments(article.slug))[0]?.author.following).toBe(false);
    });

    it("deletes a comment with 204, leaving the others", async () => {
      const api = client();
      const author = await api.register();
      const article = await api.createArticle(author);
      const first = await api.addComment(author, article.slug, "First comment");
      await api.addComment(author, article.slug, "Second comment");
      const reply = await api.delete(path.comment(article.slug, first.id), author.token);
      expect(reply.status).toBe(204);
      expect(reply.body).toBe("");
      expect((await comments(article.slug)).map((c) => c.body)).toEqual(["Second comment"]);
    });

    it("answers 403 comment forbidden when another user deletes, and keeps the comment", async () => {
      const api = client();
      const [author, intruder] = await Promise.all([api.register(), api.register()]);
      const article = await api.createArticle(author);
      const comment = await api.addComment(author, article.slug, "Mine");
      expectError(
        await api.delete(path.comment(article.slug, comment.id), intruder.token),
        403,
        "comment",
        messages.forbidden,
      );
      expect((await comments(article.slug)).map((c) => c.id)).toEqual([comment.id]);
    });

    it("answers 404 for an unknown article or comment, and for a comment of another article", async () => {
      const api = client();
      const author: Account = await api.register();
      const article = await api.createArticle(author);
      const elsewhere = await api.createArticle(author);
      const comment = await api.addComment(author, elsewhere.slug);
      const unknown = unique("no-such-article");
      expectError(await api.get(path.comments(unknown)), 404, "article", messages.notFound);
      expectError(
        await api.post(path.comments(unknown), { comment: { body: "x" } }, author.token),
        404,
        "article",
        messages.notFound,
      );
      expectError(await api.delete(path.comment(unknown, 1), author.token), 404, "article", messages.notFound);
      expectError(
        await api.delete(path.comment(article.slug, 2_000_000_000), author.token),
        404,
        "comment",
        messages.notFound,
      );
      expectError(
        await api.delete(path.comment(article.slug, comment.id), author.token),
        404,
        "comment",
        messages.notFound,
      );
    });

    it("answers 401 without a token and 422 for a blank body or a non-integer id", async () => {
      const api = client();
      const author = await api.register();
      const article = await api.createArticle(author);
      expectError(
        await api.post(path.comments(article.slug), { comment: { body: "x" } }),
        401,
        "token",
        messages.missingToken,
      );
      expectError(await api.delete(path.comment(article.slug, 1)), 401, "token", messages.missingToken);
      expectError(
        await api.post(path.comments(article.slug), { comment: { body: "" } }, author.token),
        422,
        "body",
        messages.blank,
      );
      expectError(await api.post(path.comments(article.slug), {}, author.token), 422, "comment", messages.blank);
      expectError(await api.delete(path.comment(article.slug, "abc"), author.token), 422, "id", messages.notInteger);
    });
  });
}
