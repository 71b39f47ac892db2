"""What `piccolo migrations new conduit --auto` could not emit for the canonical schema (v1).

Written in Piccolo's empty migration template (`piccolo migrations new conduit`), as raw SQL run
through a table-less ``RawTable``, the way Piccolo's docs write manual migrations. Piccolo runs a
migration's raw functions before its own operations, which is why these fixes live in a migration
of their own after the generated one instead of inside it.

- Composite primary keys (follows, article_tags, favorites): a Piccolo table has one primary-key
  column, so tables.py marks the first column and this replaces the key with the pair.
- The composite index articles (author_id, created_at): Piccolo's ``index=True`` is one column.
- ``DEFAULT now()``: Piccolo's ``TimestamptzNow`` writes ``DEFAULT CURRENT_TIMESTAMP``, the same
  function under the SQL-standard name, which the schema comparison sees as another default.
- Index names: Piccolo names an index ``<table>_<column>``; the canonical names end in ``_idx``.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-03T13:23:02:694700"
VERSION = "1.38.0"
DESCRIPTION = "v1 what auto missed"


class RawTable(Table):
    """No columns: only a door to the migration's connection and transaction for raw SQL."""


COMPOSITE_KEYS = {
    "follows": ("follower_id", "followee_id"),
    "article_tags": ("article_id", "tag_id"),
    "favorites": ("user_id", "article_id"),
}

PICCOLO_INDEX_NAMES = {
    "follows_followee_id": "follows_followee_id_idx",
    "articles_created_at": "articles_created_at_idx",
    "article_tags_tag_id": "article_tags_tag_id_idx",
    "favorites_article_id": "favorites_article_id_idx",
    "comments_article_id": "comments_article_id_idx",
    "comments_author_id": "comments_author_id_idx",
}

TIMESTAMP_COLUMNS = {
    "users": ("created_at", "updated_at"),
    "articles": ("created_at", "updated_at"),
    "comments": ("created_at", "updated_at"),
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="conduit", description=DESCRIPTION)

    async def run():
        for table, columns in COMPOSITE_KEYS.items():
            await RawTable.raw(
                f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey, ADD PRIMARY KEY ({', '.join(columns)})"
            )
        await RawTable.raw(
            "CREATE INDEX articles_author_id_created_at_idx ON articles (author_id, created_at)"
        )
        for piccolo_name, canonical_name in PICCOLO_INDEX_NAMES.items():
            await RawTable.raw(f"ALTER INDEX {piccolo_name} RENAME TO {canonical_name}")
        for table, columns in TIMESTAMP_COLUMNS.items():
            await RawTable.raw(
                f"ALTER TABLE {table} "
                + ", ".join(f"ALTER COLUMN {column} SET DEFAULT now()" for column in columns)
            )

    async def run_backwards():
        for table, columns in TIMESTAMP_COLUMNS.items():
            await RawTable.raw(
                f"ALTER TABLE {table} "
                + ", ".join(f"ALTER COLUMN {column} SET DEFAULT CURRENT_TIMESTAMP" for column in columns)
            )
        for piccolo_name, canonical_name in PICCOLO_INDEX_NAMES.items():
            await RawTable.raw(f"ALTER INDEX {canonical_name} RENAME TO {piccolo_name}")
        await RawTable.raw("DROP INDEX articles_author_id_created_at_idx")
        for table, columns in COMPOSITE_KEYS.items():
            await RawTable.raw(
                f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey, ADD PRIMARY KEY ({columns[0]})"
            )

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)

    return manager
