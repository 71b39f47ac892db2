"""SQLAlchemy's async engine over asyncpg, with the pool settings every app shares."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from arena_api.store import StoreConfig


def async_url(database_url: str) -> URL:
    """``postgres://...`` as every app is given it, on SQLAlchemy's asyncpg dialect."""
    url = make_url(database_url)
    return url.set(drivername="postgresql+asyncpg")


def create_engine(config: StoreConfig) -> AsyncEngine:
    """One pool of exactly ``PG_POOL_MAX`` connections (no overflow), as every app has.

    ``pool_timeout`` is the longest wait for a pooled connection and asyncpg's ``timeout`` the
    longest wait to open one (both PG_CONNECTION_TIMEOUT_MS); ``statement_timeout`` is set per
    connection through asyncpg's ``server_settings``, so PostgreSQL cancels a longer statement.
    asyncpg prepares every statement and keeps the last 100 per connection
    (``prepared_statement_cache_size``, SQLAlchemy's default, left on).
    """
    timeout_s = config.connection_timeout_ms / 1000
    return create_async_engine(
        async_url(config.database_url),
        pool_size=config.pool_max,
        max_overflow=0,
        pool_timeout=timeout_s,
        # No ping per checkout (a round trip per request): a connection PostgreSQL closed fails its
        # request (503), and SQLAlchemy then invalidates every connection of the pool older than it.
        pool_pre_ping=False,
        connect_args={
            "timeout": timeout_s,
            "server_settings": {"statement_timeout": str(config.statement_timeout_ms)},
        },
    )
