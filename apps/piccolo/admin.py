"""Piccolo Admin on the app's database: ``npm run admin`` in apps/piccolo.

    DATABASE_URL=postgres://... npm run admin     # http://127.0.0.1:8001, user admin

The app's tables (tables.py) are served by Piccolo Admin 1.14 over this app's engine. Piccolo
Admin signs its users in with Piccolo's own user and session tables; they live here in a SQLite
file of their own, so the app's PostgreSQL schema stays the canonical one (no ``piccolo_user`` or
``sessions`` table appears in it). The admin user is created at start: ``ADMIN_USERNAME``
(default ``admin``), ``ADMIN_PASSWORD`` (default ``conduit-admin``, for a local database only).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from typing import Any

import uvicorn
from arena_api.store import StoreConfig
from piccolo.apps.user.tables import BaseUser
from piccolo.columns import Column, Timestamptz
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table
from piccolo_admin.endpoints import TableConfig, create_admin
from piccolo_api.crud.hooks import Hook, HookType
from piccolo_api.session_auth.tables import SessionsBase

from arena_piccolo.db import connect
from arena_piccolo.tables import TABLES, Article, Comment, Tag, User

# The entity tables only. Piccolo believes the join tables (follows, favorites, article_tags) have
# a one-column primary key (tables.py: Piccolo cannot declare their composite key), and Piccolo
# Admin edits and deletes rows by primary key: deleting one follows row would delete every row of
# that follower. Their rows are managed through the API.
ADMIN_TABLES = [User, Article, Tag, Comment]


def admin_config(table: type[Table]) -> TableConfig:
    """The table without its list column and filter for each foreign key under a canonical name.

    Piccolo's pydantic schema names a column with ``db_column_name`` by that name (``author_id``)
    while Piccolo Admin's list asks the schema for the Python name (``author``): the articles and
    comments lists then stop on ``Cannot read properties of undefined (reading 'type')`` and show
    no row (Piccolo Admin 1.14.0, piccolo 1.38.0; found by test/admin.test.ts in Chromium).
    """
    renamed = [column for column in table._meta.columns if column._meta.db_column_name != column._meta.name]
    return TableConfig(
        table,
        exclude_visible_columns=renamed,
        exclude_visible_filters=renamed,
        hooks=[Hook(hook_type=HookType.pre_patch, callable=keep_unshown_values)],
    )


def keep_unshown_values(row_id: Any, values: dict[Column, Any]) -> dict[Column, Any]:
    """Leaves out of an edit what Piccolo Admin's form sends back without showing it.

    Saving a user's bio from the edit form sent ``password_hash: ""`` (a secret column is never
    shown, and comes back empty) and ``created_at``/``updated_at`` cut to whole seconds: the user
    could no longer sign in, and both timestamps lost their fraction (checked by hand in Chromium,
    Piccolo Admin 1.14.0). Left out, they keep their stored values.
    """
    return {
        column: value
        for column, value in values.items()
        if not (column._meta.secret and value in ("", None)) and not isinstance(column, Timestamptz)
    }

ADMIN_DB = SQLiteEngine(path=os.path.join(tempfile.mkdtemp(prefix="piccolo-admin-"), "admin.sqlite"))


class AdminUser(BaseUser, tablename="piccolo_user", db=ADMIN_DB):
    pass


class AdminSession(SessionsBase, tablename="sessions", db=ADMIN_DB):
    pass


async def main() -> None:
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        raise SystemExit("admin: DATABASE_URL is required")
    username = os.environ.get("ADMIN_USERNAME", "admin")
    password = os.environ.get("ADMIN_PASSWORD", "conduit-admin")
    port = int(os.environ.get("ADMIN_PORT", "8001"))

    await AdminUser.create_table(if_not_exists=True)
    await AdminSession.create_table(if_not_exists=True)
    await AdminUser.create_user(username=username, password=password, admin=True, active=True, superuser=True)

    engine = await connect(StoreConfig(database_url=database_url), TABLES)
    app = create_admin(
        tables=[admin_config(table) for table in ADMIN_TABLES],
        auth_table=AdminUser,
        session_table=AdminSession,
        site_name="Conduit (Piccolo)",
    )
    print(f"Piccolo Admin on http://127.0.0.1:{port} (user {username})", flush=True)
    try:
        await uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")).serve()
    finally:
        await engine.close_connection_pool()


if __name__ == "__main__":
    asyncio.run(main())
