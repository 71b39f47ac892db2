"""The store against a real, migrated PostgreSQL: every method of the port, and its statements."""

from __future__ import annotations

from collections.abc import Generator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from arena_api.store import (
    ArticleChanges,
    ArticleFilter,
    ConflictError,
    NewArticleRecord,
    NewUserRecord,
    Page,
    UserChanges,
)
from arena_sqlalchemy.store import SqlAlchemyStore


@contextmanager
def statements(store: SqlAlchemyStore) -> Generator[list[str]]:
    """The SQL statements the store sends while the block runs (SQLAlchemy's cursor event)."""
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement)

    engine = store._engine.sync_engine  # pyright: ignore[reportPrivateUsage]  (the test watches the store's own engine)
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def new_user(store: SqlAlchemyStore, name: str) -> int:
    user = await store.create_user(NewUserRecord(username=name, email=f"{name}@Example.com", password_hash="hash"))
    return user.id


async def new_article(store: SqlAlchemyStore, author_id: int, slug: str, tags: list[str] | None = None) -> None:
    await store.create_article(
        author_id,
        NewArticleRecord(slug=slug, title=f"Title {slug}", description="d", body="one two three", reading_minutes=1, tag_list=tags or []),
    )


async def test_users_conflicts_and_credentials(store: SqlAlchemyStore, unique: str) -> None:
    user = await store.create_user(NewUserRecord(username=f"u{unique}", email=f"Mixed{unique}@Example.com", password_hash="h1"))
    assert user.username == f"u{unique}" and user.bio is None and user.image is None

    with pytest.raises(ConflictError) as username_taken:
        await store.create_user(NewUserRecord(username=f"u{unique}", email=f"other{unique}@x.io", password_hash="h"))
    assert username_taken.value.field == "username"
    # Schema v2: emails are unique regardless of case (users_email_lower_key).
    with pytest.raises(ConflictError) as email_taken:
        await store.create_user(NewUserRecord(username=f"v{unique}", email=f"MIXED{unique}@example.COM", password_hash="h"))
    assert email_taken.value.field == "email"

    credentials = await store.find_credentials_by_email(f"mixed{unique}@example.com")
    assert credentials is not None and credentials.id == user.id and credentials.password_hash == "h1"
    assert await store.find_credentials_by_email(f"nobody{unique}@example.com") is None

    updated = await store.update_user(user.id, UserChanges(bio="about me", image="http://img"))
    assert updated is not None and (updated.bio, updated.image, updated.email) == ("about me", "http://img", user.email)
    cleared = await store.update_user(user.id, UserChanges(image=None))
    assert cleared is not None and (cleared.bio, cleared.image) == ("about me", None)
    assert await store.find_user_by_id(user.id) == cleared
    assert await store.update_user(-1, UserChanges(bio="x")) is None

    other = await new_user(store, f"w{unique}")
    with pytest.raises(ConflictError) as rename_taken:
        await store.update_user(other, UserChanges(username=f"u{unique}"))
    assert rename_taken.value.field == "username"


async def test_profiles_follow_and_unfollow(store: SqlAlchemyStore, unique: str) -> None:
    celebrity = await new_user(store, f"c{unique}")
    fan = await new_user(store, f"f{unique}")
    assert celebrity
    profile = await store.get_profile(f"c{unique}", None)
    assert profile is not None and profile.following is False
    followed = await store.follow_user(fan, f"c{unique}")
    assert followed is not None and followed.following is True
    # Idempotent: following twice is not an error.
    assert (await store.follow_user(fan, f"c{unique}")) == followed
    seen = await store.get_profile(f"c{unique}", fan)
    assert seen is not None and seen.following is True
    unfollowed = await store.unfollow_user(fan, f"c{unique}")
    assert unfollowed is not None and unfollowed.following is False
    again = await store.get_profile(f"c{unique}", fan)
    assert again is not None and again.following is False
    assert await store.follow_user(fan, f"nobody{unique}") is None
    assert await store.unfollow_user(fan, f"nobody{unique}") is None
    assert await store.get_profile(f"nobody{unique}", fan) is None


async def test_article_lifecycle(store: SqlAlchemyStore, unique: str) -> None:
    author = await new_user(store, f"a{unique}")
    reader = await new_user(store, f"r{unique}")
    created = await store.create_article(
        author,
        NewArticleRecord(
            slug=f"s-{unique}", title="T", description="D", body="some words", reading_minutes=1, tag_list=[f"b{unique}", f"a{unique}"]
        ),
    )
    assert sorted(created.tag_list) == [f"a{unique}", f"b{unique}"]
    assert (created.body, created.favorited, created.favorites_count, created.author.following) == ("some words", False, 0, False)
    with pytest.raises(ConflictError) as slug_taken:
        await new_article(store, author, f"s-{unique}")
    assert slug_taken.value.field == "slug"

    owner = await store.find_article_owner(f"s-{unique}")
    assert owner is not None and owner.author_id == author
    assert await store.find_article_owner(f"none-{unique}") is None

    favorited = await store.favorite_article(f"s-{unique}", reader)
    assert favorited is not None and (favorited.favorited, favorited.favorites_count) == (True, 1)
    assert (await store.favorite_article(f"s-{unique}", reader)) == favorited  # idempotent
    assert await store.favorite_article(f"none-{unique}", reader) is None

    retitled = await store.update_article(owner.article_id, ArticleChanges(title="T2"), author)
    assert (retitled.title, sorted(retitled.tag_list), retitled.favorites_count) == ("T2", [f"a{unique}", f"b{unique}"], 1)
    assert retitled.updated_at > created.updated_at
    retagged = await store.update_article(
        owner.article_id, ArticleChanges(body="new body", reading_minutes=1, tag_list=[f"c{unique}"]), reader
    )
    assert (retagged.body, retagged.tag_list, retagged.favorited) == ("new body", [f"c{unique}"], True)
    untagged = await store.update_article(owner.article_id, ArticleChanges(tag_list=[]), author)
    assert untagged.tag_list == []

    unfavorited = await store.unfavorite_article(f"s-{unique}", reader)
    assert unfavorited is not None and (unfavorited.favorited, unfavorited.favorites_count) == (False, 0)
    assert f"a{unique}" in await store.list_tags()

    await store.delete_article(owner.article_id)
    assert await store.get_article(f"s-{unique}", None) is None


async def test_lists_filters_and_feed(store: SqlAlchemyStore, unique: str) -> None:
    writer = await new_user(store, f"wr{unique}")
    other = await new_user(store, f"ot{unique}")
    reader = await new_user(store, f"rd{unique}")
    for n in range(5):
        await new_article(store, writer, f"w{n}-{unique}", [f"t{unique}"] if n % 2 == 0 else [])
    await new_article(store, other, f"o-{unique}", [f"t{unique}"])
    await store.favorite_article(f"w1-{unique}", reader)
    await store.follow_user(reader, f"wr{unique}")

    by_author = await store.list_articles(ArticleFilter(limit=2, offset=1, author=f"wr{unique}"), reader)
    assert by_author.articles_count == 5
    assert [a.slug for a in by_author.articles] == [f"w3-{unique}", f"w2-{unique}"]  # newest first
    assert all(a.author.following for a in by_author.articles)

    by_tag = await store.list_articles(ArticleFilter(limit=10, offset=0, tag=f"t{unique}"), None)
    assert [a.slug for a in by_tag.articles] == [f"o-{unique}", f"w4-{unique}", f"w2-{unique}", f"w0-{unique}"]
    assert by_tag.articles_count == 4 and all(a.tag_list == [f"t{unique}"] for a in by_tag.articles)

    both = await store.list_articles(ArticleFilter(limit=10, offset=0, tag=f"t{unique}", author=f"ot{unique}"), None)
    assert [a.slug for a in both.articles] == [f"o-{unique}"]

    favorites = await store.list_articles(ArticleFilter(limit=10, offset=0, favorited=f"rd{unique}"), reader)
    assert [(a.slug, a.favorited, a.favorites_count) for a in favorites.articles] == [(f"w1-{unique}", True, 1)]

    past_the_end = await store.list_articles(ArticleFilter(limit=10, offset=50, author=f"wr{unique}"), None)
    assert (past_the_end.articles, past_the_end.articles_count) == ([], 5)
    nobody = await store.list_articles(ArticleFilter(limit=10, offset=0, author=f"nobody{unique}"), None)
    assert (nobody.articles, nobody.articles_count) == ([], 0)

    feed = await store.list_feed(Page(limit=3, offset=0), reader)
    assert feed.articles_count == 5 and [a.slug for a in feed.articles] == [f"w{n}-{unique}" for n in (4, 3, 2)]
    assert (await store.list_feed(Page(limit=3, offset=0), other)).articles_count == 0


async def test_comments(store: SqlAlchemyStore, unique: str) -> None:
    author = await new_user(store, f"ca{unique}")
    commenter = await new_user(store, f"cc{unique}")
    await new_article(store, author, f"cs-{unique}")
    assert await store.list_comments(f"cs-{unique}", None) == []
    assert await store.list_comments(f"none-{unique}", None) is None
    assert await store.add_comment(f"none-{unique}", commenter, "lost") is None

    first = await store.add_comment(f"cs-{unique}", commenter, "first")
    second = await store.add_comment(f"cs-{unique}", commenter, "second")
    assert first is not None and second is not None
    assert (second.body, second.author.username, second.author.following) == ("second", f"cc{unique}", False)
    await store.follow_user(author, f"cc{unique}")
    listed = await store.list_comments(f"cs-{unique}", author)
    assert listed is not None and [c.id for c in listed] == [second.id, first.id]
    assert all(c.author.following for c in listed)

    owner = await store.find_comment_owner(f"cs-{unique}", first.id)
    assert owner is not None and owner.comment_author_id == commenter
    missing = await store.find_comment_owner(f"cs-{unique}", -1)
    assert missing is not None and missing.comment_author_id is None
    assert await store.find_comment_owner(f"none-{unique}", first.id) is None
    await store.delete_comment(first.id)
    remaining = await store.list_comments(f"cs-{unique}", None)
    assert remaining is not None and [c.id for c in remaining] == [second.id]


async def test_statements_per_request_do_not_grow_with_the_page(store: SqlAlchemyStore, unique: str) -> None:
    """The N+1 guard: a page of 12 costs the statements of a page of 1 (one: the page and the count together)."""
    writer = await new_user(store, f"n{unique}")
    for n in range(12):
        await new_article(store, writer, f"n{n}-{unique}", [f"x{unique}", f"y{unique}"])
    await store.follow_user(writer, f"n{unique}")
    for limit in (1, 12):
        with statements(store) as sent:
            page = await store.list_articles(ArticleFilter(limit=limit, offset=0, author=f"n{unique}"), writer)
        assert len(page.articles) == limit and len(sent) == 1
        with statements(store) as sent:
            feed = await store.list_feed(Page(limit=limit, offset=0), writer)
        assert len(feed.articles) == limit and feed.articles_count == 12 and len(sent) == 1
    with statements(store) as sent:
        await store.get_article(f"n0-{unique}", writer)
        await store.list_tags()
        await store.find_user_by_id(writer)
    assert len(sent) == 3


async def test_single_statements_run_without_a_transaction(store: SqlAlchemyStore, unique: str) -> None:
    """Reads and one-statement writes run in autocommit: no BEGIN/COMMIT round trips."""
    writer = await new_user(store, f"ac{unique}")
    await new_article(store, writer, f"ac-{unique}")
    with statements(store) as sent:
        await store.get_article(f"ac-{unique}", None)
        await store.favorite_article(f"ac-{unique}", writer)
    assert len(sent) == 3  # the read, then INSERT ... ON CONFLICT and the read


async def test_ping(store: SqlAlchemyStore) -> None:
    await store.ping()
