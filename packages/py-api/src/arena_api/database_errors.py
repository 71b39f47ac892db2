"""Recognises errors that mean "the database cannot answer right now" (packages/api/src/database-errors.ts).

The database is down, restarting, unreachable or out of connections, the pool waited past
PG_CONNECTION_TIMEOUT_MS for a connection, or a statement ran past `statement_timeout`: the API
answers 503 with a clear body instead of a 500. This module knows what every Python app shares:
asyncpg's exceptions (they carry PostgreSQL's SQLSTATE), socket errors and timeouts. ORMs wrap the
driver's error in their own types: each app describes that with a :class:`DatabaseErrorShape`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final, Literal

import asyncpg

DatabaseFailure = Literal["unavailable", "timeout"]

# SQLSTATEs of a lost or refused connection: class 08, shutdown and "cannot connect now" (57P0x), too many connections.
_UNAVAILABLE_SQLSTATES: Final = re.compile(r"08...|57P01|57P02|57P03|53300")
# 57014 query_canceled: what `statement_timeout` raises (asyncpg's QueryCanceledError).
_TIMEOUT_SQLSTATE: Final = "57014"
# Messages of asyncpg, its pool and PostgreSQL when the connection went away or never came.
_UNAVAILABLE_MESSAGES: Final = re.compile(
    "connection was closed|connection is closed|connection refused|terminating connection|"
    "server closed the connection|the database system is (starting up|shutting down)|"
    "pool is closing|pool is closed|cannot connect|connection does not exist",
    re.IGNORECASE,
)
_TIMEOUT_MESSAGES: Final = re.compile("canceling statement due to statement timeout", re.IGNORECASE)
_MAX_CHAIN: Final = 20


@dataclass(frozen=True, slots=True)
class DatabaseErrorShape:
    """How one ORM wraps and names database failures: the extension point of :func:`database_failure`."""

    nested_attributes: tuple[str, ...] = ()
    """Attributes under which the ORM keeps the error it wrapped, searched besides `__cause__` and `__context__`."""
    recognise: Callable[[BaseException], DatabaseFailure | None] | None = None
    """What one error of the chain means in the ORM's own terms, or `None` when it says nothing."""


def failure_of_sqlstate(code: object) -> DatabaseFailure | None:
    if not isinstance(code, str):
        return None
    if code == _TIMEOUT_SQLSTATE:
        return "timeout"
    return "unavailable" if _UNAVAILABLE_SQLSTATES.fullmatch(code) else None


def _failure_of_link(link: BaseException, shape: DatabaseErrorShape) -> DatabaseFailure | None:
    failure = failure_of_sqlstate(getattr(link, "sqlstate", None))
    if failure is None and shape.recognise is not None:
        failure = shape.recognise(link)
    if failure is not None:
        return failure
    message = str(link)
    if _TIMEOUT_MESSAGES.search(message):
        return "timeout"
    # Refused, reset or unreachable sockets, and the pool's acquire timeout (TimeoutError is an
    # OSError). asyncpg's InternalClientError ("another operation is in progress") is its protocol
    # out of step with the server, which is what a server ending the connection mid-statement
    # leaves behind.
    if isinstance(link, (OSError, asyncpg.InternalClientError)) or _UNAVAILABLE_MESSAGES.search(message):
        return "unavailable"
    return None


def database_failure(error: BaseException, shape: DatabaseErrorShape | None = None) -> DatabaseFailure | None:
    """What kind of database failure `error` is, or `None` (a bug: 500). A timeout anywhere in the chain wins."""
    unavailable = False
    for link in _chain(error, shape or DatabaseErrorShape()):
        failure = _failure_of_link(link, shape or DatabaseErrorShape())
        if failure == "timeout":
            return "timeout"
        unavailable = unavailable or failure == "unavailable"
    return "unavailable" if unavailable else None


def _chain(error: BaseException, shape: DatabaseErrorShape) -> Iterator[BaseException]:
    """The error and every error nested in it (causes, contexts, exception groups), each once."""
    seen: set[int] = set()
    queue: list[object] = [error]
    count = 0
    while queue and count < _MAX_CHAIN:
        item = queue.pop(0)
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        count += 1
        yield item
        queue.extend([item.__cause__, item.__context__])
        queue.extend(getattr(item, name, None) for name in shape.nested_attributes)
        if isinstance(item, BaseExceptionGroup):
            group: BaseExceptionGroup[BaseException] = item  # pyright: ignore[reportUnknownVariableType]
            queue.extend(group.exceptions)
