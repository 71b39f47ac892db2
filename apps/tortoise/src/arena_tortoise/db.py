"""Tortoise's connection from StoreConfig: the same pool settings as every app of the arena."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit, unquote

import asyncpg
from arena_api.store import StoreConfig

MODELS_MODULE = "arena_tortoise.models"


async def _roll_back_if_in_transaction(connection: asyncpg.Connection) -> None:
    """What a released connection needs, instead of asyncpg's default reset.

    Tortoise takes a connection from the pool for every statement outside a transaction and gives
    it back after it, and asyncpg's default reset on release (`SELECT pg_advisory_unlock_all();
    CLOSE ALL; UNLISTEN *; RESET ALL;`) is a round trip each time: one more per statement. The
    store changes no session state (no SET, LISTEN, advisory lock or cursor), so the only thing
    to undo is a transaction left open by a failed rollback. The Python baseline's pool skips the
    reset for the same reason; node-postgres's pool has none.
    """
    if connection.is_in_transaction():
        await connection.execute("ROLLBACK")  # pyright: ignore[reportUnknownMemberType]  (asyncpg is partly typed)


def tortoise_config(config: StoreConfig, *, with_aerich: bool = False) -> dict[str, Any]:
    """Tortoise's config dict: asyncpg backend, pool of PG_POOL_MAX, statement and connect timeouts.

    Credentials go in as separate keys rather than a db_url so that every asyncpg pool option
    (minsize, maxsize, timeout, server_settings) can be set: Tortoise's URL syntax has no
    server_settings.
    """
    url = urlsplit(config.database_url)
    models = [MODELS_MODULE, "aerich.models"] if with_aerich else [MODELS_MODULE]
    return {
        "connections": {
            "default": {
                "engine": "tortoise.backends.asyncpg",
                "credentials": {
                    "host": url.hostname or "127.0.0.1",
                    "port": url.port or 5432,
                    "user": unquote(url.username or "postgres"),
                    "password": unquote(url.password or ""),
                    "database": url.path.lstrip("/") or "postgres",
                    # One pool of PG_POOL_MAX connections, opened on demand like every app's pool.
                    "minsize": 0,
                    "maxsize": config.pool_max,
                    "timeout": config.connection_timeout_ms / 1000,
                    "server_settings": {"statement_timeout": str(config.statement_timeout_ms)},
                    # Passed through to asyncpg.create_pool, like every key Tortoise does not know.
                    "reset": _roll_back_if_in_transaction,
                },
            }
        },
        "apps": {"models": {"models": models, "default_connection": "default"}},
        # Timestamps as aware UTC datetimes, like the other apps' Date values.
        "use_tz": True,
        "timezone": "UTC",
    }


def _aerich_config() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    return tortoise_config(StoreConfig(database_url=url), with_aerich=True)


# What `aerich` reads ([tool.aerich] tortoise_orm in pyproject.toml).
TORTOISE_ORM = _aerich_config()
