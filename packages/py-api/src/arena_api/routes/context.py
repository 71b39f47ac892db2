"""What every route module needs (packages/api/src/routes/context.ts), and the auth step of signed-in routes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar import Request

from arena_api.auth import TokenService, token_of
from arena_api.errors import invalid_token, missing_token
from arena_api.store import ConduitStore, UserRecord

AnyRequest = Request[Any, Any, Any]


@dataclass(slots=True)
class RouteDeps:
    tokens: TokenService
    password_cost: int
    _store: ConduitStore | None = field(default=None)

    @property
    def store(self) -> ConduitStore:
        """The store, opened when the app started (its lifespan)."""
        if self._store is None:
            raise RuntimeError("the store is used before the app started")
        return self._store


@dataclass(frozen=True, slots=True)
class Viewer:
    id: int
    user: UserRecord


async def authenticate(deps: RouteDeps, request: AnyRequest, required: bool) -> Viewer | None:
    """Reads `Authorization: Token <jwt>` (`Bearer` too), as packages/api/src/auth.ts does.

    Without a token: 401 "is missing" when required, else anonymous. A token that is present but
    bad is always a 401 "is invalid". The user is loaded on every signed-in request (one
    primary-key lookup, as in every app), so a deleted user's token is a 401 everywhere.
    """
    header = request.headers.get("authorization")
    if not header:
        if required:
            raise missing_token()
        return None
    token = token_of(header)
    user_id = deps.tokens.verify(token) if token else None
    user = None if user_id is None else await deps.store.find_user_by_id(user_id)
    if user is None:
        raise invalid_token()
    return Viewer(id=user.id, user=user)


async def require_viewer(deps: RouteDeps, request: AnyRequest) -> Viewer:
    viewer = await authenticate(deps, request, True)
    if viewer is None:
        raise missing_token()
    return viewer


async def optional_viewer_id(deps: RouteDeps, request: AnyRequest) -> int | None:
    viewer = await authenticate(deps, request, False)
    return None if viewer is None else viewer.id
