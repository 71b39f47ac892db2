"""ConduitStore over Tortoise ORM: the port's use cases in Tortoise's QuerySet API.

How an experienced Tortoise user ships it, following Tortoise's own performance advice:
- rows that are only serialised are read with ``.values()`` / ``.values_list()`` (no model
  instances), joined to their author through ``author__...`` lookups in the same statement;
- list pages go ids first: the page's ids (``values_list("id")`` with the filters, order, offset
  and limit) and the count, then everything a response needs for those ids only, so a deep page
  never computes counts or tags for the rows it skips;
- favorite counts, tags, ``favorited`` and ``following`` of a page are one statement each for the
  whole page (the same work as ``prefetch_related``, without instances); counts, ``favorited`` and
  ``following`` read the join tables through the read models ``FavoriteRow`` / ``FollowRow``,
  because a lookup through a ManyToManyField always joins the far table too;
- following and favoriting insert the link with ``bulk_create(..., ignore_conflicts=True)`` on the
  read models (``INSERT ... ON CONFLICT DO NOTHING``: idempotent and race-free in one statement,
  where a relation manager's ``add()`` selects, then inserts); removing and replacing links goes
  through the relation managers (``.remove`` / ``.clear`` / ``.add``) on instances made with
  ``Model.construct(_saved_in_db=True, id=...)`` where only the id is known;
- multi-table writes run in ``in_transaction()``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import asyncpg
from arena_api.store import (
    ArticleChanges,
    ArticleFilter,
    ArticleOwner,
    ArticlePage,
    ArticleRecord,
    ArticleSummaryRecord,
    CommentOwner,
    CommentRecord,
    ConduitStore,
    ConflictError,
    NewArticleRecord,
    NewUserRecord,
    Page,
    ProfileRecord,
    StoreConfig,
    UserChanges,
    UserCredentials,
    UNSET,
    UserRecord,
    conflict_field_of,
)
from tortoise import Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Subquery
from tortoise.functions import Count, Lower
from tortoise.queryset import QuerySet, ValuesListQuery, ValuesQuery
from tortoise.transactions import in_transaction

from arena_tortoise.db import tortoise_config
from arena_tortoise.models import Article, ArticleTagRow, Comment, FavoriteRow, FollowRow, Tag, User

USER_FIELDS = ("id", "email", "username", "bio", "image")
AUTHOR_FIELDS = ("author_id", "author__username", "author__bio", "author__image")
SUMMARY_FIELDS = ("id", "slug", "title", "description", "created_at", "updated_at", *AUTHOR_FIELDS)
COMMENT_FIELDS = ("id", "body", "created_at", "updated_at", *AUTHOR_FIELDS)

Row = dict[str, Any]


async def create_store(config: StoreConfig) -> ConduitStore:
    """Initialises Tortoise (one asyncpg pool of PG_POOL_MAX) and returns the store over it."""
    # Tortoise 1.x keeps its state in a context variable of the task that called init; the server
    # opens the store in its startup task, and request tasks do not inherit that task's context.
    # The global fallback (what Tortoise's own FastAPI integration, RegisterTortoise, enables for
    # the same reason) makes the initialised context the one every task sees.
    await Tortoise.init(config=tortoise_config(config), _enable_global_fallback=True)
    return TortoiseStore()


class TortoiseStore:
    # --- Users -----------------------------------------------------------------------------------

    async def create_user(self, user: NewUserRecord) -> UserRecord:
        try:
            created = await User.create(username=user.username, email=user.email, password_hash=user.password_hash)
        except IntegrityError as error:
            raise _as_conflict(error) from error
        return UserRecord(id=created.id, email=created.email, username=created.username, bio=None, image=None)

    async def find_credentials_by_email(self, email: str) -> UserCredentials | None:
        # Filtering on the annotation puts lower("email") in the WHERE, which the unique index on
        # lower(email) serves; email__iexact would be UPPER(...) = UPPER(...), which no index serves.
        row = (
            await User.annotate(email_lower=Lower("email"))
            .filter(email_lower=email.lower())
            .values(*USER_FIELDS, "password_hash")
        )
        return UserCredentials(**row[0]) if row else None

    async def find_user_by_id(self, user_id: int) -> UserRecord | None:
        row = await _first_row(User.filter(id=user_id).first().values(*USER_FIELDS))
        return UserRecord(**row) if row else None

    async def update_user(self, user_id: int, changes: UserChanges) -> UserRecord | None:
        values = _present(
            email=changes.email,
            username=changes.username,
            password_hash=changes.password_hash,
            bio=changes.bio,
            image=changes.image,
        )
        try:
            updated = await User.filter(id=user_id).update(**values, updated_at=_now())
        except IntegrityError as error:
            raise _as_conflict(error) from error
        # Tortoise's update() returns a row count, not the row: the record is read back.
        return await self.find_user_by_id(user_id) if updated else None

    # --- Profiles --------------------------------------------------------------------------------

    async def get_profile(self, username: str, viewer_id: int | None) -> ProfileRecord | None:
        row = await _first_row(User.filter(username=username).first().values("id", "username", "bio", "image"))
        if row is None:
            return None
        following = viewer_id is not None and await FollowRow.filter(followee_id=row["id"], follower_id=viewer_id).exists()
        return ProfileRecord(username=row["username"], bio=row["bio"], image=row["image"], following=following)

    async def follow_user(self, follower_id: int, username: str) -> ProfileRecord | None:
        target = await User.filter(username=username).only("id", "username", "bio", "image").first()
        if target is None:
            return None
        await FollowRow.bulk_create([FollowRow(followee_id=target.id, follower_id=follower_id)], ignore_conflicts=True)
        return ProfileRecord(username=target.username, bio=target.bio, image=target.image, following=True)

    async def unfollow_user(self, follower_id: int, username: str) -> ProfileRecord | None:
        target = await User.filter(username=username).only("id", "username", "bio", "image").first()
        if target is None:
            return None
        await User.construct(_saved_in_db=True, id=follower_id).following.remove(target)
        return ProfileRecord(username=target.username, bio=target.bio, image=target.image, following=False)

    # --- Articles --------------------------------------------------------------------------------

    async def list_articles(self, filter: ArticleFilter, viewer_id: int | None) -> ArticlePage:
        matching = Article.all()
        if filter.tag is not None:
            matching = matching.filter(tags__name=filter.tag)
        if filter.author is not None:
            matching = matching.filter(author__username=filter.author)
        if filter.favorited is not None:
            matching = matching.filter(favorited_by__username=filter.favorited)
        return await _page(matching, Page(limit=filter.limit, offset=filter.offset), viewer_id)

    async def list_feed(self, page: Page, viewer_id: int) -> ArticlePage:
        # The followee ids first, then `author_id__in=<values>` (as apps/prisma): the relation
        # lookup `author__followers__id` joins users, follows and users again, and `author_id__in=
        # Subquery(...)` is an IN (SELECT ...) that PostgreSQL flattens into a semi-join walking the
        # created_at index probing follows per article (README, "Pitfalls, measured"). Tortoise has
        # no `= ANY (ARRAY(subquery))`, the baseline's shape; a list of values is served by the
        # (author_id, created_at) index the same way.
        followees: list[int] = await _flat(FollowRow.filter(follower_id=viewer_id).values_list("followee_id", flat=True))
        if not followees:
            return ArticlePage(articles=[], articles_count=0)
        of_followees = Article.filter(author_id__in=followees)

        def newest_only(ids: QuerySet[Article], reach: int) -> QuerySet[Article]:
            # The baseline's bound (apps/pg/README.md, "Feed shape, measured"): the oldest date the
            # page can reach, the reach-th newest of the followees' dates, which the (author_id,
            # created_at) index answers alone; then only the page's rows are read from the heap,
            # not every article of every followee to sort them.
            oldest = of_followees.order_by("-created_at").offset(reach - 1).limit(1).values("created_at")
            return ids.filter(created_at__gte=Subquery(oldest))

        return await _page(of_followees, page, viewer_id, newest_only)

    async def get_article(self, slug: str, viewer_id: int | None) -> ArticleRecord | None:
        articles = await _articles(Article.filter(slug=slug), viewer_id, with_body=True)
        return _article(articles[0]) if articles else None

    async def find_article_owner(self, slug: str) -> ArticleOwner | None:
        row = await _first_row(Article.filter(slug=slug).first().values("id", "author_id"))
        return ArticleOwner(article_id=row["id"], author_id=row["author_id"]) if row else None

    async def create_article(self, author_id: int, article: NewArticleRecord) -> ArticleRecord:
        async with in_transaction() as connection:
            try:
                created = await Article.create(
                    slug=article.slug,
                    title=article.title,
                    description=article.description,
                    content=article.body,
                    reading_minutes=article.reading_minutes,
                    author_id=author_id,
                    using_db=connection,
                )
            except IntegrityError as error:
                raise _as_conflict(error) from error
            await _add_tags(created, article.tag_list, connection)
        return await _article_by_id(created.id, author_id)

    async def update_article(self, article_id: int, changes: ArticleChanges, viewer_id: int) -> ArticleRecord:
        values = _present(
            title=changes.title,
            description=changes.description,
            content=changes.body,
            reading_minutes=changes.reading_minutes,
        )
        if not isinstance(changes.tag_list, list):
            await Article.filter(id=article_id).update(**values, updated_at=_now())
        else:
            async with in_transaction() as connection:
                await Article.filter(id=article_id).using_db(connection).update(**values, updated_at=_now())
                article = Article.construct(_saved_in_db=True, id=article_id)
                await article.tags.clear(using_db=connection)
                await _add_tags(article, changes.tag_list, connection)
        return await _article_by_id(article_id, viewer_id)

    async def delete_article(self, article_id: int) -> None:
        # Comments, favorites and tag links go with it: ON DELETE CASCADE.
        await Article.filter(id=article_id).delete()

    # --- Favorites -------------------------------------------------------------------------------

    async def favorite_article(self, slug: str, user_id: int) -> ArticleRecord | None:
        article = await Article.filter(slug=slug).only("id").first()
        if article is None:
            return None
        await FavoriteRow.bulk_create([FavoriteRow(article_id=article.id, user_id=user_id)], ignore_conflicts=True)
        return await _article_by_id(article.id, user_id)

    async def unfavorite_article(self, slug: str, user_id: int) -> ArticleRecord | None:
        article = await Article.filter(slug=slug).only("id").first()
        if article is None:
            return None
        await article.favorited_by.remove(User.construct(_saved_in_db=True, id=user_id))
        return await _article_by_id(article.id, user_id)

    # --- Comments --------------------------------------------------------------------------------

    async def list_comments(self, slug: str, viewer_id: int | None) -> list[CommentRecord] | None:
        article_id: int | None = await _first_value(Article.filter(slug=slug).first().values_list("id", flat=True))
        if article_id is None:
            return None
        rows = await Comment.filter(article_id=article_id).order_by("-created_at", "-id").values(*COMMENT_FIELDS)
        followed = await _followed_among({row["author_id"] for row in rows}, viewer_id)
        return [_comment(row, followed) for row in rows]

    async def add_comment(self, slug: str, author_id: int, body: str) -> CommentRecord | None:
        article_id: int | None = await _first_value(Article.filter(slug=slug).first().values_list("id", flat=True))
        if article_id is None:
            return None
        created = await Comment.create(body=body, article_id=article_id, author_id=author_id)
        # The database fills created_at/updated_at (DEFAULT now()): the row is read back with its author.
        row = await Comment.filter(id=created.id).first().values(*COMMENT_FIELDS)
        return _comment(row, await _followed_among({author_id}, author_id))

    async def find_comment_owner(self, slug: str, comment_id: int) -> CommentOwner | None:
        article_id: int | None = await _first_value(Article.filter(slug=slug).first().values_list("id", flat=True))
        if article_id is None:
            return None
        author_id: int | None = await _first_value(
            Comment.filter(id=comment_id, article_id=article_id).first().values_list("author_id", flat=True)
        )
        return CommentOwner(article_id=article_id, comment_author_id=author_id)

    async def delete_comment(self, comment_id: int) -> None:
        await Comment.filter(id=comment_id).delete()

    # --- Tags ------------------------------------------------------------------------------------

    async def list_tags(self) -> list[str]:
        return await _flat(Tag.all().values_list("name", flat=True))

    # --- Lifecycle -------------------------------------------------------------------------------

    async def ping(self) -> None:
        # RAW SQL ESCAPE HATCH: a health check is one round trip that reads no table (a query on a
        # table waits behind any lock on it); Tortoise's QuerySets always select from a model.
        await connections.get("default").execute_query("SELECT 1")

    async def close(self) -> None:
        await connections.close_all()


# --- Pages and article records ----------------------------------------------------------------------


async def _page(
    matching: QuerySet[Article],
    page: Page,
    viewer_id: int | None,
    page_only: Callable[[QuerySet[Article], int], QuerySet[Article]] | None = None,
) -> ArticlePage:
    """Ids first: the count and the page's ids under the filters, then the records of those ids only.

    ``page_only`` narrows the ids' query (not the count) when there are more matches than the page
    reaches (offset + limit), as apps/asyncpg's ``page_only`` does for the feed.
    """
    total = await matching.count()
    if total == 0 or page.offset >= total:
        return ArticlePage(articles=[], articles_count=total)
    reach = page.offset + page.limit

    async def page_ids(query: QuerySet[Article]) -> list[int]:
        return await _flat(query.order_by("-created_at", "-id").offset(page.offset).limit(page.limit).values_list("id", flat=True))

    narrowed = page_only is not None and total > reach
    ids = await page_ids(page_only(matching, reach) if page_only is not None and narrowed else matching)
    if not ids and narrowed:
        # Rows deleted between the count and this read can leave the narrowing without a row
        # (the baseline's one statement sees one snapshot): read the page unnarrowed then.
        ids = await page_ids(matching)
    seen = {article.row["id"]: article for article in await _articles(Article.filter(id__in=ids), viewer_id, with_body=False)}
    return ArticlePage(articles=[_summary(seen[article_id]) for article_id in ids if article_id in seen], articles_count=total)


async def _article_by_id(article_id: int, viewer_id: int | None) -> ArticleRecord:
    articles = await _articles(Article.filter(id=article_id), viewer_id, with_body=True)
    return _article(articles[0])


@dataclass(frozen=True, slots=True)
class _Seen:
    """One article row (with its author and favorites count) and what the viewer sees of it."""

    row: Row
    favorites_count: int
    tags: list[str]
    favorited: bool
    following: bool


async def _articles(where: QuerySet[Article], viewer_id: int | None, *, with_body: bool) -> list[_Seen]:
    """Everything an article response needs for the articles of `where` (a page's ids or one
    article), as the viewer sees them: rows with their author in one statement, then favorite
    counts, tags, `favorited` and `following` for all of them, one statement each."""
    fields = (*SUMMARY_FIELDS, "content") if with_body else SUMMARY_FIELDS
    rows: list[Row] = list(await where.values(*fields))
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    # favoritesCount from the favorites table alone (an index-only scan of favorites_article_id_idx).
    counts: dict[int, int] = dict(
        await FavoriteRow.filter(article_id__in=ids)
        .annotate(count=Count("article_id"))
        .group_by("article_id")
        .values_list("article_id", "count")
    )
    tags: defaultdict[int, list[str]] = defaultdict(list)
    # From article_tags with the tag by its key: through the ManyToManyField (Tag.filter(articles__id__in=ids))
    # the join table would be reached from articles, joined back for nothing.
    for article_id, name in await ArticleTagRow.filter(article_id__in=ids).values_list("article_id", "tag__name"):
        tags[article_id].append(name)
    favorited: set[int] = set()
    if viewer_id is not None:
        favorited = set(await _flat(FavoriteRow.filter(article_id__in=ids, user_id=viewer_id).values_list("article_id", flat=True)))
    followed = await _followed_among({row["author_id"] for row in rows}, viewer_id)
    return [
        _Seen(row, counts.get(row["id"], 0), tags[row["id"]], row["id"] in favorited, row["author_id"] in followed)
        for row in rows
    ]


async def _followed_among(user_ids: set[int], viewer_id: int | None) -> set[int]:
    """Which of these users the viewer follows: one statement, none for an anonymous viewer."""
    if viewer_id is None or not user_ids:
        return set()
    return set(await _flat(FollowRow.filter(followee_id__in=user_ids, follower_id=viewer_id).values_list("followee_id", flat=True)))


async def _add_tags(article: Article, names: Sequence[str], connection: BaseDBAsyncClient) -> None:
    if not names:
        return
    # ON CONFLICT DO NOTHING, in name order so that concurrent inserts cannot deadlock; the select
    # after it sees tags a concurrent request inserted, so no tag is lost.
    await Tag.bulk_create([Tag(name=name) for name in sorted(names)], ignore_conflicts=True, using_db=connection)
    await article.tags.add(*await Tag.filter(name__in=names).only("id").using_db(connection), using_db=connection)


def _profile(row: Row, following: bool) -> ProfileRecord:
    return ProfileRecord(
        username=row["author__username"], bio=row["author__bio"], image=row["author__image"], following=following
    )


def _shared_fields(seen: _Seen) -> dict[str, Any]:
    """The fields an article and its summary share (a summary is an article without its body)."""
    row = seen.row
    return {
        "slug": row["slug"],
        "title": row["title"],
        "description": row["description"],
        "tag_list": seen.tags,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "favorited": seen.favorited,
        "favorites_count": seen.favorites_count,
        "author": _profile(row, seen.following),
    }


def _summary(seen: _Seen) -> ArticleSummaryRecord:
    return ArticleSummaryRecord(**_shared_fields(seen))


def _article(seen: _Seen) -> ArticleRecord:
    return ArticleRecord(**_shared_fields(seen), body=seen.row["content"])


def _comment(row: Row, followed: set[int]) -> CommentRecord:
    return CommentRecord(
        id=row["id"],
        body=row["body"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        author=_profile(row, row["author_id"] in followed),
    )


# --- Tortoise's query result types, corrected ---------------------------------------------------------
# Tortoise types `.first().values()` as a dict although it is None when nothing matches, and a flat
# `values_list(..., flat=True)` as tuples although it holds the values themselves.


async def _first_row(query: ValuesQuery[Literal[True]]) -> Row | None:
    row: Row | None = await query
    return row


async def _first_value(query: ValuesListQuery[Literal[True]]) -> Any:
    value: Any = await query
    return value


async def _flat(query: ValuesListQuery[Literal[False]]) -> list[Any]:
    values: list[Any] = list(await query)
    return values


# --- Writes and errors -------------------------------------------------------------------------------


def _present(**changes: object) -> dict[str, object]:
    """The fields a change carries: absent ones (UNSET) are left alone, None clears."""
    return {name: value for name, value in changes.items() if value is not UNSET}


def _now() -> datetime:
    return datetime.now(UTC)


def _as_conflict(error: IntegrityError) -> Exception:
    """Tortoise wraps asyncpg's error and keeps it as the cause; the constraint name is on that."""
    cause = error.__cause__
    if isinstance(cause, asyncpg.UniqueViolationError):
        constraint: object = getattr(cause, "constraint_name", None)  # asyncpg's errors are untyped
        field = conflict_field_of(constraint if isinstance(constraint, str) else None)
        if field is not None:
            return ConflictError(field)
    return error
