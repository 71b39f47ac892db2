"""Applies the TypeScript baseline's SQL migrations (apps/pg/migrations) with a small runner of its own.

Both baselines run the very same files, so their schemas are equal at v1 and v2 by construction.

Each file holds `-- Up Migration` and `-- Down Migration` sections, as node-pg-migrate writes
them. The runner applies each file's up section in its own transaction and records it in
`asyncpg_migrations`; rolling back runs the down sections of later files in reverse order. An
advisory lock keeps two runners from migrating one database at once.

`python -m arena_asyncpg.migrate [--to v1|v2] [--rollback --to v1|v2]` is the migrate command of
docs/architecture.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import asyncpg
from arena_api.app_module import SchemaVersion
from arena_api.migrate_command import run_migrate_command

MIGRATIONS_DIR: Final = Path(__file__).resolve().parents[3] / "pg" / "migrations"
HISTORY_TABLE: Final = "asyncpg_migrations"
# The last migration of each schema version (its file name without `.sql`).
LAST_MIGRATION: Final[dict[SchemaVersion, str]] = {
    "v1": "1732406400000_canonical-schema",
    "v2": "1764028800000_v2-content-reading-minutes-email-lower",
}
# Any fixed number: the advisory lock only has to be the same for every runner of this app.
_LOCK_KEY: Final = 21_000_001
_SECTIONS: Final = re.compile(r"^-- Up Migration\s*$(?P<up>.*?)^-- Down Migration\s*$(?P<down>.*)\Z", re.M | re.S)


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    up: str
    down: str


def load_migrations() -> list[Migration]:
    migrations: list[Migration] = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _SECTIONS.match(path.read_text(encoding="utf-8"))
        if match is None:
            raise ValueError(f"{path.name}: expected an `-- Up Migration` and a `-- Down Migration` section")
        migrations.append(Migration(name=path.stem, up=match.group("up"), down=match.group("down")))
    return migrations


async def _applied(connection: asyncpg.Connection) -> list[str]:
    await connection.execute(
        f"CREATE TABLE IF NOT EXISTS {HISTORY_TABLE} (name text PRIMARY KEY, run_on timestamptz NOT NULL DEFAULT now())"
    )
    rows = await connection.fetch(f"SELECT name FROM {HISTORY_TABLE} ORDER BY name")
    return [row["name"] for row in rows]


async def migrate(database_url: str, to: SchemaVersion | None = None) -> None:
    """Applies every migration not applied yet, up to and including the last one of `to` (all without it)."""
    last = LAST_MIGRATION[to or "v2"]
    connection = await asyncpg.connect(database_url)
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
        applied = set(await _applied(connection))
        for migration in load_migrations():
            if migration.name > last:
                break
            if migration.name in applied:
                continue
            async with connection.transaction():
                await connection.execute(migration.up)
                await connection.execute(f"INSERT INTO {HISTORY_TABLE} (name) VALUES ($1)", migration.name)
    finally:
        await connection.close()


async def rollback(database_url: str, to: SchemaVersion) -> None:
    """Runs the down section of every applied migration after the last one of `to`, newest first."""
    last = LAST_MIGRATION[to]
    connection = await asyncpg.connect(database_url)
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
        applied = set(await _applied(connection))
        for migration in reversed(load_migrations()):
            if migration.name <= last or migration.name not in applied:
                continue
            async with connection.transaction():
                await connection.execute(migration.down)
                await connection.execute(f"DELETE FROM {HISTORY_TABLE} WHERE name = $1", migration.name)
    finally:
        await connection.close()


if __name__ == "__main__":
    run_migrate_command(migrate, rollback)
