"""Alembic's migrations through the migrate command: v1 → v2 with data, down to v1 and up again."""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# (asyncpg, used directly for the database set-up and checks, ships no type information)

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import asyncpg

from .conftest import run_migrate

TEXTS = {n: " ".join(["word"] * n) for n in (0, 199, 200, 201, 400, 401)}


async def columns(connection: asyncpg.Connection, table: str) -> list[str]:
    rows = await connection.fetch(
        "SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position", table
    )
    return [row["column_name"] for row in rows]


async def test_upgrade_backfills_and_downgrade_restores(empty_database: str) -> None:
    assert await run_migrate(empty_database, "--to", "v1") == 0
    connection = await asyncpg.connect(empty_database)
    try:
        assert "body" in await columns(connection, "articles")
        author = await connection.fetchval(
            "INSERT INTO users (email, username, password_hash) VALUES ('Case@Example.com', 'm', 'h') RETURNING id"
        )
        for n, text in TEXTS.items():
            await connection.execute(
                "INSERT INTO articles (slug, title, description, body, author_id) VALUES ($1, 't', 'd', $2, $3)",
                f"s{n}",
                text + "\tend\n" if n else "",
                author,
            )

        assert await run_migrate(empty_database, "--to", "v2") == 0
        rows = await connection.fetch("SELECT slug, content, reading_minutes FROM articles")
        minutes = {row["slug"]: row["reading_minutes"] for row in rows}
        # "end" is one more word: 199+1 → 1, 200+1 → 2, 400+1 → 3, 401+1 → 3; an empty text is 1.
        assert minutes == {"s0": 1, "s199": 1, "s200": 2, "s201": 2, "s400": 3, "s401": 3}
        assert {row["slug"]: row["content"] for row in rows}["s200"] == TEXTS[200] + "\tend\n"
        indexes = await connection.fetchval("SELECT indexdef FROM pg_indexes WHERE indexname = 'users_email_lower_key'")
        assert indexes == "CREATE UNIQUE INDEX users_email_lower_key ON public.users USING btree (lower(email))"

        assert await run_migrate(empty_database, "--rollback", "--to", "v1") == 0
        assert await columns(connection, "articles") == [
            "id", "slug", "title", "description", "body", "author_id", "created_at", "updated_at"
        ]
        restored = await connection.fetchval("SELECT body FROM articles WHERE slug = 's401'")
        assert restored == TEXTS[401] + "\tend\n"
        assert await connection.fetchval("SELECT count(*) FROM pg_constraint WHERE conname = 'users_email_key'") == 1

        assert await run_migrate(empty_database) == 0
        assert await connection.fetchval("SELECT version_num FROM alembic_version") == "0002"
    finally:
        await connection.close()


async def test_bad_arguments_exit_1(empty_database: str) -> None:
    assert await run_migrate(empty_database, "--to", "v3") == 1
    assert await run_migrate(empty_database, "--rollback") == 1
    assert await run_migrate(empty_database, "--unknown") == 1
    assert await run_migrate("postgres://postgres@127.0.0.1:1/nothing") == 1


async def test_models_and_migrations_agree(empty_database: str) -> None:
    """`alembic check` on a database at head: autogenerate finds nothing left to migrate."""
    assert await run_migrate(empty_database) == 0
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "alembic",
        "check",
        cwd=Path(__file__).resolve().parents[1],
        env={**os.environ, "DATABASE_URL": empty_database},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode == 0, output.decode()
    assert "No new upgrade operations detected" in output.decode()
