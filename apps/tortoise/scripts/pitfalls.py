"""Measures the Tortoise store's list queries against the naive Tortoise way of writing them.

    DATABASE_URL=<migrated and seeded database> .venv/bin/python scripts/pitfalls.py

For each endpoint: the statements each way sends (captured from Tortoise's `tortoise.db_client`
debug logger with their parameters), each run under EXPLAIN (ANALYZE, BUFFERS) five times (median
execution ms, shared hit + read buffers summed over the statements), and the app's CPU per call
(time.process_time over a loop, median of 3 loops). Prints one JSON object per endpoint.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
from arena_api.store import ArticleFilter, ArticlePage, ConduitStore, Page, StoreConfig
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from arena_tortoise.models import Article, Tag, User
from arena_tortoise.store import _page, create_store


class Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[tuple[str, list[Any]]] = []

    def emit(self, record: logging.LogRecord) -> None:
        # Tortoise logs "%s: %s" % (sql, values) for each statement it sends.
        if isinstance(record.args, tuple) and len(record.args) == 2 and isinstance(record.args[0], str):
            sql, values = record.args
            if sql.lstrip().upper().startswith("SELECT"):
                self.statements.append((sql, list(values or [])))


async def naive_page(matching: QuerySet[Article], page: Page, viewer_id: int | None) -> int:
    """What Tortoise's docs lead to: the count, then model instances with the favorites count
    annotated and the author and tags prefetched, LIMIT/OFFSET on that query. (select_related
    ("author") with the Count annotation fails on PostgreSQL: Tortoise groups by the article's
    columns only, so the author's columns are neither grouped nor aggregated.)"""
    total = await matching.count()
    articles = (
        await matching.annotate(favorites_count=Count("favorited_by"))
        .prefetch_related("author", "tags")
        .order_by("-created_at", "-id")
        .offset(page.offset)
        .limit(page.limit)
    )
    if viewer_id is not None and articles:
        ids = [article.id for article in articles]
        await Article.filter(id__in=ids, favorited_by__id=viewer_id).values_list("id", flat=True)
        await User.filter(id__in={a.author_id for a in articles}, followers__id=viewer_id).values_list("id", flat=True)
    return total + sum(len(article.tags) for article in articles)


def filtered(filter: ArticleFilter) -> QuerySet[Article]:
    matching = Article.all()
    if filter.tag is not None:
        matching = matching.filter(tags__name=filter.tag)
    if filter.author is not None:
        matching = matching.filter(author__username=filter.author)
    if filter.favorited is not None:
        matching = matching.filter(favorited_by__username=filter.favorited)
    return matching


async def explain(connection: asyncpg.Connection, statements: list[tuple[str, list[Any]]]) -> tuple[float, int]:
    total_ms = 0.0
    total_buffers = 0
    for sql, values in statements:
        runs: list[tuple[float, int]] = []
        for _ in range(5):
            plan = json.loads(await connection.fetchval(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", *values))[0]
            top = plan["Plan"]
            runs.append((plan["Execution Time"], top["Shared Hit Blocks"] + top["Shared Read Blocks"]))
        total_ms += statistics.median(ms for ms, _ in runs)
        total_buffers += runs[-1][1]
    return round(total_ms, 1), total_buffers


async def cpu_ms(call: Callable[[], Awaitable[object]], loops: int) -> float:
    medians = []
    for _ in range(3):
        start = time.process_time()
        for _ in range(loops):
            await call()
        medians.append((time.process_time() - start) * 1000 / loops)
    return round(statistics.median(medians), 2)


async def measure(
    name: str,
    connection: asyncpg.Connection,
    capture: Captured,
    naive: Callable[[], Awaitable[object]],
    tuned: Callable[[], Awaitable[object]],
    loops: int,
) -> dict[str, Any]:
    result: dict[str, Any] = {"endpoint": name}
    for label, call in (("before", naive), ("after", tuned)):
        capture.statements.clear()
        await call()
        statements = list(capture.statements)
        db_ms, buffers = await explain(connection, statements)
        logger = logging.getLogger("tortoise.db_client")
        logger.removeHandler(capture)  # the handler costs app CPU: off while timing
        cpu = await cpu_ms(call, loops)
        logger.addHandler(capture)
        result[label] = {"statements": len(statements), "dbMs": db_ms, "buffers": buffers, "appCpuMs": cpu}
    return result


async def feed_by_relation_lookup(page: Page, viewer_id: int) -> ArticlePage:
    """The feed before: ids first (as the store's other lists) filtered by the relation lookup
    `author__followers__id`, which joins users, follows and users again."""
    return await _page(Article.filter(author__followers__id=viewer_id), page, viewer_id)


async def asyncpg_statements(url: str, call: Callable[[ConduitStore], Awaitable[object]]) -> list[tuple[str, list[Any]]]:
    """The statements apps/asyncpg (the Python baseline) sends for `call`, with their parameters."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "asyncpg" / "src"))
    from arena_asyncpg.store import AsyncpgStore, create_store as create_baseline  # noqa: PLC0415

    sent: list[tuple[str, list[Any]]] = []
    baseline = await create_baseline(StoreConfig(database_url=url, pool_max=1))

    async def fetch(self: AsyncpgStore, sql: str, *args: object) -> list[Any]:
        sent.append((sql, list(args)))
        return []

    original = AsyncpgStore._fetch
    AsyncpgStore._fetch = fetch  # type: ignore[method-assign]
    try:
        await call(baseline)
    finally:
        AsyncpgStore._fetch = original  # type: ignore[method-assign]
        await baseline.close()
    return sent


async def measure_feed_readers(connection: asyncpg.Connection, capture: Captured, store: ConduitStore) -> dict[str, Any]:
    """The feed for the first 100 readers who follow someone: average and worst buffers, average ms,
    before (relation lookup), after (followee ids first) and the baseline, each statement planned for
    its values (plan_cache_mode = force_custom_plan, as the buffer guard)."""
    await connection.execute("SET plan_cache_mode = force_custom_plan")
    readers = [row["follower_id"] for row in await connection.fetch(
        "SELECT DISTINCT follower_id FROM follows ORDER BY follower_id LIMIT 100")]
    page = Page(limit=20, offset=0)
    url = os.environ["DATABASE_URL"]
    result: dict[str, Any] = {"endpoint": "GET /api/articles/feed", "readers": len(readers)}
    ways: dict[str, Callable[[int], Awaitable[list[tuple[str, list[Any]]]]]] = {}

    async def tortoise_way(call: Callable[[int], Awaitable[object]], reader: int) -> list[tuple[str, list[Any]]]:
        capture.statements.clear()
        await call(reader)
        return list(capture.statements)

    ways["before"] = lambda reader: tortoise_way(lambda r: feed_by_relation_lookup(page, r), reader)
    ways["after"] = lambda reader: tortoise_way(lambda r: store.list_feed(page, r), reader)
    ways["baseline"] = lambda reader: asyncpg_statements(url, lambda s: s.list_feed(page, reader))
    for label, statements_of in ways.items():
        figures = [await explain(connection, await statements_of(reader)) for reader in readers]
        counts = [len(await statements_of(reader)) for reader in readers[:1]]
        result[label] = {
            "statements": counts[0],
            "dbMs": round(statistics.mean(ms for ms, _ in figures), 1),
            "buffers": round(statistics.mean(buffers for _, buffers in figures)),
            "worstBuffers": max(buffers for _, buffers in figures),
        }
    return result


async def main() -> None:
    url = os.environ["DATABASE_URL"]
    store = await create_store(StoreConfig(database_url=url))
    connection = await asyncpg.connect(url)
    logger = logging.getLogger("tortoise.db_client")
    logger.setLevel(logging.DEBUG)
    capture = Captured()
    logger.addHandler(capture)
    logger.propagate = False

    def page_case(filter: ArticleFilter, viewer: int | None) -> tuple[Callable[[], Awaitable[object]], Callable[[], Awaitable[ArticlePage]]]:
        return (
            lambda: naive_page(filtered(filter), Page(filter.limit, filter.offset), viewer),
            lambda: store.list_articles(filter, viewer),
        )

    cases: list[tuple[str, ArticleFilter, int | None, int]] = [
        ("GET /api/articles?offset=15890", ArticleFilter(limit=20, offset=15890), None, 10),
        ("GET /api/articles?tag=create-49", ArticleFilter(limit=20, offset=0, tag="create-49"), None, 50),
        ("GET /api/articles?tag=author-1", ArticleFilter(limit=20, offset=0, tag="author-1"), None, 20),
        ("GET /api/articles?author=user1", ArticleFilter(limit=20, offset=0, author="user1"), None, 50),
        ("GET /api/articles?favorited=user2", ArticleFilter(limit=20, offset=0, favorited="user2"), None, 50),
        ("GET /api/articles (signed in)", ArticleFilter(limit=20, offset=0), 1, 50),
    ]
    for name, filter, viewer, loops in cases:
        naive, tuned = page_case(filter, viewer)
        print(json.dumps(await measure(name, connection, capture, naive, tuned, loops)))

    feed_page = Page(limit=20, offset=0)
    print(json.dumps(await measure(
        "GET /api/articles/feed",
        connection,
        capture,
        lambda: naive_page(Article.filter(author__followers__id=1), feed_page, 1),
        lambda: store.list_feed(feed_page, 1),
        50,
    )))

    async def tags_as_instances() -> list[str]:
        return [tag.name for tag in await Tag.all().only("name")]

    print(json.dumps(await measure("GET /api/tags", connection, capture, tags_as_instances, store.list_tags, 300)))
    print(json.dumps(await measure_feed_readers(connection, capture, store)))
    await connection.close()
    await store.close()


if __name__ == "__main__":
    asyncio.run(main())
