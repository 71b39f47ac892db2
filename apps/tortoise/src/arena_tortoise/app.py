"""This app as the shared server loads it: its name, its store, and one database failure shape.

Tortoise wraps asyncpg's errors with the original as ``__cause__`` (or lets them through), which
the shared recognition already follows. What it does not recognise is asyncpg's
``InternalClientError: cannot switch to state N; another operation (2) is in progress``: when
PostgreSQL shuts down under load, a pooled connection whose server side is gone can be handed out
(or reset on release) before asyncpg has seen it close, and the next operation on it fails this way
instead of with a connection error. Seen in the outage test (1 request in ~150, each run), only
while the server was going away: it is the database being unavailable, not a bug of the request.
"""

from __future__ import annotations

import asyncpg
from arena_api.app_module import AppModule
from arena_api.database_errors import DatabaseErrorShape, DatabaseFailure

from arena_tortoise.store import create_store

NAME = "tortoise"


def _dying_connection(error: BaseException) -> DatabaseFailure | None:
    if isinstance(error, asyncpg.InternalClientError) and "another operation" in str(error):
        return "unavailable"
    return None


app = AppModule(name=NAME, create_store=create_store, database_errors=DatabaseErrorShape(recognise=_dying_connection))
