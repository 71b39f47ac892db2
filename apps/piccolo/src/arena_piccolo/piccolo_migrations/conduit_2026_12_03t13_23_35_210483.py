from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-03T13:23:35:210483"
VERSION = "1.38.0"
DESCRIPTION = "v2 content reading_minutes email lower"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="conduit", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Article",
        tablename="articles",
        column_name="reading_minutes",
        db_column_name="reading_minutes",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": None,
            # Hand fix: emitted NOT NULL without a default or a backfill, which fails on any
            # table with rows ("contains null values"); added nullable here, backfilled and made
            # NOT NULL by the next migration.
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.rename_column(
        table_class_name="Article",
        tablename="articles",
        old_column_name="body",
        new_column_name="content",
        old_db_column_name="body",
        new_db_column_name="content",
        schema=None,
    )

    # Hand fix: the email change (dropping users_email_key) moved to the next migration, so the
    # constraint goes only after the unique index on lower(email) exists.

    return manager
