# pyright: reportPrivateUsage=false
# (The naive variant reuses the store's own selections.)
"""Measures the store's list queries on a seeded database: the figures of README "Pitfalls, measured".

    DATABASE_URL=postgres://.../seeded .venv/bin/python scripts/pitfalls.py [--json]

The database is migrated by this app and seeded (`npm run seed -- --database-url <url>`, scale 1),
then VACUUM ANALYZE. For each case, every statement the store sends is captured at the engine
(Piccolo's compiled SQL and its parameters) and run 5 times under EXPLAIN (ANALYZE, BUFFERS) on a
connection of its own: the median execution time, and the plan's shared buffers (hit + read),
summed over the case's statements. App CPU is ``time.process_time()`` over N sequential calls of
the store method, divided by N (median of 3; it includes asyncpg decoding the rows). "naive" is
the same selection with LIMIT/OFFSET on the outer select (no ids first); "pg" is apps/pg's
statement for the same page, run the same way.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from arena_api.store import ArticleFilter, ConduitStore, Page, StoreConfig
from piccolo.querystring import QueryString

from arena_piccolo import db
from arena_piccolo.store import NEWEST_FIRST, _article_columns, create_store
from arena_piccolo.tables import Article, ArticleTag, Favorite, Follow

Captured = list[tuple[str, list[Any]]]
CAPTURED: Captured = []
_original_run = db.ConduitEngine.run_querystring


async def _capturing_run(self: db.ConduitEngine, querystring: QueryString, in_pool: bool = True) -> Any:
    query, args = querystring.compile_string(engine_type=self.engine_type)
    CAPTURED.append((query, list(args)))
    return await _original_run(self, querystring, in_pool)


db.ConduitEngine.run_querystring = _capturing_run  # type: ignore[method-assign]
_original_begin, _original_commit = db.ConduitTransaction.begin, db.ConduitTransaction.commit


async def _capturing_begin(self: db.ConduitTransaction) -> None:
    CAPTURED.append(("BEGIN", []))
    await _original_begin(self)


async def _capturing_commit(self: db.ConduitTransaction) -> None:
    CAPTURED.append(("COMMIT", []))
    await _original_commit(self)


db.ConduitTransaction.begin = _capturing_begin  # type: ignore[method-assign]
db.ConduitTransaction.commit = _capturing_commit  # type: ignore[method-assign]


async def explain(connection: asyncpg.Connection, statements: Captured) -> tuple[float, int]:
    """Median execution ms (summed over statements) and shared buffers of the statements."""
    total_ms = 0.0
    total_buffers = 0
    for query, args in statements:
        runs: list[tuple[float, int]] = []
        for _ in range(5):
            explained = str(await connection.fetchval(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {query}", *args))
            plan = json.loads(explained)[0]
            top = plan["Plan"]
            runs.append((plan["Execution Time"], top["Shared Hit Blocks"] + top["Shared Read Blocks"]))
        total_ms += statistics.median(ms for ms, _ in runs)
        total_buffers += runs[-1][1]
    return total_ms, total_buffers


async def cpu_ms(call: Callable[[], Awaitable[object]], n: int = 30) -> float:
    samples = []
    for _ in range(3):
        start = time.process_time()
        for _ in range(n):
            await call()
        samples.append((time.process_time() - start) * 1000 / n)
    return statistics.median(samples)


async def capture(call: Callable[[], Awaitable[object]]) -> Captured:
    CAPTURED.clear()
    await call()
    return list(CAPTURED)


def naive_page(conditions: list[Any], page: Page, viewer_id: int | None) -> Callable[[], Awaitable[object]]:
    """The page as one select with LIMIT/OFFSET on it, plus the count: what ids-first replaced."""

    async def run() -> object:
        rows = Article.select(*_article_columns(viewer_id, with_content=False)).output(nested=True)
        count = Article.count()
        if conditions:
            rows = rows.where(*conditions)
            count = count.where(*conditions)
        rows = rows.order_by(*NEWEST_FIRST, ascending=False).limit(page.limit).offset(page.offset)
        return await asyncio.gather(rows.run(), count.run())

    return run


PG_PAGE = """SELECT total.count AS total, a.id, a.slug, a.title, a.description, a.created_at, a.updated_at,
  u.username, u.bio, u.image,
  EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1 AND f.followee_id = a.author_id) AS following,
  EXISTS (SELECT 1 FROM favorites fv WHERE fv.user_id = $1 AND fv.article_id = a.id) AS favorited,
  (SELECT count(*)::int FROM favorites fv WHERE fv.article_id = a.id) AS favorites_count,
  ARRAY(SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) AS tag_list
  FROM (SELECT count(*)::int AS count FROM articles a WHERE {where}) total
  LEFT JOIN (SELECT a.* FROM articles a WHERE {where} ORDER BY a.created_at DESC, a.id DESC LIMIT $3 OFFSET $4) a ON true
  LEFT JOIN users u ON u.id = a.author_id ORDER BY a.created_at DESC, a.id DESC"""

PG_WHERE = {
    "all": "($2::text IS NULL OR true)",
    "tag": "a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = $2)",
    "author": "a.author_id = (SELECT id FROM users WHERE username = $2)",
    "favorited": "a.id IN (SELECT fv.article_id FROM favorites fv JOIN users fu ON fu.id = fv.user_id WHERE fu.username = $2)",
    "feed": "a.author_id IN (SELECT followee_id FROM follows WHERE follower_id = $1) AND ($2::text IS NULL OR true)",
}


async def statements_per_endpoint(store: ConduitStore) -> list[tuple[str, int]]:
    """Statements per endpoint: the store calls the HTTP layer makes for each (as apps/pg's README
    counts them: the signed-in user's lookup, owner lookups, BEGIN and COMMIT included)."""
    from arena_api.store import ArticleChanges, NewArticleRecord, NewUserRecord, UserChanges

    name = f"count{int(time.time() * 1000) % 10**9}"
    me = await store.create_user(NewUserRecord(username=name, email=f"{name}@x.io", password_hash="h"))
    other = await store.create_user(NewUserRecord(username=name + "o", email=f"{name}o@x.io", password_hash="h"))
    article = await store.create_article(
        other.id, NewArticleRecord(slug=name, title=name, description="d", body="b", reading_minutes=1, tag_list=["t1"])
    )
    comment = await store.add_comment(article.slug, other.id, "c")
    assert comment is not None
    # Pages with rows (an empty page costs one statement more: its count has no row to ride on).
    await store.follow_user(me.id, other.username)
    await store.favorite_article(article.slug, other.id)
    slug = article.slug
    n = 0

    def fresh(prefix: str) -> str:
        nonlocal n
        n += 1
        return f"{name}-{prefix}{n}"

    async def new_article_of_mine() -> tuple[int, str]:
        made = await store.create_article(
            me.id, NewArticleRecord(slug=fresh("a"), title="t", description="d", body="b", reading_minutes=1)
        )
        owner = await store.find_article_owner(made.slug)
        assert owner is not None
        return owner.article_id, made.slug

    signed_in = lambda: store.find_user_by_id(me.id)  # noqa: E731
    page = ArticleFilter(limit=20, offset=0)
    endpoints: list[tuple[str, Callable[[], Awaitable[object]] | None]] = [
        ("POST /api/users", lambda: store.create_user(NewUserRecord(username=fresh("u"), email=fresh("e") + "@x.io", password_hash="h"))),
        ("POST /api/users/login", lambda: store.find_credentials_by_email(me.email)),
        ("GET /api/user", signed_in),
        ("PUT /api/user", lambda: _seq(signed_in, lambda: store.update_user(me.id, UserChanges(bio="b")))),
        ("GET /api/profiles/:username", lambda: _seq(signed_in, lambda: store.get_profile(other.username, me.id))),
        ("POST /api/profiles/:username/follow", lambda: _seq(signed_in, lambda: store.follow_user(me.id, other.username))),
        ("DELETE /api/profiles/:username/follow", lambda: _seq(signed_in, lambda: store.unfollow_user(me.id, other.username))),
        ("GET /api/articles", lambda: _seq(signed_in, lambda: store.list_articles(page, me.id))),
        ("GET /api/articles?tag=", lambda: _seq(signed_in, lambda: store.list_articles(ArticleFilter(limit=20, offset=0, tag="t1"), me.id))),
        ("GET /api/articles?author=", lambda: _seq(signed_in, lambda: store.list_articles(ArticleFilter(limit=20, offset=0, author=other.username), me.id))),
        ("GET /api/articles?favorited=", lambda: _seq(signed_in, lambda: store.list_articles(ArticleFilter(limit=20, offset=0, favorited=other.username), me.id))),
        ("GET /api/articles?offset=10", lambda: _seq(signed_in, lambda: store.list_articles(ArticleFilter(limit=20, offset=10), me.id))),
        ("GET /api/articles/feed", None),
        ("GET /api/articles/:slug", lambda: _seq(signed_in, lambda: store.get_article(slug, me.id))),
        ("POST /api/articles", lambda: _seq(signed_in, lambda: store.create_article(me.id, NewArticleRecord(slug=fresh("p"), title="t", description="d", body="b", reading_minutes=1, tag_list=["t1", "t2"])))),
        ("PUT /api/articles/:slug", None),
        ("PUT /api/articles/:slug (tagList)", None),
        ("POST /api/articles/:slug/favorite", lambda: _seq(signed_in, lambda: store.favorite_article(slug, me.id))),
        ("DELETE /api/articles/:slug/favorite", lambda: _seq(signed_in, lambda: store.unfavorite_article(slug, me.id))),
        ("GET /api/articles/:slug/comments", lambda: _seq(signed_in, lambda: store.list_comments(slug, me.id))),
        ("POST /api/articles/:slug/comments", lambda: _seq(signed_in, lambda: store.add_comment(slug, me.id, "c"))),
        ("DELETE /api/articles/:slug/comments/:id", None),
        ("DELETE /api/articles/:slug", None),
        ("GET /api/tags", lambda: store.list_tags()),
    ]
    counts: list[tuple[str, int]] = []
    for endpoint, call in endpoints:
        if endpoint == "GET /api/articles/feed":
            await store.follow_user(me.id, other.username)  # followed again after the unfollow above
            call = lambda: _seq(signed_in, lambda: store.list_feed(Page(limit=20, offset=0), me.id))  # noqa: E731
        elif call is None:
            article_id, own_slug = await new_article_of_mine()
            if endpoint == "PUT /api/articles/:slug":
                call = lambda s=own_slug, i=article_id: _seq(signed_in, lambda: store.find_article_owner(s), lambda: store.update_article(i, ArticleChanges(title="x"), me.id))  # noqa: E731
            elif endpoint == "PUT /api/articles/:slug (tagList)":
                call = lambda s=own_slug, i=article_id: _seq(signed_in, lambda: store.find_article_owner(s), lambda: store.update_article(i, ArticleChanges(tag_list=["t3"]), me.id))  # noqa: E731
            elif endpoint == "DELETE /api/articles/:slug":
                call = lambda s=own_slug, i=article_id: _seq(signed_in, lambda: store.find_article_owner(s), lambda: store.delete_article(i))  # noqa: E731
            else:
                mine = await store.add_comment(own_slug, me.id, "mine")
                assert mine is not None
                call = lambda s=own_slug, c=mine.id: _seq(signed_in, lambda: store.find_comment_owner(s, c), lambda: store.delete_comment(c))  # noqa: E731
        counts.append((endpoint, len(await capture(call))))
    return counts


async def _seq(*calls: Callable[[], Awaitable[object]]) -> None:
    for call in calls:
        await call()


async def orm_cpu(store: ConduitStore, url: str) -> list[dict[str, Any]]:
    """What Piccolo costs in CPU: the store method against asyncpg alone running the very
    statements Piccolo sent (prepared and cached by asyncpg the same way), rows left as Records."""
    connection = await asyncpg.connect(url)
    reader = 433
    popular = await connection.fetchval(
        "SELECT a.slug FROM articles a JOIN comments c ON c.article_id = a.id GROUP BY a.id ORDER BY count(*) DESC LIMIT 1"
    )
    cases: list[tuple[str, Callable[[], Awaitable[object]]]] = [
        ("GET /api/articles/:slug, signed in", lambda: store.get_article(popular, reader)),
        ("GET /api/articles (page of 20), signed in", lambda: store.list_articles(ArticleFilter(limit=20, offset=0), reader)),
        ("GET /api/articles/:slug/comments (709), signed in", lambda: store.list_comments(popular, reader)),
        ("GET /api/profiles/:username, signed in", lambda: store.get_profile("user10", reader)),
    ]
    results: list[dict[str, Any]] = []
    for label, call in cases:
        statements = await capture(call)

        async def driver_only(statements: Captured = statements) -> None:
            for query, args in statements:
                await connection.fetch(query, *args)

        results.append(
            {"case": label, "piccoloCpuMs": round(await cpu_ms(call, 50), 2), "asyncpgCpuMs": round(await cpu_ms(driver_only, 50), 2)}
        )
    await connection.close()
    return results


async def main() -> None:
    url = os.environ["DATABASE_URL"]
    if "--orm-cpu" in sys.argv:
        measured = await create_store(StoreConfig(database_url=url))
        for row in await orm_cpu(measured, url):
            print(f"| {row['case']} | {row['piccoloCpuMs']} | {row['asyncpgCpuMs']} |")
        await measured.close()
        return
    if "--statements" in sys.argv:
        counting = await create_store(StoreConfig(database_url=url))
        for endpoint, count in await statements_per_endpoint(counting):
            print(f"| `{endpoint}` | {count} |")
        await counting.close()
        return
    store: ConduitStore = await create_store(StoreConfig(database_url=url))
    connection = await asyncpg.connect(url)
    version = await connection.fetchval("SHOW server_version")
    reader = await connection.fetchval(
        "SELECT follower_id FROM follows GROUP BY 1 ORDER BY count(*) DESC, follower_id LIMIT 1"
    )
    follows = await connection.fetchval("SELECT count(*) FROM follows WHERE follower_id = $1", reader)
    popular = await connection.fetchval(
        "SELECT a.slug FROM articles a JOIN comments c ON c.article_id = a.id GROUP BY a.id ORDER BY count(*) DESC LIMIT 1"
    )

    def conditions(kind: str, value: str | None) -> list[Any]:
        if kind == "tag":
            return [Article.id.is_in(ArticleTag.select(ArticleTag.article).where(ArticleTag.tag._.name == value))]
        if kind == "author":
            return [Article.author._.username == value]
        if kind == "favorited":
            return [Article.id.is_in(Favorite.select(Favorite.article).where(Favorite.user._.username == value))]
        if kind == "feed":
            return [Article.author.is_in(Follow.select(Follow.followee).where(Follow.follower == reader))]
        return []

    cases: list[tuple[str, str, str | None, int, int | None]] = [
        ("?offset=15890&limit=20", "all", None, 15890, None),
        ("first page, anonymous", "all", None, 0, None),
        ("?tag=migration-50", "tag", "migration-50", 0, None),
        ("?tag=author-1", "tag", "author-1", 0, None),
        ("?author=user10", "author", "user10", 0, None),
        ("?favorited=user50", "favorited", "user50", 0, None),
        (f"feed (follows {follows} users)", "feed", None, 0, reader),
    ]
    results: list[dict[str, Any]] = []
    for label, kind, value, offset, viewer in cases:
        page = Page(limit=20, offset=offset)
        if kind == "feed":
            assert viewer is not None
            tuned: Callable[[], Awaitable[object]] = lambda v=viewer, p=page: store.list_feed(p, v)
        else:
            flt = ArticleFilter(
                limit=20,
                offset=offset,
                tag=value if kind == "tag" else None,
                author=value if kind == "author" else None,
                favorited=value if kind == "favorited" else None,
            )
            tuned = lambda f=flt, v=viewer: store.list_articles(f, v)
        naive = naive_page(conditions(kind, value), page, viewer)
        figures: dict[str, Any] = {"case": label}
        for name, call in (("naive", naive), ("tuned", tuned)):
            statements = await capture(call)
            ms, buffers = await explain(connection, statements)
            figures[name] = {"dbMs": round(ms, 2), "buffers": buffers, "appCpuMs": round(await cpu_ms(call), 2)}
        pg_sql = PG_PAGE.format(where=PG_WHERE[kind])
        ms, buffers = await explain(connection, [(pg_sql, [viewer, value, 20, offset])])
        figures["pg"] = {"dbMs": round(ms, 2), "buffers": buffers}
        results.append(figures)

    # The popular article's comments, as a reader who follows others.
    comments = lambda: store.list_comments(popular, reader)
    statements = await capture(comments)
    ms, buffers = await explain(connection, statements)
    results.append(
        {
            "case": f"comments of the popular article ({popular}), reader",
            "tuned": {"dbMs": round(ms, 2), "buffers": buffers, "appCpuMs": round(await cpu_ms(comments, 10), 2)},
            "statements": len(statements),
        }
    )
    article = lambda: store.get_article(popular, reader)
    statements = await capture(article)
    ms, buffers = await explain(connection, statements)
    results.append(
        {
            "case": "GET /api/articles/:slug (popular), reader",
            "tuned": {"dbMs": round(ms, 2), "buffers": buffers, "appCpuMs": round(await cpu_ms(article), 2)},
            "statements": len(statements),
        }
    )
    await connection.close()
    await store.close()

    if "--json" in sys.argv:
        print(json.dumps({"server": f"PostgreSQL {version}", "results": results}, indent=2))
        return
    print(f"PostgreSQL {version}; reader user id {reader} follows {follows}; popular article {popular}")
    for figures in results:
        parts = [figures["case"]]
        for name in ("naive", "tuned", "pg"):
            if name in figures:
                f = figures[name]
                parts.append(f"{name}: {f['dbMs']} ms {f['buffers']} buf" + (f" {f['appCpuMs']} cpu" if "appCpuMs" in f else ""))
        print(" | ".join(parts))


if __name__ == "__main__":
    asyncio.run(main())
