"""/profiles/:username and its follow (packages/api/src/routes/profiles.ts)."""

from __future__ import annotations

from litestar import Response, delete, get, post
from litestar.handlers import HTTPRouteHandler

from arena_api.errors import not_found
from arena_api.http import json_response
from arena_api.presenters import present_profile
from arena_api.routes.context import AnyRequest, RouteDeps, optional_viewer_id, require_viewer
from arena_api.store import ProfileRecord
from arena_api.validation import path_key


def _respond(profile: ProfileRecord | None) -> Response[bytes]:
    if profile is None:
        raise not_found("profile")
    return json_response({"profile": present_profile(profile)})


def profile_routes(deps: RouteDeps) -> list[HTTPRouteHandler]:
    @get("/profiles/{username:str}")
    async def profile(request: AnyRequest, username: str) -> Response[bytes]:
        viewer_id = await optional_viewer_id(deps, request)
        return _respond(await deps.store.get_profile(path_key(username, "username"), viewer_id))

    @post("/profiles/{username:str}/follow")
    async def follow(request: AnyRequest, username: str) -> Response[bytes]:
        viewer = await require_viewer(deps, request)
        return _respond(await deps.store.follow_user(viewer.id, path_key(username, "username")))

    @delete("/profiles/{username:str}/follow", status_code=200)
    async def unfollow(request: AnyRequest, username: str) -> Response[bytes]:
        viewer = await require_viewer(deps, request)
        return _respond(await deps.store.unfollow_user(viewer.id, path_key(username, "username")))

    return [profile, follow, unfollow]
