"""/articles/:slug/comments (packages/api/src/routes/comments.ts)."""

from __future__ import annotations

from litestar import Response, delete, get, post
from litestar.handlers import HTTPRouteHandler

from arena_api.errors import forbidden, not_found
from arena_api.http import json_response
from arena_api.presenters import present_comment
from arena_api.routes.context import AnyRequest, RouteDeps, optional_viewer_id, require_viewer
from arena_api.validation import comment_id, new_comment_body, path_key


def comment_routes(deps: RouteDeps) -> list[HTTPRouteHandler]:
    @get("/articles/{slug:str}/comments")
    async def comments(request: AnyRequest, slug: str) -> Response[bytes]:
        viewer_id = await optional_viewer_id(deps, request)
        found = await deps.store.list_comments(path_key(slug, "slug"), viewer_id)
        if found is None:
            raise not_found("article")
        return json_response({"comments": [present_comment(comment) for comment in found]})

    @post("/articles/{slug:str}/comments")
    async def add(request: AnyRequest, slug: str) -> Response[bytes]:
        viewer = await require_viewer(deps, request)
        body = new_comment_body(await request.body())
        created = await deps.store.add_comment(path_key(slug, "slug"), viewer.id, body)
        if created is None:
            raise not_found("article")
        return json_response({"comment": present_comment(created)}, 201)

    @delete("/articles/{slug:str}/comments/{id:str}", status_code=204)
    async def remove(request: AnyRequest, slug: str, id: str) -> None:  # noqa: A002 (the path's name)
        viewer = await require_viewer(deps, request)
        wanted = comment_id(id)
        owner = await deps.store.find_comment_owner(path_key(slug, "slug"), wanted)
        if owner is None:
            raise not_found("article")
        if owner.comment_author_id is None:
            raise not_found("comment")
        if owner.comment_author_id != viewer.id:
            raise forbidden("comment")
        await deps.store.delete_comment(wanted)

    return [comments, add, remove]
