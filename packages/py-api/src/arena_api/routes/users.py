"""/users, /users/login and /user (packages/api/src/routes/users.ts)."""

from __future__ import annotations

from litestar import Response, get, post, put
from litestar.handlers import HTTPRouteHandler

from arena_api.errors import invalid_credentials, invalid_token, taken
from arena_api.http import json_response
from arena_api.password import hash_password, hash_password_sync, verify_password
from arena_api.presenters import present_user
from arena_api.routes.context import AnyRequest, RouteDeps, require_viewer
from arena_api.store import UNSET, ConflictError, NewUserRecord, UserChanges
from arena_api.validation import login_input, new_user_input, update_user_input

# Compared against when the email is unknown, so a failed login costs the same either way.
_UNKNOWN_USER_HASH = hash_password_sync("no user has this password")


def user_routes(deps: RouteDeps) -> list[HTTPRouteHandler]:
    @post("/users")
    async def register(request: AnyRequest) -> Response[bytes]:
        user = new_user_input(await request.body())
        password_hash = await hash_password(user.password, deps.password_cost)
        try:
            created = await deps.store.create_user(
                NewUserRecord(username=user.username, email=user.email, password_hash=password_hash)
            )
        except ConflictError as conflict:
            raise taken(conflict.field) from conflict
        return json_response({"user": present_user(created, deps.tokens.issue(created.id))}, 201)

    @post("/users/login")
    async def login(request: AnyRequest) -> Response[bytes]:
        user = login_input(await request.body())
        found = await deps.store.find_credentials_by_email(user.email)
        matches = await verify_password(user.password, found.password_hash if found else _UNKNOWN_USER_HASH)
        if found is None or not matches:
            raise invalid_credentials()
        return json_response({"user": present_user(found, deps.tokens.issue(found.id))})

    @get("/user")
    async def current(request: AnyRequest) -> Response[bytes]:
        # Loaded when the token was checked: no second lookup.
        viewer = await require_viewer(deps, request)
        return json_response({"user": present_user(viewer.user, deps.tokens.issue(viewer.id))})

    @put("/user")
    async def update(request: AnyRequest) -> Response[bytes]:
        viewer = await require_viewer(deps, request)
        user = update_user_input(await request.body())
        password = user.password
        password_hash = await hash_password(password, deps.password_cost) if isinstance(password, str) else UNSET
        # An empty string clears bio or image, like null does.
        changes = UserChanges(
            email=user.email,
            username=user.username,
            password_hash=password_hash,
            bio=None if user.bio == "" else user.bio,
            image=None if user.image == "" else user.image,
        )
        try:
            updated = await deps.store.update_user(viewer.id, changes)
        except ConflictError as conflict:
            raise taken(conflict.field) from conflict
        if updated is None:
            raise invalid_token()
        return json_response({"user": present_user(updated, deps.tokens.issue(updated.id))})

    return [register, login, current, update]
