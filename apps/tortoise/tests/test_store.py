"""The Tortoise store against real PostgreSQL: every method of the port, its conflicts, and the
statement shape of list pages (no statement per row)."""

from __future__ import annotations

import asyncio
import contextvars
import uuid

import pytest
from arena_api.store import (
    ArticleChanges,
    ArticleFilter,
    ConduitStore,
    ConflictError,
    NewArticleRecord,
    NewUserRecord,
    Page,
    UserChanges,
    UserRecord,
)

from .conftest import StatementLog


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


async def _user(store: ConduitStore, name: str | None = None) -> UserRecord:
    username = name or _unique("user")
    return await store.create_user(NewUserRecord(username=username, email=f"{username}@example.com", password_hash="h"))


def _article(tags: list[str] | None = None, body: str = "one two three") -> NewArticleRecord:
    slug = _unique("slug")
    return NewArticleRecord(
        slug=slug, title=f"Title {slug}", description="d", body=body, reading_minutes=1, tag_list=tags or []
    )


async def test_users_create_find_and_update(store: ConduitStore) -> None:
    user = await _user(store)
    assert await store.find_user_by_id(user.id) == user
    credentials = await store.find_credentials_by_email(user.email.upper())
    assert credentials is not None and credentials.id == user.id and credentials.password_hash == "h"
    assert await store.find_credentials_by_email("nobody@example.com") is None
    assert await store.find_user_by_id(-1) is None

    updated = await store.update_user(user.id, UserChanges(bio="hello", image="https://i.example/a.png"))
    assert updated is not None and (updated.bio, updated.image, updated.username) == ("hello", "https://i.example/a.png", user.username)
    cleared = await store.update_user(user.id, UserChanges(bio=None))
    assert cleared is not None and cleared.bio is None and cleared.image == "https://i.example/a.png"
    assert await store.update_user(-1, UserChanges(bio="x")) is None


async def test_unique_violations_are_conflicts_by_constraint_name(store: ConduitStore) -> None:
    user = await _user(store)
    with pytest.raises(ConflictError) as username_taken:
        await store.create_user(NewUserRecord(username=user.username, email=_unique("e") + "@x.org", password_hash="h"))
    assert username_taken.value.field == "username"
    # Schema v2: unique regardless of case, through the users_email_lower_key index.
    with pytest.raises(ConflictError) as email_taken:
        await store.create_user(NewUserRecord(username=_unique("u"), email=user.email.upper(), password_hash="h"))
    assert email_taken.value.field == "email"
    other = await _user(store)
    with pytest.raises(ConflictError) as update_taken:
        await store.update_user(other.id, UserChanges(username=user.username))
    assert update_taken.value.field == "username"

    author = await _user(store)
    article = _article()
    await store.create_article(author.id, article)
    with pytest.raises(ConflictError) as slug_taken:
        await store.create_article(author.id, article)
    assert slug_taken.value.field == "slug"


async def test_profiles_follow_and_unfollow_idempotently(store: ConduitStore) -> None:
    viewer, target = await _user(store), await _user(store)
    profile = await store.get_profile(target.username, viewer.id)
    assert profile is not None and profile.following is False
    assert await store.get_profile(_unique("nobody"), viewer.id) is None

    followed = await store.follow_user(viewer.id, target.username)
    assert followed is not None and followed.following
    again = await store.follow_user(viewer.id, target.username)
    assert again is not None and again.following
    seen = await store.get_profile(target.username, viewer.id)
    assert seen is not None and seen.following
    anonymous = await store.get_profile(target.username, None)
    assert anonymous is not None and not anonymous.following

    unfollowed = await store.unfollow_user(viewer.id, target.username)
    assert unfollowed is not None and not unfollowed.following
    after = await store.get_profile(target.username, viewer.id)
    assert after is not None and not after.following
    assert await store.follow_user(viewer.id, _unique("nobody")) is None


async def test_concurrent_follows_of_one_pair_all_succeed(store: ConduitStore) -> None:
    # Tortoise's add() selects, then inserts: concurrent calls race into the primary key.
    viewer, target = await _user(store), await _user(store)
    results = await asyncio.gather(*(store.follow_user(viewer.id, target.username) for _ in range(4)))
    assert all(result is not None and result.following for result in results)


async def test_articles_create_get_update_delete(store: ConduitStore) -> None:
    author = await _user(store)
    tag_a, tag_b, tag_c = _unique("tag"), _unique("tag"), _unique("tag")
    new = _article([tag_a, tag_b], body="content words here")
    created = await store.create_article(author.id, new)
    assert (created.slug, created.body, sorted(created.tag_list)) == (new.slug, "content words here", sorted([tag_a, tag_b]))
    assert created.favorites_count == 0 and not created.favorited and not created.author.following
    assert created.author.username == author.username
    assert created.created_at.tzinfo is not None

    fetched = await store.get_article(new.slug, None)
    assert fetched == created
    assert await store.get_article(_unique("missing"), None) is None

    owner = await store.find_article_owner(new.slug)
    assert owner is not None and owner.author_id == author.id
    assert await store.find_article_owner(_unique("missing")) is None

    changed = await store.update_article(
        owner.article_id, ArticleChanges(title="New title", body="b " * 401, reading_minutes=3), author.id
    )
    assert (changed.title, changed.body, sorted(changed.tag_list)) == ("New title", "b " * 401, sorted([tag_a, tag_b]))
    assert changed.updated_at >= created.updated_at

    retagged = await store.update_article(owner.article_id, ArticleChanges(tag_list=[tag_b, tag_c]), author.id)
    assert sorted(retagged.tag_list) == sorted([tag_b, tag_c])
    untagged = await store.update_article(owner.article_id, ArticleChanges(tag_list=[]), author.id)
    assert untagged.tag_list == []
    assert {tag_a, tag_b, tag_c} <= set(await store.list_tags())

    await store.add_comment(new.slug, author.id, "gone with the article")
    await store.favorite_article(new.slug, author.id)
    await store.delete_article(owner.article_id)
    assert await store.get_article(new.slug, None) is None
    assert await store.list_comments(new.slug, None) is None


async def test_favorites_count_and_favorited(store: ConduitStore) -> None:
    author, fan, other = await _user(store), await _user(store), await _user(store)
    new = _article()
    await store.create_article(author.id, new)
    favorited = await store.favorite_article(new.slug, fan.id)
    assert favorited is not None and favorited.favorited and favorited.favorites_count == 1
    again = await store.favorite_article(new.slug, fan.id)
    assert again is not None and again.favorites_count == 1
    await store.favorite_article(new.slug, other.id)
    seen = await store.get_article(new.slug, author.id)
    assert seen is not None and seen.favorites_count == 2 and not seen.favorited
    unfavorited = await store.unfavorite_article(new.slug, fan.id)
    assert unfavorited is not None and not unfavorited.favorited and unfavorited.favorites_count == 1
    assert await store.favorite_article(_unique("missing"), fan.id) is None
    assert await store.unfavorite_article(_unique("missing"), fan.id) is None


async def test_lists_filter_order_count_and_personalise(store: ConduitStore) -> None:
    author, fan, reader = await _user(store), await _user(store), await _user(store)
    tag = _unique("tag")
    slugs = []
    for index in range(5):
        new = _article([tag] if index % 2 == 0 else [])
        slugs.append(new.slug)
        await store.create_article(author.id, new)
    await store.favorite_article(slugs[1], fan.id)
    await store.favorite_article(slugs[4], fan.id)
    await store.follow_user(reader.id, author.username)

    by_author = await store.list_articles(ArticleFilter(limit=3, offset=0, author=author.username), reader.id)
    assert by_author.articles_count == 5
    assert [a.slug for a in by_author.articles] == [slugs[4], slugs[3], slugs[2]]
    assert all(a.author.following for a in by_author.articles)
    second = await store.list_articles(ArticleFilter(limit=3, offset=3, author=author.username), None)
    assert [a.slug for a in second.articles] == [slugs[1], slugs[0]] and second.articles_count == 5
    beyond = await store.list_articles(ArticleFilter(limit=3, offset=10, author=author.username), None)
    assert beyond.articles == [] and beyond.articles_count == 5

    tagged = await store.list_articles(ArticleFilter(limit=20, offset=0, tag=tag), None)
    assert [a.slug for a in tagged.articles] == [slugs[4], slugs[2], slugs[0]] and tagged.articles_count == 3
    assert all(a.tag_list == [tag] for a in tagged.articles)

    favorites = await store.list_articles(ArticleFilter(limit=20, offset=0, favorited=fan.username), fan.id)
    assert [a.slug for a in favorites.articles] == [slugs[4], slugs[1]]
    assert all(a.favorited and a.favorites_count == 1 for a in favorites.articles)
    both = await store.list_articles(ArticleFilter(limit=20, offset=0, tag=tag, favorited=fan.username), None)
    assert [a.slug for a in both.articles] == [slugs[4]] and both.articles_count == 1
    nobody = await store.list_articles(ArticleFilter(limit=20, offset=0, author=_unique("nobody")), None)
    assert nobody.articles == [] and nobody.articles_count == 0

    feed = await store.list_feed(Page(limit=2, offset=0), reader.id)
    assert [a.slug for a in feed.articles] == [slugs[4], slugs[3]] and feed.articles_count == 5
    empty_feed = await store.list_feed(Page(limit=2, offset=0), author.id)
    assert empty_feed.articles_count == 0


async def test_comments(store: ConduitStore) -> None:
    author, commenter, reader = await _user(store), await _user(store), await _user(store)
    new = _article()
    await store.create_article(author.id, new)
    assert await store.list_comments(new.slug, None) == []
    first = await store.add_comment(new.slug, commenter.id, "first")
    second = await store.add_comment(new.slug, commenter.id, "second")
    assert first is not None and second is not None
    assert (first.body, first.author.username, first.author.following) == ("first", commenter.username, False)
    assert await store.add_comment(_unique("missing"), commenter.id, "x") is None

    await store.follow_user(reader.id, commenter.username)
    listed = await store.list_comments(new.slug, reader.id)
    assert listed is not None and [c.id for c in listed] == [second.id, first.id]
    assert all(c.author.following for c in listed)

    owner = await store.find_comment_owner(new.slug, first.id)
    assert owner is not None and owner.comment_author_id == commenter.id
    missing = await store.find_comment_owner(new.slug, -1)
    assert missing is not None and missing.comment_author_id is None
    assert await store.find_comment_owner(_unique("missing"), first.id) is None

    await store.delete_comment(first.id)
    remaining = await store.list_comments(new.slug, None)
    assert remaining is not None and [c.id for c in remaining] == [second.id]


async def test_a_page_costs_the_same_statements_for_one_article_as_for_twenty(
    store: ConduitStore, statements: StatementLog
) -> None:
    author, viewer = await _user(store), await _user(store)
    for _ in range(20):
        await store.create_article(author.id, _article([_unique("tag")]))
    statements.statements.clear()
    one = await store.list_articles(ArticleFilter(limit=1, offset=0, author=author.username), viewer.id)
    for_one = len(statements.statements)
    statements.statements.clear()
    twenty = await store.list_articles(ArticleFilter(limit=20, offset=0, author=author.username), viewer.id)
    assert (len(one.articles), len(twenty.articles)) == (1, 20)
    assert len(statements.statements) == for_one == 7  # count, ids, rows, favorite counts, tags, favorited, following


async def test_a_deep_page_pages_ids_only(store: ConduitStore, statements: StatementLog) -> None:
    author = await _user(store)
    for _ in range(3):
        await store.create_article(author.id, _article())
    statements.statements.clear()
    page = await store.list_articles(ArticleFilter(limit=1, offset=2, author=author.username), None)
    assert len(page.articles) == 1
    paged = [sql for sql in statements.statements if "OFFSET" in sql]
    # The one statement with OFFSET selects ids alone: no counts, joins to favorites or tags per skipped row.
    assert len(paged) == 1 and paged[0].startswith('SELECT "articles"."id" "0" FROM "articles"')
    assert "favorites" not in paged[0] and "COUNT" not in paged[0]


async def test_tags_and_ping(store: ConduitStore) -> None:
    author = await _user(store)
    tag = _unique("tag")
    await store.create_article(author.id, _article([tag]))
    await store.create_article(author.id, _article([tag]))
    tags = await store.list_tags()
    assert tags.count(tag) == 1
    await store.ping()


async def test_the_store_serves_tasks_that_did_not_create_it(store: ConduitStore) -> None:
    # A server opens the store in its startup task and serves each request in a task of its own,
    # started from a context that never saw Tortoise.init.
    user = await _user(store)
    found = await asyncio.create_task(store.find_user_by_id(user.id), context=contextvars.Context())
    assert found == user
