"""Tortoise's connection from StoreConfig: the same pool settings as every app of the arena."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit, unquote

from arena_api.store import StoreConfig

MODELS_MODULE = "arena_tortoise.models"


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
                    # One pool of PG_POOL_MAX connections, opened lazily like the other apps' pools.
                    "minsize": 1,
                    "maxsize": config.pool_max,
                    "timeout": config.connection_timeout_ms / 1000,
                    "server_settings": {"statement_timeout": str(config.statement_timeout_ms)},
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
