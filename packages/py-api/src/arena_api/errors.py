"""RealWorld error responses (packages/api/src/errors.ts): `{"errors": {"<key>": ["<message>"]}}` with a status."""

from __future__ import annotations

from typing import Literal

from arena_api import messages


class ApiError(Exception):
    """An answer the API gives on purpose: a status and RealWorld errors keyed by field."""

    def __init__(self, status: int, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{key} {', '.join(values)}" for key, values in errors.items()))
        self.status = status
        self.errors = errors

    @property
    def body(self) -> dict[str, dict[str, list[str]]]:
        return {"errors": self.errors}


def _single(status: int, key: str, message: str) -> ApiError:
    return ApiError(status, {key: [message]})


def missing_token() -> ApiError:
    return _single(401, "token", messages.MISSING_TOKEN)


def invalid_token() -> ApiError:
    return _single(401, "token", messages.INVALID_TOKEN)


def invalid_credentials() -> ApiError:
    return _single(401, "credentials", messages.INVALID_CREDENTIALS)


def forbidden(resource: Literal["article", "comment"]) -> ApiError:
    return _single(403, resource, messages.FORBIDDEN)


def not_found(resource: Literal["article", "profile", "comment", "route", "user"]) -> ApiError:
    return _single(404, resource, messages.NOT_FOUND)


def taken(field: str) -> ApiError:
    return _single(409, field, messages.TAKEN)


def invalid_json() -> ApiError:
    return _single(422, "request", messages.INVALID_JSON)


def invalid(errors: dict[str, list[str]]) -> ApiError:
    return ApiError(422, errors)


def database_unavailable(failure: Literal["unavailable", "timeout"]) -> ApiError:
    """503 while the database cannot answer: down or unreachable, or a statement ran past its timeout."""
    message = messages.DATABASE_TIMEOUT if failure == "timeout" else messages.DATABASE_UNAVAILABLE
    return _single(503, "database", message)
