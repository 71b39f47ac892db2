"""Piccolo's asyncpg engine over the shared pool settings (StoreConfig), bound to the app's tables.

``start_connection_pool`` hands its keyword arguments to ``asyncpg.create_pool``: ``max_size`` is
PG_POOL_MAX, ``timeout`` (seconds to establish a connection) is PG_CONNECTION_TIMEOUT_MS, and
``statement_timeout`` is a startup parameter (``server_settings``), so PostgreSQL cancels any
longer statement. Four things are added to what Piccolo's engine does (a small subclass and
asyncpg's pool hook):

- Waiting for a pooled connection: Piccolo calls ``pool.acquire()`` with no timeout, so a
  saturated pool would make a request wait forever; here the wait is bounded by
  PG_CONNECTION_TIMEOUT_MS too, as the node-postgres pool of the TypeScript apps bounds it.
- asyncpg's reset query on every release (``reset=_keep_session`` below): one more round trip per
  Piccolo query, for session state this app never creates.
- A pooled connection the server already dropped (see ``BrokenConnectionError``), and a BEGIN
  that fails: Piccolo's transaction kept the connection it had acquired.
- A connection lost inside a transaction: Piccolo's ``PostgresTransaction.__aexit__`` rolls back
  and only then releases the connection, so a failing ROLLBACK (the server is gone) skipped the
  release and leaked one pooled connection per failed transaction. Here the release always runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from arena_api.store import StoreConfig
from asyncpg.exceptions import InternalClientError
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
from piccolo.table import Table


class BrokenConnectionError(ConnectionResetError):
    """A pooled connection that the server had already dropped, found broken when used.

    When PostgreSQL shuts down it sends every idle connection a FATAL error, then closes it; a
    connection handed out of the pool between the two is not closed yet, but asyncpg's protocol
    is stuck consuming that error, and the next statement fails with ``InternalClientError:
    cannot switch to state 12; another operation (2) is in progress`` (measured: 7 of ~2,500
    writes across 5 fast shutdowns, each a 500). Nothing was sent, so it is the database being
    unavailable: a ``ConnectionResetError`` (an ``OSError``, which the shared layer answers 503),
    and the connection is terminated so the pool opens a new one.
    """


async def _use(connection: Any, work: Callable[[], Awaitable[Any]]) -> Any:
    try:
        return await work()
    except InternalClientError as error:
        connection.terminate()
        raise BrokenConnectionError(str(error)) from error


class ConduitTransaction(PostgresTransaction):
    engine: ConduitEngine

    async def get_connection(self) -> Any:
        if self.engine.pool:
            return await self.engine.pool.acquire(timeout=self.engine.acquire_timeout)
        return await self.engine.get_new_connection()

    async def begin(self) -> None:
        # Piccolo's __aenter__ acquires, then begins: a failing BEGIN never released the connection.
        try:
            await _use(self.connection, super().begin)
        except BaseException:
            await self._give_back()
            raise

    async def commit(self) -> None:
        await _use(self.connection, super().commit)

    async def rollback(self) -> None:
        await _use(self.connection, super().rollback)

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        finally:
            await self._give_back()
            self.engine.current_transaction.reset(self.context)
        return exception is None

    async def _give_back(self) -> None:
        # From the pool when there is one (a PoolConnectionProxy), else a connection of its own.
        connection: Any = self.connection
        if self.engine.pool:
            await self.engine.pool.release(connection)
        else:
            await connection.close()


class ConduitEngine(PostgresEngine):
    """Piccolo's PostgresEngine with a bounded pool wait and a leak-free transaction exit."""

    __slots__ = ("acquire_timeout",)

    def __init__(self, config: dict[str, Any], acquire_timeout: float) -> None:
        # extensions=(): Piccolo would otherwise try CREATE EXTENSION at start-up.
        super().__init__(config=config, extensions=())
        self.acquire_timeout = acquire_timeout

    async def _run_in_pool(self, query: str, args: Sequence[Any] | None = None) -> Any:
        if not self.pool:
            raise ValueError("A pool isn't currently running.")
        async with self.pool.acquire(timeout=self.acquire_timeout) as connection:
            return await _use(connection, lambda: connection.fetch(query, *(args or [])))

    def transaction(self, allow_nested: bool = True) -> ConduitTransaction:
        return ConduitTransaction(engine=self, allow_nested=allow_nested)


async def _keep_session(connection: Any) -> None:
    """asyncpg's pool ``reset`` hook, without the reset query.

    By default asyncpg's pool sends ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *;
    RESET ALL;`` each time a connection goes back, and Piccolo takes a connection per query: a
    second round trip (four more statements in pg_stat_statements) for every statement. This app
    takes no advisory lock, opens no cursor, listens to nothing and sets nothing per session
    (statement_timeout is a startup parameter), so there is nothing to reset; an open transaction
    is still rolled back by asyncpg before this hook runs.
    """


async def connect(config: StoreConfig, tables: Sequence[type[Table]]) -> ConduitEngine:
    """An engine for ``config``, its pool open (so the server fails fast), bound to ``tables``."""
    seconds = config.connection_timeout_ms / 1000
    connection_settings = {
        "dsn": config.database_url,
        "timeout": seconds,
        "server_settings": {"statement_timeout": str(config.statement_timeout_ms)},
    }
    engine = ConduitEngine(config=connection_settings, acquire_timeout=seconds)
    await engine.start_connection_pool(min_size=0, max_size=config.pool_max, reset=_keep_session)
    # Tables otherwise find their engine through piccolo_conf.py (engine_finder); the server's
    # engine is the one built from its own settings.
    for table in tables:
        table._meta.db = engine  # pyright: ignore[reportPrivateUsage]: Piccolo's metadata lives at _meta
    return engine
