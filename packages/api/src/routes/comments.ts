import { CommentIdParam, NewCommentRequest } from "@arena/contract";
import { forbidden, notFound } from "../errors.js";
import { presentComment } from "../presenters.js";
import { parse, pathKey, readBody } from "../validation.js";
import { createRouter, type RouteDeps, viewer } from "./context.js";

export function commentRoutes(deps: RouteDeps) {
  const { store } = deps;
  const { router, requireAuth, optionalAuth } = createRouter(deps);

  router.get("/articles/:slug/comments", optionalAuth, async (c) => {
    const comments = await store.listComments(pathKey(c, "slug"), c.get("viewerId"));
    if (!comments) throw notFound("article");
    return c.json({ comments: comments.map(presentComment) });
  });

  router.post("/articles/:slug/comments", requireAuth, async (c) => {
    const { comment } = await readBody(c, NewCommentRequest, "comment");
    const created = await store.addComment(pathKey(c, "slug"), viewer(c), comment.body);
    if (!created) throw notFound("article");
    return c.json({ comment: presentComment(created) }, 201);
  });

  router.delete("/articles/:slug/comments/:id", requireAuth, async (c) => {
    const commentId = parse(CommentIdParam, c.req.param("id"), "id");
    const owner = await store.findCommentOwner(pathKey(c, "slug"), commentId);
    if (!owner) throw notFound("article");
    if (owner.commentAuthorId === null) throw notFound("comment");
    if (owner.commentAuthorId !== viewer(c)) throw forbidden("comment");
    await store.deleteComment(commentId);
    return c.body(null, 204);
  });

  return router;
}
