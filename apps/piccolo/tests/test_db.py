# pyright: reportPrivateUsage=false
# (The tests rebind a table to an engine of their own and back, through Piccolo's metadata at _meta.)
"""The engine's pool over a real PostgreSQL: bounded waits, and no connection lost to a failure."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from arena_api.store import StoreConfig
from arena_piccolo.db import ConduitEngine, connect
from arena_piccolo.tables import Tag


@pytest.fixture
async def engine(migrated_url: str):
    bound = Tag._meta._db  # tables are bound to one engine at a time: give Tag back after
    engine = await connect(StoreConfig(database_url=migrated_url, pool_max=2, connection_timeout_ms=2000), [Tag])
    yield engine
    await engine.close_connection_pool()
    Tag._meta._db = bound


async def _transaction_whose_connection_dies(engine: ConduitEngine, url: str) -> None:
    async with engine.transaction():
        pid = (await Tag.raw("SELECT pg_backend_pid() AS pid"))[0]["pid"]
        killer = await asyncpg.connect(url)
        await killer.execute("SELECT pg_terminate_backend($1)", pid)
        await killer.close()
        await Tag.select(Tag.id).limit(1)


async def test_a_connection_lost_in_a_transaction_goes_back_to_the_pool(engine: ConduitEngine, migrated_url: str) -> None:
    # Each in a task of its own, as each request is. Twice as many failures as the pool holds:
    # with Piccolo's own transaction exit each one kept its connection and the last query waited
    # for the pool until the timeout.
    for _ in range(4):
        with pytest.raises((asyncpg.PostgresError, asyncpg.InterfaceError, ConnectionError)):
            await asyncio.create_task(_transaction_whose_connection_dies(engine, migrated_url))
    assert await asyncio.create_task(Tag.select(Tag.id).limit(1).run()) is not None


async def test_waiting_for_a_pooled_connection_is_bounded(engine: ConduitEngine) -> None:
    holders = [await engine.pool.acquire() for _ in range(2)]  # type: ignore[union-attr]
    try:
        with pytest.raises(asyncio.TimeoutError):
            await Tag.select(Tag.id).limit(1)
    finally:
        for connection in holders:
            await engine.pool.release(connection)  # type: ignore[union-attr]


async def test_statements_past_the_timeout_are_cancelled(migrated_url: str) -> None:
    bound = Tag._meta._db
    engine = await connect(StoreConfig(database_url=migrated_url, statement_timeout_ms=100), [Tag])
    try:
        with pytest.raises(asyncpg.QueryCanceledError):
            await Tag.raw("SELECT pg_sleep(1)")
    finally:
        await engine.close_connection_pool()
        Tag._meta._db = bound


async def test_a_released_connection_is_not_reset_by_a_query(engine: ConduitEngine) -> None:
    """One round trip per statement: nothing is sent when a connection goes back to the pool.

    Observed through a session setting, which asyncpg's default reset (RESET ALL) would undo.
    """
    assert engine.pool is not None
    async with engine.pool.acquire() as connection:
        await connection.execute("SET application_name = 'kept'")
        pid = await connection.fetchval("SELECT pg_backend_pid()")
    async with engine.pool.acquire() as connection:
        assert await connection.fetchval("SELECT pg_backend_pid()") == pid
        assert await connection.fetchval("SHOW application_name") == "kept"
        await connection.execute("RESET application_name")


async def test_a_connection_found_broken_is_terminated_and_reported_as_unavailable(engine: ConduitEngine) -> None:
    """asyncpg's InternalClientError on a connection the server dropped (a race, see
    BrokenConnectionError) becomes a ConnectionResetError, and the connection leaves the pool."""
    from asyncpg.exceptions import InternalClientError

    from arena_piccolo.db import BrokenConnectionError, _use

    assert engine.pool is not None
    async with engine.pool.acquire() as connection:
        broken_pid = connection.get_server_pid()

        async def stuck() -> None:
            raise InternalClientError("cannot switch to state 12; another operation (2) is in progress")

        with pytest.raises(BrokenConnectionError) as raised:
            await _use(connection, stuck)
        assert isinstance(raised.value, ConnectionResetError)
    async with engine.pool.acquire() as connection:
        assert connection.get_server_pid() != broken_pid
