"""The migrate command (docs/architecture.md) with Alembic: ``python -m arena_sqlalchemy.migrate``.

Migrates the database of ``DATABASE_URL``: no arguments or ``--to v2`` upgrades to the last
revision, ``--to v1`` to the last revision of schema v1, ``--rollback --to v1`` runs Alembic's
downgrades back to it; the shared layer's ``run_migrate_command`` reads the arguments and owns the
exit codes. Alembic's commands are synchronous: they run on one async connection through
``run_sync``, the connection-sharing recipe of Alembic's cookbook (``migrations/env.py`` uses the
connection it is handed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from alembic import command
from alembic.config import Config
from arena_api.app_module import SchemaVersion
from arena_api.migrate_command import run_migrate_command
from sqlalchemy import Connection, pool
from sqlalchemy.ext.asyncio import create_async_engine

from arena_sqlalchemy.db import async_url

# The last Alembic revision of each schema version (migrations/versions/).
REVISIONS: Final[dict[SchemaVersion, str]] = {"v1": "0001", "v2": "0002"}

ALEMBIC_INI: Final = Path(__file__).resolve().parents[2] / "alembic.ini"


def _upgrade(connection: Connection, revision: str) -> None:
    config = Config(str(ALEMBIC_INI))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _downgrade(connection: Connection, revision: str) -> None:
    config = Config(str(ALEMBIC_INI))
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


async def migrate(database_url: str, to: SchemaVersion | None = None) -> None:
    engine = create_async_engine(async_url(database_url), poolclass=pool.NullPool)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade, REVISIONS[to or "v2"])
    finally:
        await engine.dispose()


async def rollback(database_url: str, to: SchemaVersion) -> None:
    engine = create_async_engine(async_url(database_url), poolclass=pool.NullPool)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_downgrade, REVISIONS[to])
    finally:
        await engine.dispose()


if __name__ == "__main__":
    run_migrate_command(migrate, rollback)
