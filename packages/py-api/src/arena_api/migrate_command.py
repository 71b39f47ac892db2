"""The migrate command every Python app's `migrate.py` ends with (packages/api/src/migrate-command.ts).

`[--to v1|v2] [--rollback --to v1|v2]` on DATABASE_URL, the command-line contract of
docs/architecture.md ("The migrate command"), so the testkit drives schema targets through the
manifest whatever the app's language: exit 1 on bad arguments or without DATABASE_URL, exit 3
when asked to roll back by a tool without down migrations.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, get_args

from arena_api.app_module import Migrate, Rollback, SchemaVersion

VERSIONS: Final[tuple[SchemaVersion, ...]] = get_args(SchemaVersion)
NO_DOWN_MIGRATIONS_EXIT_CODE: Final = 3
"""Exit code of a migrate command asked to roll back by a tool that has no down migrations."""


class UsageError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class MigrateRequest:
    rollback: bool
    """Down migrations to `to` instead of up."""
    to: SchemaVersion | None
    """The schema version to stop at (up) or to go back to (down); up without it means all."""


def _version(value: str | None) -> SchemaVersion:
    for version in VERSIONS:
        if value == version:
            return version
    shown = "undefined" if value is None else f'"{value}"'
    raise UsageError(f"--to takes one of {', '.join(VERSIONS)}, got {shown}")


def parse_migrate_arguments(args: Sequence[str]) -> MigrateRequest:
    rollback = False
    to: SchemaVersion | None = None
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--rollback":
            rollback = True
        elif arg == "--to":
            index += 1
            to = _version(args[index] if index < len(args) else None)
        elif arg.startswith("--to="):
            to = _version(arg.removeprefix("--to="))
        else:
            raise UsageError(f'unknown argument "{arg}": [--to v1|v2] [--rollback --to v1|v2]')
        index += 1
    if rollback and to is None:
        raise UsageError("--rollback needs --to: the schema version to go back to")
    return MigrateRequest(rollback=rollback, to=to)


def run_migrate_command(migrate: Migrate, rollback: Rollback | None, argv: Sequence[str] | None = None) -> None:
    """Reads the command line and DATABASE_URL, runs the app's tool, and exits with the contract's code."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        print("DATABASE_URL is required: the database to migrate", file=sys.stderr)
        sys.exit(1)
    try:
        request = parse_migrate_arguments(sys.argv[1:] if argv is None else argv)
    except UsageError as error:
        print(error, file=sys.stderr)
        sys.exit(1)
    if request.rollback:
        if rollback is None or request.to is None:
            print("this app's migration tool has no down migrations", file=sys.stderr)
            sys.exit(NO_DOWN_MIGRATIONS_EXIT_CODE)
        asyncio.run(rollback(url, request.to))
        print(f"rolled back to {request.to}")
        return
    asyncio.run(migrate(url, request.to))
    print(f"migrated to {request.to}" if request.to else "migrated")
