from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer
from piccolo.columns.column_types import Text
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
            "null": False,
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
