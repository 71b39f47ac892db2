"""A fresh, migrated PostgreSQL database per test module: real PostgreSQL, never a mock.

The server is the one of DATABASE_URL (default: the local postgres://postgres@127.0.0.1:5432);
each database gets a unique name and is dropped afterwards.
"""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# (asyncpg, used directly for the database set-up and checks, ships no type information)

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from arena_api.store import StoreConfig
from arena_sqlalchemy.store import SqlAlchemyStore, create_store

SERVER_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def database_url(name: str) -> str:
    return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)


async def create_database() -> str:
    name = f"arena_sqlalchemy_test_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(database_url("postgres"))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return name


async def drop_database(name: str) -> None:
    connection = await asyncpg.connect(database_url("postgres"))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def run_migrate(url: str, *args: str) -> int:
    """The migrate command as the testkit runs it: a process, with DATABASE_URL; its exit code."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "arena_sqlalchemy.migrate",
        *args,
        env={**os.environ, "DATABASE_URL": url},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    return await process.wait()


@pytest.fixture
async def empty_database() -> AsyncIterator[str]:
    name = await create_database()
    try:
        yield database_url(name)
    finally:
        await drop_database(name)


@pytest.fixture(scope="module")
async def migrated_url() -> AsyncIterator[str]:
    name = await create_database()
    url = database_url(name)
    try:
        assert await run_migrate(url) == 0
        yield url
    finally:
        await drop_database(name)


@pytest.fixture(scope="module")
async def store(migrated_url: str) -> AsyncIterator[SqlAlchemyStore]:
    created = await create_store(StoreConfig(database_url=migrated_url, pool_max=4))
    assert isinstance(created, SqlAlchemyStore)
    try:
        yield created
    finally:
        await created.close()


@pytest.fixture
def unique() -> Iterator[str]:
    """A suffix unique to the test, so tests sharing a database never collide."""
    yield uuid.uuid4().hex[:10]
