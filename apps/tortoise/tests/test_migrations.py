"""Aerich's migrations with data: v1, rows, v2 (the backfill and the case-insensitive email rule),
the rollback to v1, and the migrate command's exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest_asyncio

from .conftest import SERVER_URL, _with_database  # pyright: ignore[reportPrivateUsage]

APP_DIR = Path(__file__).resolve().parents[1]


@pytest_asyncio.fixture(loop_scope="session")
async def empty_database() -> AsyncIterator[str]:
    name = f"arena_tortoise_migrations_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(SERVER_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(SERVER_URL, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def _columns(connection: asyncpg.Connection, table: str) -> set[str]:
    rows = await connection.fetch("SELECT column_name FROM information_schema.columns WHERE table_name = $1", table)
    return {row["column_name"] for row in rows}


async def _unique_rules_on_users(connection: asyncpg.Connection) -> set[str]:
    rows = await connection.fetch(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'users' AND indexdef LIKE 'CREATE UNIQUE%'"
    )
    return {row["indexname"] for row in rows}


async def test_v1_data_v2_backfill_and_rollback(empty_database: str) -> None:
    # Through the command, one process per step, as the testkit drives it: Aerich's Command keeps
    # class-level state and Tortoise's context, so a second Command in one process is not supported.
    _migrate("--to", "v1", database_url=empty_database)
    connection = await asyncpg.connect(empty_database)
    try:
        assert "body" in await _columns(connection, "articles")
        user_id = await connection.fetchval(
            "INSERT INTO users (email, username, password_hash) VALUES ('Ann@Example.com', 'ann', 'h') RETURNING id"
        )
        await connection.execute(
            "INSERT INTO articles (slug, title, description, body, author_id) VALUES"
            " ('long', 't', 'd', $1, $2), ('short', 't', 'd', 'one', $2), ('empty', 't', 'd', '', $2)",
            "word " * 401,
            user_id,
        )

        _migrate("--to", "v2", database_url=empty_database)
        columns = await _columns(connection, "articles")
        assert {"content", "reading_minutes"} <= columns and "body" not in columns
        minutes = dict(await connection.fetch("SELECT slug, reading_minutes FROM articles"))
        assert minutes == {"long": 3, "short": 1, "empty": 1}
        assert await connection.fetchval("SELECT content FROM articles WHERE slug = 'short'") == "one"
        assert _unique_rules_on_users_expected_v2(await _unique_rules_on_users(connection))
        try:
            await connection.execute(
                "INSERT INTO users (email, username, password_hash) VALUES ('ann@example.COM', 'ann2', 'h')"
            )
            raise AssertionError("an email differing only in case was accepted")
        except asyncpg.UniqueViolationError as error:
            assert error.constraint_name == "users_email_lower_key"

        _migrate("--rollback", "--to", "v1", database_url=empty_database)
        columns = await _columns(connection, "articles")
        assert "body" in columns and "reading_minutes" not in columns and "content" not in columns
        assert await connection.fetchval("SELECT body FROM articles WHERE slug = 'short'") == "one"
        assert await _unique_rules_on_users(connection) == {"users_pkey", "users_email_key", "users_username_key"}
        versions = await connection.fetch("SELECT version FROM aerich ORDER BY id")
        assert [row["version"].split("_")[0] for row in versions] == ["0"]

        _migrate(database_url=empty_database)
        assert "reading_minutes" in await _columns(connection, "articles")
    finally:
        await connection.close()


def _unique_rules_on_users_expected_v2(names: set[str]) -> bool:
    return names == {"users_pkey", "users_email_lower_key", "users_username_key"}


def _migrate(*args: str, database_url: str) -> None:
    result = _run_command(*args, database_url=database_url)
    assert result.returncode == 0, result.stderr


def _run_command(*args: str, database_url: str | None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "arena_tortoise.migrate", *args],
        cwd=APP_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_the_migrate_command_contract(empty_database: str) -> None:
    assert _run_command("--bogus", database_url=empty_database).returncode == 1
    assert _run_command("--to", "v3", database_url=empty_database).returncode == 1
    assert _run_command("--rollback", database_url=empty_database).returncode == 1
    assert _run_command(database_url=None).returncode == 1
    assert _run_command("--to", "v1", database_url=empty_database).returncode == 0
    assert _run_command(database_url=empty_database).returncode == 0
    assert _run_command("--rollback", "--to", "v1", database_url=empty_database).returncode == 0
    connection = await asyncpg.connect(empty_database)
    try:
        assert "body" in await _columns(connection, "articles")
    finally:
        await connection.close()
