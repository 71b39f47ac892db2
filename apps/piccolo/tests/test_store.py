"""The Piccolo store against a real, migrated PostgreSQL: every port method, with its edge cases."""

from __future__ import annotations

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


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


async def new_user(store: ConduitStore, name: str | None = None) -> UserRecord:
    username = name or unique("user")
    return await store.create_user(NewUserRecord(username=username, email=f"{username}@example.com", password_hash="h"))


async def new_article(store: ConduitStore, author: UserRecord, tags: list[str] | None = None, body: str = "b"):
    slug = unique("slug")
    return await store.create_article(
        author.id,
        NewArticleRecord(slug=slug, title=slug, description="d", body=body, reading_minutes=1, tag_list=tags or []),
    )


# --- Users -------------------------------------------------------------------------------------


async def test_users_are_created_found_and_updated(store: ConduitStore) -> None:
    user = await new_user(store)
    assert (await store.find_user_by_id(user.id)) == user
    credentials = await store.find_credentials_by_email(user.email.upper())
    assert credentials is not None and credentials.password_hash == "h" and credentials.id == user.id
    assert await store.find_credentials_by_email("nobody@example.com") is None
    assert await store.find_user_by_id(-1) is None

    updated = await store.update_user(user.id, UserChanges(bio="hello", image="i.png"))
    assert updated is not None and (updated.bio, updated.image, updated.username) == ("hello", "i.png", user.username)
    cleared = await store.update_user(user.id, UserChanges(bio=None))
    assert cleared is not None and (cleared.bio, cleared.image) == (None, "i.png")
    assert await store.update_user(-1, UserChanges(bio="x")) is None


async def test_unique_violations_are_conflicts_by_field(store: ConduitStore) -> None:
    user = await new_user(store)
    with pytest.raises(ConflictError) as taken:
        await store.create_user(NewUserRecord(username=user.username, email=unique("e") + "@x.io", password_hash="h"))
    assert taken.value.field == "username"
    with pytest.raises(ConflictError) as email:
        # Schema v2: emails are unique regardless of case (users_email_lower_key).
        await store.create_user(NewUserRecord(username=unique("u"), email=user.email.upper(), password_hash="h"))
    assert email.value.field == "email"
    other = await new_user(store)
    with pytest.raises(ConflictError) as renamed:
        await store.update_user(other.id, UserChanges(username=user.username))
    assert renamed.value.field == "username"
    article = await new_article(store, user)
    with pytest.raises(ConflictError) as slug:
        await store.create_article(
            user.id, NewArticleRecord(slug=article.slug, title="t", description="d", body="b", reading_minutes=1)
        )
    assert slug.value.field == "slug"


# --- Profiles ----------------------------------------------------------------------------------


async def test_follow_and_unfollow_are_idempotent(store: ConduitStore) -> None:
    fan, star = await new_user(store), await new_user(store)
    assert (await store.get_profile(star.username, None)).following is False  # type: ignore[union-attr]
    for _ in range(2):
        followed = await store.follow_user(fan.id, star.username)
        assert followed is not None and followed.following is True
    assert (await store.get_profile(star.username, fan.id)).following is True  # type: ignore[union-attr]
    assert (await store.get_profile(fan.username, star.id)).following is False  # type: ignore[union-attr]
    for _ in range(2):
        unfollowed = await store.unfollow_user(fan.id, star.username)
        assert unfollowed is not None and unfollowed.following is False
    assert (await store.get_profile(star.username, fan.id)).following is False  # type: ignore[union-attr]
    assert await store.get_profile("nobody-" + unique("x"), None) is None
    assert await store.follow_user(fan.id, unique("nobody")) is None
    assert await store.unfollow_user(fan.id, unique("nobody")) is None


# --- Articles ----------------------------------------------------------------------------------


async def test_an_article_is_created_read_updated_and_deleted(store: ConduitStore) -> None:
    author, reader = await new_user(store), await new_user(store)
    tag = unique("tag")
    created = await new_article(store, author, tags=[tag, "shared-tag"], body="the body")
    assert sorted(created.tag_list) == sorted([tag, "shared-tag"])
    assert (created.body, created.favorites_count, created.favorited) == ("the body", 0, False)
    assert created.updated_at == created.created_at
    assert created.author.username == author.username and created.author.following is False

    await store.follow_user(reader.id, author.username)
    seen = await store.get_article(created.slug, reader.id)
    assert seen is not None and seen.author.following is True and seen.favorited is False

    owner = await store.find_article_owner(created.slug)
    assert owner is not None and owner.author_id == author.id
    assert await store.find_article_owner(unique("none")) is None

    updated = await store.update_article(
        owner.article_id, ArticleChanges(title="new title", body="new body", reading_minutes=2), author.id
    )
    assert (updated.title, updated.body, sorted(updated.tag_list)) == ("new title", "new body", sorted(created.tag_list))
    assert updated.updated_at > created.updated_at
    retagged = await store.update_article(owner.article_id, ArticleChanges(tag_list=["shared-tag"]), author.id)
    assert retagged.tag_list == ["shared-tag"] and retagged.title == "new title"
    untagged = await store.update_article(owner.article_id, ArticleChanges(tag_list=[]), author.id)
    assert untagged.tag_list == []

    await store.add_comment(created.slug, reader.id, "a comment")
    await store.favorite_article(created.slug, reader.id)
    await store.delete_article(owner.article_id)
    assert await store.get_article(created.slug, None) is None
    assert await store.list_comments(created.slug, None) is None


async def test_lists_filter_page_and_count(store: ConduitStore) -> None:
    author, fan, other = await new_user(store), await new_user(store), await new_user(store)
    tag = unique("tag")
    slugs = [(await new_article(store, author, tags=[tag])).slug for _ in range(5)]
    await new_article(store, other)
    newest_first = list(reversed(slugs))

    by_author = await store.list_articles(ArticleFilter(limit=2, offset=1, author=author.username), None)
    assert by_author.articles_count == 5
    assert [a.slug for a in by_author.articles] == newest_first[1:3]

    by_tag = await store.list_articles(ArticleFilter(limit=20, offset=0, tag=tag), None)
    assert [a.slug for a in by_tag.articles] == newest_first and by_tag.articles_count == 5
    assert all(a.tag_list == [tag] for a in by_tag.articles)

    await store.favorite_article(slugs[0], fan.id)
    await store.favorite_article(slugs[0], fan.id)  # idempotent
    await store.favorite_article(slugs[0], other.id)
    favorited = await store.list_articles(ArticleFilter(limit=20, offset=0, favorited=fan.username), fan.id)
    assert [(a.slug, a.favorited, a.favorites_count) for a in favorited.articles] == [(slugs[0], True, 2)]
    both = await store.list_articles(ArticleFilter(limit=20, offset=0, tag=tag, favorited=other.username), None)
    assert [a.slug for a in both.articles] == [slugs[0]] and both.articles[0].favorited is False

    unfavorited = await store.unfavorite_article(slugs[0], fan.id)
    assert unfavorited is not None and (unfavorited.favorited, unfavorited.favorites_count) == (False, 1)
    assert await store.favorite_article(unique("none"), fan.id) is None
    assert await store.unfavorite_article(unique("none"), fan.id) is None

    empty = await store.list_articles(ArticleFilter(limit=20, offset=0, author=unique("nobody")), None)
    assert (empty.articles, empty.articles_count) == ([], 0)
    past_the_end = await store.list_articles(ArticleFilter(limit=20, offset=50, author=author.username), None)
    assert (past_the_end.articles, past_the_end.articles_count) == ([], 5)

    everything = await store.list_articles(ArticleFilter(limit=3, offset=0), None)
    assert everything.articles_count >= 6 and len(everything.articles) == 3
    dates = [a.created_at for a in everything.articles]
    assert dates == sorted(dates, reverse=True)


async def test_the_feed_holds_followed_authors_articles(store: ConduitStore) -> None:
    reader, followed, ignored = await new_user(store), await new_user(store), await new_user(store)
    await store.follow_user(reader.id, followed.username)
    mine = [(await new_article(store, followed)).slug for _ in range(3)]
    await new_article(store, ignored)
    feed = await store.list_feed(Page(limit=2, offset=0), reader.id)
    assert feed.articles_count == 3
    assert [a.slug for a in feed.articles] == list(reversed(mine))[:2]
    assert all(a.author.following for a in feed.articles)
    assert (await store.list_feed(Page(limit=20, offset=0), ignored.id)).articles_count == 0


# --- Comments ----------------------------------------------------------------------------------


async def test_comments_are_listed_newest_first_with_owners(store: ConduitStore) -> None:
    author, reader = await new_user(store), await new_user(store)
    article = await new_article(store, author)
    assert await store.list_comments(article.slug, None) == []
    first = await store.add_comment(article.slug, reader.id, "first")
    second = await store.add_comment(article.slug, author.id, "second")
    assert first is not None and second is not None and first.author.username == reader.username
    assert first.updated_at == first.created_at
    assert await store.add_comment(unique("none"), reader.id, "x") is None

    await store.follow_user(reader.id, author.username)
    comments = await store.list_comments(article.slug, reader.id)
    assert comments is not None
    assert [(c.body, c.author.following) for c in comments] == [("second", True), ("first", False)]

    owner = await store.find_comment_owner(article.slug, first.id)
    assert owner is not None and owner.comment_author_id == reader.id
    missing = await store.find_comment_owner(article.slug, -1)
    assert missing is not None and missing.comment_author_id is None and missing.article_id == owner.article_id
    assert await store.find_comment_owner(unique("none"), first.id) is None

    await store.delete_comment(first.id)
    remaining = await store.list_comments(article.slug, None)
    assert remaining is not None and [c.body for c in remaining] == ["second"]


# --- Tags and lifecycle ------------------------------------------------------------------------


async def test_tags_are_listed_once_each(store: ConduitStore) -> None:
    author = await new_user(store)
    tag = unique("tag")
    await new_article(store, author, tags=[tag])
    await new_article(store, author, tags=[tag])
    tags = await store.list_tags()
    assert tags.count(tag) == 1
    await store.ping()


async def test_requests_build_no_table_classes(store: ConduitStore) -> None:
    """Piccolo registers every Table class it creates, forever; a request must not create any."""
    import piccolo.table

    author, reader = await new_user(store), await new_user(store)
    article = await new_article(store, author, tags=[unique("tag")])
    before = len(piccolo.table.TABLE_REGISTRY)
    for _ in range(3):
        await store.get_article(article.slug, reader.id)
        await store.list_articles(ArticleFilter(limit=5, offset=0), reader.id)
        await store.list_comments(article.slug, reader.id)
        await store.get_profile(author.username, reader.id)
    assert len(piccolo.table.TABLE_REGISTRY) == before


async def test_the_feed_pages_past_its_oldest_reachable_date(store: ConduitStore) -> None:
    # The page's ids are bounded below by the followees' (offset + limit)th newest date: deep
    # pages, a page reaching past the last article and a page past the end must all stay right.
    reader, first, second, ignored = [await new_user(store) for _ in range(4)]
    await store.follow_user(reader.id, first.username)
    await store.follow_user(reader.id, second.username)
    newest_first: list[str] = []
    for author in (first, ignored, second, first, ignored, second, first):
        slug = (await new_article(store, author)).slug
        if author is not ignored:
            newest_first.insert(0, slug)
    for offset, limit in ((0, 2), (2, 2), (3, 2), (4, 5), (5, 1), (9, 3)):
        feed = await store.list_feed(Page(limit=limit, offset=offset), reader.id)
        assert feed.articles_count == 5
        assert [a.slug for a in feed.articles] == newest_first[offset : offset + limit]
