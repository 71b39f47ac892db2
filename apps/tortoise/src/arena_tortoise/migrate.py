"""The migrate command (docs/architecture.md) over Aerich: the shared command line
(`arena_api.migrate_command`) around Aerich's upgrade and downgrade.

    python -m arena_tortoise.migrate [--to v1|v2] [--rollback --to v1]
"""

from __future__ import annotations

from pathlib import Path

from aerich import Command
from aerich.migrate import Migrate
from aerich.models import Aerich
from arena_api.app_module import SchemaVersion
from arena_api.migrate_command import run_migrate_command
from arena_api.store import StoreConfig
from tortoise.exceptions import OperationalError
from tortoise.transactions import in_transaction

from arena_tortoise.db import tortoise_config

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


async def migrate(database_url: str, to: SchemaVersion | None = None) -> None:
    """Applies the pending migrations up to and including the last one of schema `to` (all if None)."""
    async with Command(tortoise_config(StoreConfig(database_url), with_aerich=True), APP, MIGRATIONS_LOCATION) as command:
        await command.init()
        if to is None:
            await command.upgrade(run_in_transaction=True)
            return
        # `aerich upgrade` has no target version: it applies every pending file. Up to a version, the
        # files are applied one by one with the step Aerich's upgrade runs for each (one transaction each).
        applied_before = await _applied(command)
        for module in Migrate.get_all_version_modules():
            version_file = module.name + ".py"
            if version_file in applied_before or _number(version_file) > LAST_MIGRATION[to]:
                continue
            async with in_transaction("default") as conn:
                await command._upgrade(conn, version_file, False, module)  # pyright: ignore[reportPrivateUsage]


async def rollback(database_url: str, to: SchemaVersion) -> None:
    """Runs Aerich's downgrade of every applied migration after the last one of schema `to`."""
    async with Command(tortoise_config(StoreConfig(database_url), with_aerich=True), APP, MIGRATIONS_LOCATION) as command:
        await command.init()
        first_after = LAST_MIGRATION[to] + 1
        applied = await _applied(command)
        if any(_number(version) >= first_after for version in applied):
            # downgrade(n) runs the downs of migration n and of every migration applied after it.
            await command.downgrade(version=first_after, delete=False)


if __name__ == "__main__":
    run_migrate_command(migrate, rollback)
