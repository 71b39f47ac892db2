"""Does this app's model code run unchanged on SQLite and MariaDB? (issue #21, "flexibility and
multi-database support": a fact checked here, not a documentation quote.)

    npm run other-databases     # installs requirements-otherdb.lock, runs this, writes other-databases.json

Tortoise documents SQLite (aiosqlite, a dependency of tortoise-orm itself) and MySQL/MariaDB
(asyncmy or aiomysql; asyncmy here). For each database: the app's own Tortoise config
(db.tortoise_config: its models module, use_tz, UTC) with only the connection swapped,
``Tortoise.generate_schemas()`` builds the schema from models.py (not from the Aerich migrations),
the ORM writes the seed (a user, an article with two tags, a favorite) and reads a page of articles
with author, tags and favorites count, then the app's own ``TortoiseStore`` class runs every method
of the port, unchanged. MariaDB: ``MARIADB_URL`` (default mysql://root@127.0.0.1:3306/test); a
database of this run's own is created there (``_create_db``) and dropped at the end.
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from tortoise import Tortoise, connections
from tortoise.functions import Count
from tortoise.utils import get_schema_sql

from arena_api.other_databases import SEED, ArticleRead, Report, mariadb, run
from arena_api.store import StoreConfig
from arena_tortoise.db import tortoise_config
from arena_tortoise.models import Article, Tag, User
from arena_tortoise.store import TortoiseStore

ORM = "tortoise-orm"
DOCUMENTED = "Tortoise documents SQLite (aiosqlite), PostgreSQL (asyncpg, psycopg), MySQL/MariaDB (asyncmy, aiomysql) and SQL Server"


def config_on(connection: dict[str, Any]) -> dict[str, Any]:
    """The app's own configuration, its PostgreSQL connection replaced by ``connection``."""
    config = tortoise_config(StoreConfig(database_url="postgres://unused/unused"))
    config["connections"] = {"default": connection}
    return config


async def write_seed() -> int:
    author = await User.create(username=SEED.username, email=SEED.email, password_hash="h")
    article = await Article.create(slug=SEED.slug, title="T", description="D", content="B", reading_minutes=1, author=author)
    await article.favorited_by.add(author)
    await article.tags.add(*[await Tag.create(name=name) for name in SEED.tags])
    return author.id


async def read_page() -> list[ArticleRead]:
    page = (
        await Article.all()
        .annotate(favorites_count=Count("favorited_by", distinct=True))
        .order_by("-created_at", "-id")
        .limit(20)
        .prefetch_related("author", "tags")
    )
    return [
        ArticleRead(
            slug=a.slug,
            author=a.author.username,
            tags=sorted(tag.name for tag in a.tags),
            favorites_count=getattr(a, "favorites_count"),  # an annotation: not an attribute Tortoise types
        )
        for a in page
    ]


async def check(report: Report, version_sql: str) -> None:
    rows = await connections.get("default").execute_query_dict(version_sql)
    report.server_version = str(rows[0]["version"])
    if not await report.schema(Tortoise.generate_schemas):
        # What generate_schemas runs as one script, statement by statement (each is IF NOT EXISTS).
        connection = connections.get("default")
        statements = [statement for statement in get_schema_sql(connection, safe=True).split(";\n") if statement.strip()]
        await report.diagnose(statements, connection.execute_script)
    if report.tables_created:
        await report.crud(write_seed, read_page)
        await report.store(TortoiseStore())


async def sqlite() -> dict[str, Any]:
    report = Report(ORM, "sqlite", ["aiosqlite"], DOCUMENTED)
    with tempfile.TemporaryDirectory() as folder:
        report.scrub.append((folder, "<tmp>"))
        path = str(Path(folder) / "conduit.sqlite")
        await Tortoise.init(config=config_on({"engine": "tortoise.backends.sqlite", "credentials": {"file_path": path}}))
        try:
            await check(report, "select sqlite_version() as version")
        finally:
            await Tortoise.close_connections()
    return report.result()


async def maria() -> dict[str, Any]:
    report = Report(ORM, "mariadb", ["asyncmy"], DOCUMENTED)
    server = mariadb("tortoise")
    report.scrub.append((server.database, "<database>"))
    credentials = {
        "host": server.host,
        "port": server.port,
        "user": server.user,
        "password": server.password,
        "database": server.database,
    }
    await Tortoise.init(config=config_on({"engine": "tortoise.backends.mysql", "credentials": credentials}), _create_db=True)
    try:
        await check(report, "select version() as version")
    finally:
        await Tortoise._drop_databases()  # pyright: ignore[reportPrivateUsage]  (what Tortoise's own test runner calls)
    return report.result()


CHECKS: list[Callable[[], Awaitable[dict[str, Any]]]] = [sqlite, maria]

if __name__ == "__main__":
    run(CHECKS)
