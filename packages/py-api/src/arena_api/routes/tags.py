"""/tags (packages/api/src/routes/tags.ts)."""

from __future__ import annotations

from litestar import Response, get
from litestar.handlers import HTTPRouteHandler

from arena_api.http import json_response
from arena_api.presenters import sorted_tags
from arena_api.routes.context import RouteDeps


def tag_routes(deps: RouteDeps) -> list[HTTPRouteHandler]:
    @get("/tags")
    async def tags() -> Response[bytes]:
        return json_response({"tags": sorted_tags(await deps.store.list_tags())})

    return [tags]
