"""How SQLAlchemy reports a database that cannot answer, for the shared layer's 503 recognition.

The shared layer reads the driver's SQLSTATEs and socket errors through the exception chain. What
SQLAlchemy adds: it wraps the driver's error in ``DBAPIError`` and keeps the DBAPI adapter's error
under ``orig`` (asyncpg's own exception is that error's ``__cause__``), and two failures of its own
carry no driver error at all: a pool wait past ``pool_timeout`` (``sqlalchemy.exc.TimeoutError``)
and an error SQLAlchemy judged a disconnect (``connection_invalidated``).
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import exc

DatabaseFailure = Literal["unavailable", "timeout"]

NESTED_ATTRIBUTES: tuple[str, ...] = ("orig",)
"""Where SQLAlchemy keeps the error it wrapped, besides ``__cause__``."""


def recognise(error: BaseException) -> DatabaseFailure | None:
    """What one link of the chain means in SQLAlchemy's own terms, or ``None`` when it says nothing."""
    if isinstance(error, exc.TimeoutError):
        # QueuePool: no connection became free within PG_CONNECTION_TIMEOUT_MS.
        return "unavailable"
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return "unavailable"
    return None
