"""The whole Conduit API on a store (packages/api/src/app.ts): every route under /api, and /healthz.

Every Python app serves exactly this; only the store differs. The store is opened in the app's
lifespan (so each worker process opens its own pool) and closed when the server shuts down.
"""

from __future__ import annotations

import logging
from pathlib import Path
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Final

import msgspec
from litestar import Litestar, Request, Response, Router, get
from litestar.exceptions import HTTPException
from litestar.types import ASGIApp, Receive, Scope, Send

from arena_api import messages
from arena_api.auth import TokenService
from arena_api.database_errors import DatabaseErrorShape, database_failure
from arena_api.errors import ApiError, database_unavailable, not_found, taken
from arena_api.http import json_response, routing_path
from arena_api.password import PASSWORD_COST
from arena_api.routes.articles import article_routes
from arena_api.routes.comments import comment_routes
from arena_api.routes.context import RouteDeps
from arena_api.routes.profiles import profile_routes
from arena_api.routes.tags import tag_routes
from arena_api.routes.users import user_routes
from arena_api.store import ConduitStore, ConflictError

DEFAULT_MAX_BODY_BYTES: Final = 1024 * 1024
"""Largest accepted request body (as the TypeScript layer): larger ones are a 413."""
MAX_HEADER_BYTES: Final = 16 * 1024
"""Node's --max-http-header-size: the request line and headers together past it are a 431."""

_log = logging.getLogger("arena_api")
# The contract's document, written by packages/py-api/scripts/write-openapi.ts (the TypeScript apps serve the same).
# Re-encoded compact, whatever the formatter made of the file's layout.
_OPENAPI: Final = msgspec.json.encode(msgspec.json.decode((Path(__file__).parent / "openapi.json").read_bytes()))
_RETRY: Final = {"Retry-After": "1"}

OpenStore = Callable[[], Awaitable[ConduitStore]]


@dataclass(frozen=True, slots=True)
class ConduitAppOptions:
    open_store: OpenStore
    """Opens the store when the app starts; it is closed when the app stops."""
    jwt_secret: str
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    password_cost: int = PASSWORD_COST
    """scrypt cost of new password hashes: only test harnesses lower it, in code."""
    database_errors: DatabaseErrorShape | None = None
    """How the app's ORM wraps database failures, for the 503s."""
    sql_statement_count: Callable[[], Awaitable[int]] | None = None
    """For the load comparison: serve GET /__arena/sql with the statements sent so far."""
    workers: int = 1


def create_conduit_app(options: ConduitAppOptions) -> ASGIApp:
    deps = RouteDeps(tokens=TokenService(options.jwt_secret), password_cost=options.password_cost)

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncGenerator[None]:
        deps._store = await options.open_store()  # pyright: ignore[reportPrivateUsage]
        try:
            yield
        finally:
            await deps.store.close()

    @get("/healthz")
    async def healthz() -> Response[bytes]:
        try:
            await deps.store.ping()
        except Exception:
            return json_response(database_unavailable("unavailable").body, 503, _RETRY)
        return json_response({"status": "ok"})

    @get("/openapi.json")
    async def openapi() -> Response[bytes]:
        return Response(content=_OPENAPI, media_type="application/json")

    handlers: list[Any] = [
        Router(
            "/api",
            route_handlers=[
                *user_routes(deps),
                *profile_routes(deps),
                *article_routes(deps),
                *comment_routes(deps),
                *tag_routes(deps),
                openapi,
            ],
        ),
        healthz,
    ]
    if options.sql_statement_count is not None:
        count = options.sql_statement_count

        @get("/__arena/sql")
        async def statements() -> Response[bytes]:
            return json_response({"statements": await count(), "workers": options.workers, "node": None})

        handlers.append(statements)

    def on_error(request: Request[Any, Any, Any], error: Exception) -> Response[bytes]:
        if isinstance(error, ApiError):
            return json_response(error.body, error.status)
        if isinstance(error, ConflictError):
            return json_response(taken(error.field).body, 409)
        if isinstance(error, HTTPException):
            return _http_exception(error)
        failure = database_failure(error, options.database_errors)
        if failure is not None:
            _log.error("%s %s: database %s: %s", request.method, request.url.path, failure, error)
            return json_response(database_unavailable(failure).body, 503, _RETRY)
        _log.exception("%s %s failed", request.method, request.url.path, exc_info=error)
        return json_response({"errors": {"server": ["internal error"]}}, 500)

    app = Litestar(
        route_handlers=handlers,
        lifespan=[lifespan],
        exception_handlers={Exception: on_error},
        request_max_body_size=options.max_body_bytes,
        openapi_config=None,
        debug=False,
    )
    return _at_the_edge(app)


def _http_exception(error: HTTPException) -> Response[bytes]:
    """What Litestar itself refuses, in RealWorld bodies: an unknown route or method is Hono's 404."""
    if error.status_code == 413:
        # The rest of the body is never read, so the connection cannot carry another request.
        return json_response({"errors": {"request": [messages.BODY_TOO_LARGE]}}, 413, {"Connection": "close"})
    if error.status_code in (404, 405):
        return json_response(not_found("route").body, 404)
    return json_response({"errors": {"request": [error.detail or "is invalid"]}}, error.status_code)


def _at_the_edge(app: ASGIApp) -> ASGIApp:
    """What Node's HTTP parser and Hono do before a route runs, done the same way here.

    A request line and headers past 16 KiB are a RealWorld 431. Routes are matched on the path
    with delimiters' escapes kept (a `%2F` in a slug stays in its segment), and a trailing slash
    matches no route, as in Hono.
    """

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raw_path = scope.get("raw_path") or scope["path"].encode()
            path = routing_path(raw_path)
            # Hono routes strictly: `/api/articles/` is no route (Litestar would serve `/api/articles`).
            if len(path) > 1 and path.endswith("/"):
                await _send_json(send, 404, not_found("route").body, close=False)
                return
            scope["path"] = path
            size = len(raw_path) + len(scope["query_string"]) + len(scope["method"]) + 12
            size += sum(len(name) + len(value) + 4 for name, value in scope["headers"])
            if size > MAX_HEADER_BYTES:
                await _send_json(send, 431, {"errors": {"request": ["headers are too large"]}})
                return
        await app(scope, receive, send)

    return guarded


async def _send_json(send: Send, status: int, body: object, *, close: bool = True) -> None:
    payload = msgspec.json.encode(body)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*headers, (b"connection", b"close")] if close else headers,
        }
    )
    await send({"type": "http.response.body", "body": payload, "more_body": False})
