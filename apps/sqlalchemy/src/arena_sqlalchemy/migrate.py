"""The migrate command (docs/architecture.md) with Alembic: ``python -m arena_sqlalchemy.migrate``.

Migrates the database of ``DATABASE_URL``: no arguments or ``--to v2`` upgrades to the last
revision, ``--to v1`` to the last revision of schema v1, ``--rollback --to v1`` runs Alembic's
downgrades back to it. Exits 0 on success and 1 on a failure or an argument it does not know.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from alembic import command
from alembic.config import Config

# The last Alembic revision of each schema version (migrations/versions/).
REVISIONS = {"v1": "0001", "v2": "0002"}

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def alembic_config() -> Config:
    """Alembic's settings of this app; migrations/env.py reads the database from DATABASE_URL."""
    return Config(str(ALEMBIC_INI))


def migrate(to: str = "v2") -> None:
    command.upgrade(alembic_config(), REVISIONS[to])


def rollback(to: str) -> None:
    command.downgrade(alembic_config(), REVISIONS[to])


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # The contract's exit code for a bad argument is 1 (argparse's own is 2).
        self.print_usage(sys.stderr)
        print(f"migrate: {message}", file=sys.stderr)
        raise SystemExit(1)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="migrate", description=__doc__)
    parser.add_argument("--to", choices=sorted(REVISIONS), default=None)
    parser.add_argument("--rollback", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.rollback:
            if args.to is None:
                parser.error("--rollback needs --to v1")
            rollback(args.to)
        else:
            migrate(args.to or "v2")
    except Exception as error:  # any failure of the tool or the database: exit 1, say why
        print(f"migrate: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
