"""The migrate command (docs/architecture.md) with Piccolo's own migration tool.

    python -m arena_piccolo.migrate                  # every migration
    python -m arena_piccolo.migrate --to v1          # up to the last migration of schema v1
    python -m arena_piccolo.migrate --rollback --to v1

Runs in this app's folder (where the manifest runs it), so Piccolo finds ``piccolo_conf.py``, whose
engine reads ``DATABASE_URL``. Forwards and backwards are Piccolo's ``run_forwards`` and
``run_backwards``, what ``piccolo migrations forwards|backwards conduit`` run, here inside one
transaction so that a version of two migrations never stops half-way (``piccolo migrations
forwards`` commits each migration on its own). The command line and its exit codes are the shared
layer's (``run_migrate_command``): 0 done, 1 on a failure or an unknown argument.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Final

from arena_api.app_module import SchemaVersion
from arena_api.migrate_command import run_migrate_command

if TYPE_CHECKING:
    from piccolo.apps.migrations.commands.base import MigrationResult

APP_NAME: Final = "conduit"

# The last migration of each schema version (piccolo_migrations/): the generated one and its hand
# fix, for v1 and for v2.
LAST_MIGRATION_OF: Final[dict[SchemaVersion, str]] = {
    "v1": "2026-12-03T13:23:02:694700",
    "v2": "2026-12-03T13:23:54:263834",
}


class MigrationFailed(Exception):
    pass


async def _in_one_transaction(database_url: str, work: Callable[[], Awaitable[MigrationResult]]) -> None:
    """Runs Piccolo's migrations in one transaction: each migration's own transaction nests in it
    (Piccolo's transactions join an open one), so a schema version made of two migrations (the
    generated one and its hand fix) is applied, or rolled back, whole or not at all."""
    # piccolo_conf.py builds its engine from DATABASE_URL when Piccolo first asks for it.
    os.environ["DATABASE_URL"] = database_url
    from piccolo.engine import engine_finder

    engine = engine_finder()
    if engine is None:
        raise MigrationFailed("no engine in piccolo_conf.py")
    async with engine.transaction():
        result = await work()
        if not result.success:
            raise MigrationFailed(result.message or "failed")


async def migrate(database_url: str, to: SchemaVersion | None = None) -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    target = LAST_MIGRATION_OF[to] if to else "all"
    await _in_one_transaction(database_url, lambda: run_forwards(APP_NAME, migration_id=target))


async def rollback(database_url: str, to: SchemaVersion) -> None:
    from piccolo.apps.migrations.commands.backwards import run_backwards
    from piccolo.apps.migrations.tables import Migration

    os.environ["DATABASE_URL"] = database_url
    last = LAST_MIGRATION_OF[to]
    ran = await Migration.get_migrations_which_ran(app_name=APP_NAME)
    later = [migration_id for migration_id in ran if migration_id > last]
    if not later:
        print(f"already at {to}: nothing to roll back")
        return
    # Piccolo reverses from the newest migration down to and including the one named.
    await _in_one_transaction(database_url, lambda: run_backwards(APP_NAME, migration_id=later[0], auto_agree=True))


if __name__ == "__main__":
    run_migrate_command(migrate, rollback)
