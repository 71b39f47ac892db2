"""The migrate command (docs/architecture.md) with Piccolo's own migration tool.

    python -m arena_piccolo.migrate                  # every migration
    python -m arena_piccolo.migrate --to v1          # up to the last migration of schema v1
    python -m arena_piccolo.migrate --rollback --to v1

Runs in this app's folder (where the manifest runs it), so Piccolo finds ``piccolo_conf.py``, whose
engine reads ``DATABASE_URL``. Forwards and backwards are Piccolo's ``run_forwards`` and
``run_backwards``, what ``piccolo migrations forwards|backwards conduit`` run, here inside one transaction so that a
version of two migrations never stops half-way (``piccolo migrations forwards`` commits each
migration on its own). Exit codes: 0 done,
1 on a failure or an unknown argument (this tool has down migrations, so never 3).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from piccolo.apps.migrations.commands.base import MigrationResult

APP_NAME = "conduit"

# The last migration of each schema version (piccolo_migrations/): the generated one and its hand
# fix, for v1 and for v2.
LAST_MIGRATION_OF: dict[str, str] = {
    "v1": "2026-12-03T13:23:02:694700",
    "v2": "2026-12-03T13:23:54:263834",
}

Version = Literal["v1", "v2"]


class UsageError(Exception):
    pass


def parse(args: Sequence[str]) -> tuple[Version | None, bool]:
    """(target version or None for all, rollback?) from the command line; UsageError otherwise."""
    to: Version | None = None
    rollback = False
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--rollback":
            rollback = True
        elif arg == "--to" and rest and rest[0] in ("v1", "v2"):
            to = "v1" if rest.pop(0) == "v1" else "v2"
        elif arg in ("--to=v1", "--to=v2"):
            to = "v1" if arg.endswith("v1") else "v2"
        else:
            raise UsageError(f"unknown argument: {arg}")
    if rollback and to is None:
        raise UsageError("--rollback needs --to <version>")
    return to, rollback


class MigrationFailed(Exception):
    pass


async def _in_one_transaction(work: Callable[[], Awaitable[MigrationResult]]) -> bool:
    """Runs Piccolo's migrations in one transaction: each migration's own transaction nests in it
    (Piccolo's transactions join an open one), so a schema version made of two migrations (the
    generated one and its hand fix) is applied, or rolled back, whole or not at all."""
    from piccolo.engine import engine_finder

    engine = engine_finder()
    if engine is None:
        raise MigrationFailed("no engine in piccolo_conf.py")
    async with engine.transaction():
        result = await work()
        if not result.success:
            raise MigrationFailed(result.message or "failed")
    return True


async def migrate(to: Version | None) -> bool:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    target = LAST_MIGRATION_OF[to] if to else "all"
    return await _in_one_transaction(lambda: run_forwards(APP_NAME, migration_id=target))


async def rollback(to: Version) -> bool:
    from piccolo.apps.migrations.commands.backwards import run_backwards
    from piccolo.apps.migrations.tables import Migration

    last = LAST_MIGRATION_OF[to]
    ran = await Migration.get_migrations_which_ran(app_name=APP_NAME)
    later = [migration_id for migration_id in ran if migration_id > last]
    if not later:
        print(f"already at {to}: nothing to roll back")
        return True
    # Piccolo reverses from the newest migration down to and including the one named.
    return await _in_one_transaction(lambda: run_backwards(APP_NAME, migration_id=later[0], auto_agree=True))


def main(argv: Sequence[str]) -> int:
    try:
        to, back = parse(argv)
    except UsageError as error:
        print(f"migrate: {error}\nusage: migrate [--to v1|v2] [--rollback --to v1]", file=sys.stderr)
        return 1
    if not os.environ.get("DATABASE_URL"):
        print("migrate: DATABASE_URL is required", file=sys.stderr)
        return 1
    try:
        done = asyncio.run(rollback(to) if back and to else migrate(to))
    except Exception as error:  # a failed migration: its transaction was rolled back by Piccolo
        print(f"migrate: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0 if done else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
