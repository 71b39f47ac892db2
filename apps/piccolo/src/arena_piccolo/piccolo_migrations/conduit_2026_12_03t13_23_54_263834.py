"""What `piccolo migrations new conduit --auto` could not emit for schema v2 (docs/migrations.md).

Written in Piccolo's empty migration template (`piccolo migrations new conduit`). Piccolo runs a
migration's raw functions first, then its own operations, which gives the order the change needs:

1. Backfill reading_minutes (added nullable by the previous migration) with the rule the API
   applies to new articles, exactly as apps/pg's v2 migration does: words at 200 a minute,
   rounded up, at least 1.
2. The unique index users_email_lower_key on lower(email): Piccolo has no expression indexes, so
   tables.py cannot declare it and auto migrations never see it.
3. Piccolo's own operations: reading_minutes SET NOT NULL, then email's unique flag off (which
   drops users_email_key), after the index exists, so there is no moment without a unique rule.

Backwards, Piccolo runs the raw step first (drop the index), then reverses its operations
(reading_minutes nullable; ``ADD UNIQUE (email)``, which PostgreSQL names users_email_key).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer, Text
from piccolo.table import Table

ID = "2026-12-03T13:23:54:263834"
VERSION = "1.38.0"
DESCRIPTION = "v2 what auto missed"


class RawTable(Table):
    """No columns: only a door to the migration's connection and transaction for raw SQL."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="conduit", description=DESCRIPTION)

    async def run():
        await RawTable.raw(
            "UPDATE articles SET reading_minutes = greatest(1, ceil("
            "(SELECT count(*) FROM regexp_matches(content, '\\S+', 'g')) / 200.0))::integer"
        )
        await RawTable.raw("CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email))")

    async def run_backwards():
        await RawTable.raw("DROP INDEX users_email_lower_key")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)

    manager.alter_column(
        table_class_name="Article",
        tablename="articles",
        column_name="reading_minutes",
        db_column_name="reading_minutes",
        params={"null": False},
        old_params={"null": True},
        column_class=Integer,
        old_column_class=Integer,
        schema=None,
    )

    # As the auto migration emitted it, moved here.
    manager.alter_column(
        table_class_name="User",
        tablename="users",
        column_name="email",
        db_column_name="email",
        params={"unique": False},
        old_params={"unique": True},
        column_class=Text,
        old_column_class=Text,
        schema=None,
    )

    return manager
