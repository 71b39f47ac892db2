"""Does this app's model code run unchanged on SQLite and MariaDB? (issue #21, "flexibility and
multi-database support": a fact checked here, not a documentation quote.)

    npm run other-databases     # installs requirements-otherdb.lock, runs this, writes other-databases.json

Piccolo's engines are PostgresEngine, SQLiteEngine and CockroachEngine (its docs, "Engine types",
and the modules of piccolo.engine): SQLite is tried on ``SQLiteEngine`` (aiosqlite); MySQL/MariaDB
has no engine, so it is recorded as not supported, after the one line there is to try (the
PostgreSQL engine pointed at the MariaDB server). For SQLite: ``create_db_tables`` builds the schema
from tables.py (not from the migrations), the ORM writes the seed (a user, an article with two tags,
a favorite) and reads a page of articles with author, tags and favorites count, then the app's own
``PiccoloStore`` class runs every method of the port, unchanged, on the SQLite engine.
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, cast

from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.query.functions.aggregate import Count
from piccolo.table import create_db_tables

from arena_api.other_databases import SEED, ArticleRead, Report, mariadb, run
from arena_piccolo.store import PiccoloStore
from arena_piccolo.tables import TABLES, Article, ArticleTag, Favorite, Tag, User

ORM = "piccolo"
DOCUMENTED = "Piccolo's engines: PostgreSQL, SQLite (aiosqlite) and CockroachDB; no MySQL/MariaDB engine"


async def write_seed() -> int:
    author = User(username=SEED.username, email=SEED.email, password_hash="h")
    await author.save()
    article = Article(slug=SEED.slug, title="T", description="D", content="B", reading_minutes=1, author=author.id)
    await article.save()
    await Favorite(user=author.id, article=article.id).save()
    # Each link as the app's store writes them: an ArticleTag row per tag.
    for name in SEED.tags:
        tag = Tag(name=name)
        await tag.save()
        await ArticleTag(article=article.id, tag=tag.id).save()
    return author.id


async def read_page() -> list[ArticleRead]:
    rows = await (
        Article.select(Article.id, Article.slug, Article.author._.username.as_alias("author"), Article.tags(Tag.name, as_list=True))
        .order_by(Article.created_at, Article.id, ascending=False)
        .limit(20)
    )
    counts = await Favorite.select(Favorite.article, Count(alias="count")).group_by(Favorite.article)
    count_of = {row["article_id"]: row["count"] for row in counts}  # keyed by the column name, as in the store
    return [
        ArticleRead(slug=row["slug"], author=row["author"], tags=sorted(row["tags"]), favorites_count=count_of.get(row["id"], 0))
        for row in rows
    ]


async def sqlite() -> dict[str, Any]:
    report = Report(ORM, "sqlite", ["aiosqlite"], DOCUMENTED)
    with tempfile.TemporaryDirectory() as folder:
        report.scrub.append((folder, "<tmp>"))
        engine = SQLiteEngine(path=str(Path(folder) / "conduit.sqlite"))
        # As the app's db.connect binds its PostgreSQL engine: every table of tables.py on this engine.
        for table in TABLES:
            table._meta.db = engine  # pyright: ignore[reportPrivateUsage]: Piccolo's metadata lives at _meta
        rows = await engine.run_querystring(Article.raw("select sqlite_version() as version").querystrings[0])
        report.server_version = str(rows[0]["version"])
        if await report.schema(lambda: create_db_tables(*TABLES)):
            await report.crud(write_seed, read_page)
            # The store is typed for the app's PostgreSQL engine; it only calls what every engine has.
            await report.store(PiccoloStore(cast(Any, engine)))
    return report.result()


async def maria() -> dict[str, Any]:
    report = Report(ORM, "mariadb", [], DOCUMENTED)
    server = mariadb(ORM)
    # The one line there is to try: Piccolo's PostgreSQL engine (asyncpg) at the MariaDB server.
    engine = PostgresEngine(config={"host": server.host, "port": server.port, "user": server.user, "timeout": 5}, extensions=())
    try:
        report.server_version = str(await engine.get_version())
        report.not_supported = "not supported by the ORM; the PostgreSQL engine connected?"
    except Exception as error:
        report.not_supported = f"not supported by the ORM (no MySQL/MariaDB engine); PostgresEngine at it: {report.failure(error)}"
    return report.result()


CHECKS: list[Callable[[], Awaitable[dict[str, Any]]]] = [sqlite, maria]

if __name__ == "__main__":
    run(CHECKS)
