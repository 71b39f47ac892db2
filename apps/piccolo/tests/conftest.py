"""A fresh, migrated database per test session on a real PostgreSQL (never a mock).

The server is ``DATABASE_URL``'s (default: the local postgres://postgres@127.0.0.1:5432); the
database gets a unique name, is migrated with this app's migrate command, and is dropped after.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from arena_api.store import ConduitStore, StoreConfig
from arena_piccolo.store import create_store

APP_FOLDER = Path(__file__).resolve().parent.parent
SERVER_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def database_url(name: str) -> str:
    parts = urlsplit(SERVER_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def run_migrate(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "arena_piccolo.migrate", *args],
        cwd=APP_FOLDER,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )


async def admin_sql(sql: str) -> None:
    connection = await asyncpg.connect(database_url("postgres"))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@contextmanager
def new_database(prefix: str) -> Generator[str, None, None]:
    """A database with a unique name on the server, dropped afterwards; yields its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    asyncio.run(admin_sql(f"CREATE DATABASE {name}"))
    try:
        yield database_url(name)
    finally:
        asyncio.run(admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture(scope="session")
def fresh_database() -> Iterator[str]:
    with new_database("piccolo_test") as url:
        yield url


@pytest.fixture(scope="session")
def migrated_url(fresh_database: str) -> str:
    result = run_migrate(fresh_database)
    assert result.returncode == 0, result.stderr
    return fresh_database


@pytest.fixture(scope="session")
async def store(migrated_url: str) -> AsyncIterator[ConduitStore]:
    conduit = await create_store(StoreConfig(database_url=migrated_url))
    yield conduit
    await conduit.close()
