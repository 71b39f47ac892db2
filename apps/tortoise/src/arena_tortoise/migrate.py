"""The migrate command (docs/architecture.md) over Aerich.

    python -m arena_tortoise.migrate [--to v1|v2] [--rollback --to v1]

Migrates DATABASE_URL with Aerich's own migrations (migrations/models). Exit codes: 0 on success,
1 on a failure or an unknown argument, 3 for a rollback the tool cannot do (Aerich has downs, so
only a rollback to anything but v1 is refused, as bad arguments).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Literal

from aerich import Command
from aerich.migrate import Migrate
from aerich.models import Aerich
from tortoise.exceptions import OperationalError
from arena_api.store import StoreConfig

from arena_tortoise.db import tortoise_config

SchemaVersion = Literal["v1", "v2"]

MIGRATIONS_LOCATION = str(Path(__file__).resolve().parents[2] / "migrations")
APP = "models"

# The number of the last Aerich migration of each schema version (Aerich names files <n>_<date>_<name>.py).
LAST_MIGRATION: dict[SchemaVersion, int] = {"v1": 0, "v2": 1}


async def _applied(command: Command) -> set[str]:
    """The migrations recorded in Aerich's history table; none before the first one creates it."""
    try:
        versions: list[str] = list(await Aerich.filter(app=command.app).values_list("version", flat=True))  # pyright: ignore[reportAssignmentType]  (flat values_list is typed as tuples)
        return set(versions)
    except OperationalError:
        return set()


def _number(version_file: str) -> int:
    return int(version_file.split("_", 1)[0])


async def migrate(database_url: str, to: SchemaVersion | None = None) -> list[str]:
    """Applies the pending migrations up to and including the last one of schema `to` (all if None)."""
    async with Command(tortoise_config(StoreConfig(database_url), with_aerich=True), APP, MIGRATIONS_LOCATION) as command:
        await command.init()
        if to is None:
            return await command.upgrade(run_in_transaction=True)
        # `aerich upgrade` has no target version: it applies every pending file. Up to a version, the
        # files are applied one by one with the step Aerich's upgrade runs for each (one transaction each).
        from tortoise.transactions import in_transaction

        applied: list[str] = []
        applied_before = await _applied(command)
        for module in Migrate.get_all_version_modules():
            version_file = module.name + ".py"
            if version_file in applied_before or _number(version_file) > LAST_MIGRATION[to]:
                continue
            async with in_transaction("default") as conn:
                await command._upgrade(conn, version_file, False, module)  # pyright: ignore[reportPrivateUsage]
            applied.append(version_file)
        return applied


async def rollback(database_url: str, to: SchemaVersion) -> list[str]:
    """Runs Aerich's downgrade of every applied migration after the last one of schema `to`."""
    async with Command(tortoise_config(StoreConfig(database_url), with_aerich=True), APP, MIGRATIONS_LOCATION) as command:
        await command.init()
        first_after = LAST_MIGRATION[to] + 1
        applied = await _applied(command)
        if not any(_number(version) >= first_after for version in applied):
            return []
        # downgrade(n) runs the downs of migration n and of every migration applied after it.
        return await command.downgrade(version=first_after, delete=False)


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m arena_tortoise.migrate", exit_on_error=False)
    parser.add_argument("--to", choices=["v1", "v2"])
    parser.add_argument("--rollback", action="store_true")
    args = parser.parse_args(argv)
    if args.rollback and args.to is None:
        parser.error("--rollback needs --to v1")
    return args


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parse(sys.argv[1:] if argv is None else argv)
    except (argparse.ArgumentError, SystemExit) as error:
        print(f"migrate: {error}", file=sys.stderr)
        return 1
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        print("migrate: DATABASE_URL is required", file=sys.stderr)
        return 1
    try:
        if args.rollback:
            done = asyncio.run(rollback(database_url, args.to))
            print(f"rolled back: {', '.join(done) or 'nothing'}")
        else:
            done = asyncio.run(migrate(database_url, args.to))
            print(f"applied: {', '.join(done) or 'nothing'}")
    except Exception as error:  # every failure is exit 1 with the cause, as the contract says
        print(f"migrate: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
