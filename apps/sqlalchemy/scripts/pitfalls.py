"""Measures the store's list queries against naive SQLAlchemy shapes on a seeded database.

    .venv/bin/python scripts/pitfalls.py --database-url <app db> --baseline-url <apps/pg db>

Both databases migrated by their app and loaded with `npm run seed -- --database-url ...`, then
VACUUM ANALYZE. For each case: the statements a store call sends (SQLAlchemy's cursor event), each
run under EXPLAIN (ANALYZE, BUFFERS) five times (median execution time; shared hit + read summed
over the call's statements), and the app's CPU per call (process time over N calls / N, median of 3).
The baseline runs apps/pg's statement for the same request on its own database.
"""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# pyright: reportPrivateUsage=false
# (asyncpg ships no type information; the measurement reaches into the store for its statements)

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from sqlalchemy import event, func, select
from sqlalchemy.orm import joinedload, selectinload

from arena_api.store import ArticleFilter, Page, StoreConfig
from arena_sqlalchemy import store as store_module
from arena_sqlalchemy.models import Article, Follow
from arena_sqlalchemy.store import SqlAlchemyStore, create_store

BASELINE_ARTICLE_COLUMNS = """
  a.id, a.slug, a.title, a.description, a.content, a.created_at, a.updated_at,
  u.username, u.bio, u.image,
  EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1 AND f.followee_id = a.author_id) AS following,
  EXISTS (SELECT 1 FROM favorites fv WHERE fv.user_id = $1 AND fv.article_id = a.id) AS favorited,
  (SELECT count(*)::int FROM favorites fv WHERE fv.article_id = a.id) AS favorites_count,
  ARRAY(SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) AS tag_list"""


def baseline_page(where: str, n: int) -> str:
    """apps/pg/src/store.ts page(): the page and the count in one statement."""
    return f"""SELECT total.count AS total, {BASELINE_ARTICLE_COLUMNS}
         FROM (SELECT count(*)::int AS count FROM articles a WHERE {where}) total
         LEFT JOIN (
           SELECT a.* FROM articles a WHERE {where}
            ORDER BY a.created_at DESC, a.id DESC LIMIT ${n} OFFSET ${n + 1}
         ) a ON true
         LEFT JOIN users u ON u.id = a.author_id
        ORDER BY a.created_at DESC, a.id DESC"""


BASELINE_FEED = "a.author_id = ANY (ARRAY(SELECT followee_id FROM follows WHERE follower_id = $1))"
BASELINE_FEED_BOUND = """a.created_at >= (SELECT min(x.created_at) FROM (SELECT x.created_at FROM articles x
  WHERE x.author_id = ANY (ARRAY(SELECT followee_id FROM follows WHERE follower_id = $1))
  ORDER BY x.created_at DESC LIMIT $2::bigint + $3::bigint) x)"""

BASELINE_COMMENTS = """SELECT c.id, c.body, c.created_at, c.updated_at, u.username, u.bio, u.image,
  EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1 AND f.followee_id = c.author_id) AS following
  FROM articles a LEFT JOIN comments c ON c.article_id = a.id LEFT JOIN users u ON u.id = c.author_id
  WHERE a.slug = $2 ORDER BY c.created_at DESC, c.id DESC"""


async def explain(connection: asyncpg.Connection, sql: str, params: tuple[Any, ...]) -> tuple[float, int]:
    """Median execution time (ms) of 5 runs and the statement's shared buffers (hit + read)."""
    times: list[float] = []
    buffers = 0
    for _ in range(5):
        plan = json.loads(str(await connection.fetchval(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", *params)))[0]
        times.append(plan["Execution Time"])
        top = plan["Plan"]
        buffers = top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
    return statistics.median(times), buffers


async def measure_call(
    store: SqlAlchemyStore, connection: asyncpg.Connection, call: Callable[[], Awaitable[object]], calls: int
) -> dict[str, float]:
    sent: list[tuple[str, tuple[Any, ...]]] = []

    def record(_c: object, _cur: object, statement: str, parameters: Any, *_rest: object) -> None:
        sent.append((statement, tuple(parameters)))

    engine = store._engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    await call()
    event.remove(engine, "before_cursor_execute", record)
    db_ms = 0.0
    buffers = 0
    for sql, params in sent:
        ms, blocks = await explain(connection, sql, params)
        db_ms += ms
        buffers += blocks
    cpu: list[float] = []
    for _ in range(3):
        # Process time of the client while the server works is near zero: this is the ORM's CPU.
        start = time.process_time()
        for _ in range(calls):
            await call()
        cpu.append((time.process_time() - start) / calls * 1000)
    return {"dbMs": round(db_ms, 2), "buffers": buffers, "appCpuMs": round(statistics.median(cpu), 2), "statements": len(sent)}


async def measure_baseline(connection: asyncpg.Connection, sql: str, params: tuple[Any, ...]) -> dict[str, float]:
    ms, buffers = await explain(connection, sql, params)
    return {"dbMs": round(ms, 2), "buffers": buffers}


def naive_rows_page(filter: ArticleFilter) -> Any:
    """The obvious Row query: the store's columns with LIMIT/OFFSET on the statement itself."""
    conditions = store_module._filter_conditions(filter)
    return (
        select(*store_module.SUMMARY_COLUMNS)
        .join(Article.author)
        .where(*conditions)
        .order_by(*store_module.NEWEST_FIRST)
        .limit(filter.limit)
        .offset(filter.offset)
    )


def ids_first_page(filter: ArticleFilter) -> Any:
    """The store's first tuning: ids paged by an IN subquery, the page re-read by primary key."""
    conditions = store_module._filter_conditions(filter)
    page_ids = select(Article.id).where(*conditions).order_by(*store_module.NEWEST_FIRST).limit(filter.limit).offset(filter.offset)
    return select(*store_module.SUMMARY_COLUMNS).join(Article.author).where(Article.id.in_(page_ids)).order_by(*store_module.NEWEST_FIRST)


def naive_feed() -> Any:
    """The feed's obvious filter, ``author_id.in_(select(followee_id))``, in the store's page shape."""
    followees = select(Follow.followee_id).where(Follow.follower_id == store_module.VIEWER)
    return store_module._page_statement([Article.author_id.in_(followees)])


def naive_entities_page(filter: ArticleFilter) -> Any:
    """The ORM tutorial's shape: entities, joinedload(author), selectinload(tags), flags as columns."""
    conditions = store_module._filter_conditions(filter)
    return (
        select(Article, *store_module.SUMMARY_COLUMNS[8:11])  # following, favorited, favorites_count
        .options(joinedload(Article.author), selectinload(Article.tags))
        .where(*conditions)
        .order_by(*store_module.NEWEST_FIRST)
        .limit(filter.limit)
        .offset(filter.offset)
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--baseline-url", required=True)
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()
    store = await create_store(StoreConfig(database_url=args.database_url))
    assert isinstance(store, SqlAlchemyStore)
    # Custom plans, as the buffer guard forces: EXPLAIN of a cached statement stays planned for its values.
    custom = {"plan_cache_mode": "force_custom_plan"}
    connection = await asyncpg.connect(args.database_url, server_settings=custom)
    baseline = await asyncpg.connect(args.baseline_url, server_settings=custom)
    viewer = 433
    results: dict[str, Any] = {}

    async def filter_params(filter: ArticleFilter) -> dict[str, Any]:
        params: dict[str, Any] = {"viewer_id": viewer}
        for name in ("tag", "author", "favorited"):
            if getattr(filter, name) is not None:
                params[name] = getattr(filter, name)
        return params

    cases = {
        "deep page ?offset=15890": (ArticleFilter(limit=10, offset=15890), "true", ()),
        "?tag=migration-50": (
            ArticleFilter(limit=10, offset=0, tag="migration-50"),
            "a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = $2)",
            ("migration-50",),
        ),
        "?tag=author-1 (popular)": (
            ArticleFilter(limit=10, offset=0, tag="author-1"),
            "a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = $2)",
            ("author-1",),
        ),
        "?author=user682": (
            ArticleFilter(limit=10, offset=0, author="user682"),
            "a.author_id = (SELECT id FROM users WHERE username = $2)",
            ("user682",),
        ),
    }
    for name, (filter, where, values) in cases.items():
        n = len(values) + 2
        entry: dict[str, Any] = {
            "tuned": await measure_call(store, connection, lambda f=filter: store.list_articles(f, viewer), args.calls),
            "baseline": await measure_baseline(baseline, baseline_page(where, n), (viewer, *values, filter.limit, filter.offset)),
        }
        params = await filter_params(filter)
        for label, build in (("naiveRows", naive_rows_page), ("naiveEntities", naive_entities_page), ("idsFirst", ids_first_page)):
            statement = build(filter)

            async def naive(statement: Any = statement, params: dict[str, Any] = params, label: str = label) -> None:
                async with store._sessions() as session:
                    result = await session.execute(statement, params)
                    if label == "naiveEntities":
                        result.unique().all()
                    else:
                        result.all()
                    await session.execute(select(func.count()).select_from(Article).where(*store_module._filter_conditions(filter)), params)

            entry[label] = await measure_call(store, connection, naive, args.calls)
        results[name] = entry
    reader = await connection.fetchval("SELECT follower_id FROM follows GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
    feed_page = Page(limit=20, offset=0)
    feed_params = {"viewer_id": reader, "limit": 20, "offset": 0}

    async def feed_in() -> None:
        async with store._sessions() as session:
            (await session.execute(naive_feed(), feed_params)).all()

    results[f"feed of the reader with most follows ({reader})"] = {
        "tuned": await measure_call(store, connection, lambda: store.list_feed(feed_page, reader), args.calls),
        "naiveIn": await measure_call(store, connection, feed_in, args.calls),
        "baseline": await measure_baseline(
            baseline, baseline_page(f"{BASELINE_FEED} AND {BASELINE_FEED_BOUND}", 2).replace(
                f"FROM articles a WHERE {BASELINE_FEED} AND {BASELINE_FEED_BOUND}) total",
                f"FROM articles a WHERE {BASELINE_FEED}) total",
            ),
            (reader, 20, 0),
        ),
    }
    popular = "offset-active-migration-count-20000-bffk"
    results["comments of the popular article"] = {
        "tuned": await measure_call(store, connection, lambda: store.list_comments(popular, viewer), args.calls),
        "baseline": await measure_baseline(baseline, BASELINE_COMMENTS, (viewer, popular)),
    }
    results["article by slug"] = {
        "tuned": await measure_call(store, connection, lambda: store.get_article(popular, viewer), args.calls * 5),
    }
    async def in_transaction() -> None:
        # The default session: autobegin, so BEGIN and ROLLBACK travel around the one SELECT.
        async with store._transactions() as session:
            (await session.execute(store_module.ARTICLE_BY_SLUG, {"slug": popular, "viewer_id": viewer})).first()

    results["article by slug, default session (BEGIN ... ROLLBACK)"] = {
        "tuned": await measure_call(store, connection, in_transaction, args.calls * 5),
    }
    for label, call in (("autocommit", lambda: store.get_article(popular, viewer)), ("transaction", in_transaction)):
        walls: list[float] = []
        for _ in range(3):
            start = time.perf_counter()
            for _ in range(200):
                await call()
            walls.append((time.perf_counter() - start) / 200 * 1000)
        results[f"article by slug wall ms ({label})"] = round(statistics.median(walls), 3)
    # What SQLAlchemy costs in CPU: the same statements through asyncpg alone (prepared, records
    # built from asyncpg's Records), for the calls the bench makes most.
    async def cpu_of(call: Callable[[], Awaitable[object]], calls: int) -> float:
        samples: list[float] = []
        for _ in range(3):
            start = time.process_time()
            for _ in range(calls):
                await call()
            samples.append((time.process_time() - start) / calls * 1000)
        return round(statistics.median(samples), 3)

    raw_calls: dict[str, tuple[Callable[[], Awaitable[object]], Callable[[], Awaitable[object]]]] = {}
    for label, call in (
        ("article by slug", lambda: store.get_article(popular, viewer)),
        ("first page of 20", lambda: store.list_articles(ArticleFilter(limit=20, offset=0), viewer)),
        ("comments of the popular article", lambda: store.list_comments(popular, viewer)),
    ):
        sent: list[tuple[str, tuple[Any, ...]]] = []

        def record(_c: object, _cur: object, statement: str, parameters: Any, *_rest: object) -> None:
            sent.append((statement, tuple(parameters)))

        event.listen(store._engine.sync_engine, "before_cursor_execute", record)
        await call()
        event.remove(store._engine.sync_engine, "before_cursor_execute", record)
        prepared = [(await connection.prepare(sql), params) for sql, params in sent]

        async def raw(prepared: list[tuple[Any, tuple[Any, ...]]] = prepared) -> None:
            for statement, params in prepared:
                rows = await statement.fetch(*params)
                [dict(row) for row in rows]

        raw_calls[label] = (call, raw)
    for label, (through_store, alone) in raw_calls.items():
        calls = 5 if label.startswith("comments") else args.calls * 5
        results[f"app CPU ms, {label}"] = {
            "sqlalchemy": await cpu_of(through_store, calls),
            "asyncpg alone": await cpu_of(alone, calls),
        }
    results["server"] = await connection.fetchval("SHOW server_version")
    print(json.dumps(results, indent=2))
    await connection.close()
    await baseline.close()
    await store.close()


if __name__ == "__main__":
    asyncio.run(main())
