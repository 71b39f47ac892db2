"""Does this app's model code run unchanged on SQLite and MariaDB? (issue #21, "flexibility and
multi-database support": a fact checked here, not a documentation quote.)

    npm run other-databases     # installs requirements-otherdb.lock, runs this, writes other-databases.json

SQLAlchemy documents asyncio dialects for both: ``sqlite+aiosqlite`` and ``mysql+asyncmy`` (which
also serves MariaDB). For each database: ``Base.metadata.create_all`` builds the schema from
models.py (not from the PostgreSQL migrations), the ORM writes the seed (a user, an article with
two tags, a favorite) and reads a page of articles with author, tags and favorites count, then the
app's own ``SqlAlchemyStore`` class runs every method of the port, unchanged, on the same engine.
MariaDB: ``MARIADB_URL`` (default mysql://root@127.0.0.1:3306/test); a database of this run's own
is created there and dropped at the end.
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import URL, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.schema import CreateIndex, CreateTable, ExecutableDDLElement

from arena_api.other_databases import SEED, ArticleRead, Report, mariadb, run
from arena_sqlalchemy.models import Article, Base, Favorite, Tag, User
from arena_sqlalchemy.store import SqlAlchemyStore

ORM = "sqlalchemy"
DOCUMENTED = "SQLAlchemy's dialects include SQLite and MySQL/MariaDB, with asyncio drivers aiosqlite, asyncmy and aiomysql"


async def write_seed(engine: AsyncEngine) -> int:
    async with async_sessionmaker(engine).begin() as session:
        author = User(username=SEED.username, email=SEED.email, password_hash="h")
        tags = [Tag(name=name) for name in SEED.tags]
        article = Article(slug=SEED.slug, title="T", description="D", content="B", reading_minutes=1, author=author, tags=tags)
        session.add(article)
        await session.flush()
        session.add(Favorite(user_id=author.id, article_id=article.id))
        return author.id


async def read_page(engine: AsyncEngine) -> list[ArticleRead]:
    favorites = select(func.count()).where(Favorite.article_id == Article.id).correlate(Article).scalar_subquery()
    page = (
        select(Article, favorites)
        .options(joinedload(Article.author), selectinload(Article.tags))
        .order_by(Article.created_at.desc(), Article.id.desc())
        .limit(20)
    )
    async with async_sessionmaker(engine)() as session:
        rows = (await session.execute(page)).all()
    return [
        ArticleRead(slug=a.slug, author=a.author.username, tags=sorted(tag.name for tag in a.tags), favorites_count=count)
        for a, count in rows
    ]


async def check(report: Report, engine: AsyncEngine, version_sql: str) -> None:
    async with engine.connect() as connection:
        report.server_version = str((await connection.execute(text(version_sql))).scalar_one())

    async def create_schema() -> None:
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)

    if not await report.schema(create_schema):
        await report.diagnose(ddl_statements(engine), lambda statement: execute(engine, statement))
    if report.tables_created:
        await report.crud(lambda: write_seed(engine), lambda: read_page(engine))
        await report.store(SqlAlchemyStore(engine))


def ddl_statements(engine: AsyncEngine) -> list[str]:
    """What create_all emits, table by table (each with its indexes), in this engine's dialect."""
    elements: list[ExecutableDDLElement] = []
    for table in Base.metadata.sorted_tables:
        elements.append(CreateTable(table, if_not_exists=True))
        elements.extend(CreateIndex(index, if_not_exists=True) for index in sorted(table.indexes, key=lambda i: str(i.name)))
    return [str(element.compile(dialect=engine.dialect)) for element in elements]


async def execute(engine: AsyncEngine, statement: str) -> None:
    async with engine.begin() as connection:
        await connection.exec_driver_sql(statement)


async def sqlite() -> dict[str, Any]:
    report = Report(ORM, "sqlite", ["aiosqlite"], DOCUMENTED)
    with tempfile.TemporaryDirectory() as folder:
        report.scrub.append((folder, "<tmp>"))
        engine = create_async_engine(f"sqlite+aiosqlite:///{Path(folder) / 'conduit.sqlite'}")
        try:
            await check(report, engine, "select sqlite_version()")
        finally:
            await engine.dispose()
    return report.result()


async def maria() -> dict[str, Any]:
    report = Report(ORM, "mariadb", ["asyncmy"], DOCUMENTED)
    server = mariadb(ORM)
    report.scrub.append((server.database, "<database>"))

    def url(database: str) -> URL:
        return URL.create(
            "mysql+asyncmy", username=server.user, password=server.password, host=server.host, port=server.port, database=database
        )

    admin = create_async_engine(url(server.admin_database), isolation_level="AUTOCOMMIT")

    async def admin_run(statement: str) -> None:
        async with admin.connect() as connection:
            await connection.execute(text(statement))

    engine = create_async_engine(url(server.database))
    try:
        await admin_run(f"CREATE DATABASE {server.database}")
        await check(report, engine, "select version()")
    finally:
        await engine.dispose()
        await admin_run(f"DROP DATABASE IF EXISTS {server.database}")
        await admin.dispose()
    return report.result()


CHECKS: list[Callable[[], Awaitable[dict[str, Any]]]] = [sqlite, maria]

if __name__ == "__main__":
    run(CHECKS)
