"""The pool settings of StoreConfig, and what SQLAlchemy raises when the database fails."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import exc, text

from arena_api.store import ConflictError, NewArticleRecord, NewUserRecord, StoreConfig
from arena_sqlalchemy.database_errors import recognise
from arena_sqlalchemy.store import SqlAlchemyStore, create_store


async def open_store(url: str, **settings: int) -> SqlAlchemyStore:
    store = await create_store(StoreConfig(database_url=url, **settings))
    assert isinstance(store, SqlAlchemyStore)
    return store


async def test_statement_timeout_and_pool_wait(migrated_url: str) -> None:
    store = await open_store(migrated_url, pool_max=2, statement_timeout_ms=300, connection_timeout_ms=200)
    engine = store._engine  # pyright: ignore[reportPrivateUsage]  (the test reads the store's own engine)
    try:
        async with engine.connect() as connection:
            assert (await connection.execute(text("SHOW statement_timeout"))).scalar_one() == "300ms"
            # PostgreSQL cancels a longer statement: SQLSTATE 57014 on asyncpg's error, the cause of orig.
            with pytest.raises(exc.DBAPIError) as cancelled:
                await connection.execute(text("SELECT pg_sleep(2)"))
            assert getattr(cancelled.value.orig, "sqlstate", None) == "57014"
            assert recognise(cancelled.value) is None  # the SQLSTATE says it: the shared layer reads it
        # Exactly pool_max connections (no overflow): a third checkout waits, then gives up.
        async with engine.connect() as first, engine.connect() as second:
            assert first is not second
            with pytest.raises(exc.TimeoutError) as waited:
                async with engine.connect():
                    pass
            assert recognise(waited.value) == "unavailable"
    finally:
        await store.close()


async def test_connections_closed_by_the_server_fail_one_request_then_recover(migrated_url: str) -> None:
    store = await open_store(migrated_url, pool_max=3)
    admin = await open_store(migrated_url, pool_max=1)
    try:
        user = await store.create_user(NewUserRecord(username="outage", email="outage@x.io", password_hash="h"))
        await asyncio.gather(*(store.find_user_by_id(user.id) for _ in range(3)))  # fill the pool
        async with admin._engine.connect() as connection:  # pyright: ignore[reportPrivateUsage]
            await connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
        with pytest.raises(exc.DBAPIError) as lost:
            await store.find_user_by_id(user.id)
        assert lost.value.connection_invalidated and recognise(lost.value) == "unavailable"
        # The failure invalidated the pool's older connections: the next requests reconnect.
        found = await asyncio.gather(*(store.find_user_by_id(user.id) for _ in range(3)))
        assert all(record == user for record in found)
    finally:
        await store.close()
        await admin.close()


async def test_concurrent_creators_of_the_same_new_tags_all_succeed(store: SqlAlchemyStore, unique: str) -> None:
    author = await store.create_user(NewUserRecord(username=f"t{unique}", email=f"t{unique}@x.io", password_hash="h"))
    tags = [f"{name}-{unique}" for name in ("e", "d", "c", "b", "a")]
    created = await asyncio.gather(
        *(
            store.create_article(
                author.id,
                NewArticleRecord(slug=f"c{n}-{unique}", title="t", description="d", body="b", reading_minutes=1, tag_list=tags),
            )
            for n in range(8)
        )
    )
    assert all(sorted(article.tag_list) == sorted(tags) for article in created)
    with pytest.raises(ConflictError):
        await store.create_article(
            author.id, NewArticleRecord(slug=f"c0-{unique}", title="t", description="d", body="b", reading_minutes=1)
        )
