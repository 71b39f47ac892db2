"""The asyncpg pool from the shared settings (PG_POOL_MAX, PG_STATEMENT_TIMEOUT_MS, PG_CONNECTION_TIMEOUT_MS).

The baseline has nothing between it and the pool, so the pool carries every limit itself:
`statement_timeout` is a startup parameter of each connection (PostgreSQL cancels any statement
past it), and waiting for a free or a new connection fails after the connection timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Final, TypeAlias

import asyncpg

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy
from arena_api.database_errors import database_failure
from arena_api.store import StoreConfig

# What the pool hands out: a proxy of asyncpg.Connection (typed by asyncpg-stubs, a string at run time).
Connection: TypeAlias = "PoolConnectionProxy[asyncpg.Record]"


# Errors after which a connection's protocol state is unknown; PostgreSQL's own errors about a
# statement (a unique violation, a cancelled statement) leave it ready for the next one.
_CONNECTION_BROKEN: Final = (OSError, asyncpg.InterfaceError, asyncpg.InternalClientError, asyncio.CancelledError)


class Database:
    def __init__(self, pool: "asyncpg.Pool[asyncpg.Record]", acquire_timeout_s: float) -> None:
        self._pool = pool
        self._acquire_timeout_s = acquire_timeout_s

    @asynccontextmanager
    async def connection(self) -> AsyncGenerator[Connection]:
        # asyncpg's own pool.fetch() waits for a connection forever: the timeout is set here.
        async with self._pool.acquire(timeout=self._acquire_timeout_s) as connection:
            try:
                yield connection
            except BaseException as error:
                # Lost or interrupted mid-operation (a socket error, or PostgreSQL's FATAL
                # "terminating connection"): with no reset query on release (see _keep_session),
                # nothing else would notice, and the next request would get a connection whose
                # protocol still waits for the old answer.
                if isinstance(error, _CONNECTION_BROKEN) or database_failure(error) == "unavailable":
                    connection.terminate()
                raise

    @asynccontextmanager
    async def transaction(self) -> AsyncGenerator[Connection]:
        """`work` in a transaction on one pooled connection, as apps/pg's `transaction()`.

        Written out rather than `async with connection.transaction()`: when the connection is
        lost mid-statement, asyncpg's own rollback fails with an InternalClientError that
        replaces the error saying why. A failed rollback is ignored here, so the caller gets
        the original error (a 503 when the database went away).
        """
        async with self.connection() as connection:
            transaction = connection.transaction()
            await transaction.start()
            try:
                yield connection
            except BaseException:
                with contextlib.suppress(Exception):
                    await transaction.rollback()
                raise
            await transaction.commit()

    async def close(self) -> None:
        await self._pool.close()


async def _keep_session(_: "asyncpg.Connection[asyncpg.Record]") -> None:
    """Released connections are not reset: the store never changes session state (no SET, LISTEN,
    advisory lock or cursor outside a transaction), so asyncpg's default reset (`RESET ALL`,
    `UNLISTEN *`, ... on every release) would be a round trip per request for nothing.
    node-postgres's pool does not reset connections either."""


async def create_database(config: StoreConfig) -> Database:
    pool: "asyncpg.Pool[asyncpg.Record]" = await asyncpg.create_pool(
        config.database_url,
        # Connections open on demand, as node-postgres's pool opens them, up to the shared maximum.
        min_size=0,
        max_size=config.pool_max,
        timeout=config.connection_timeout_ms / 1000,
        server_settings={"statement_timeout": str(config.statement_timeout_ms)},
        reset=_keep_session,
    )
    return Database(pool, config.connection_timeout_ms / 1000)
