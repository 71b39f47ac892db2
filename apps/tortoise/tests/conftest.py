"""A fresh database per test session, migrated to v2 by the app's own migrate command, on the
PostgreSQL of TORTOISE_TEST_DATABASE_URL (default: the machine's local server)."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
import pytest_asyncio
from arena_api.store import ConduitStore, StoreConfig

from arena_tortoise.migrate import migrate
from arena_tortoise.store import create_store

SERVER_URL = os.environ.get("TORTOISE_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def database_url() -> AsyncIterator[str]:
    name = f"arena_tortoise_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(SERVER_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = _with_database(SERVER_URL, name)
        await migrate(url, "v2")
        yield url
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def store(database_url: str) -> AsyncIterator[ConduitStore]:
    created = await create_store(StoreConfig(database_url=database_url, pool_max=4))
    yield created
    await created.close()


class StatementLog(logging.Handler):
    """The SQL statements Tortoise sends, from its debug logger (tortoise.db_client)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")):
            self.statements.append(message)


@pytest.fixture
def statements() -> Iterator[StatementLog]:
    logger = logging.getLogger("tortoise.db_client")
    handler = StatementLog()
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
