"""The ConduitStore on Piccolo: its query API over plain dicts, each use case in few statements.

Piccolo's ``select`` returns dicts (its fast path: no Table objects are built), joins follow
foreign keys (``Article.author._.username``, read back flat as ``author_id.username``),
each article's tag names come from an ``ARRAY`` around an ``ArticleTag`` select (not Piccolo's M2M
selection, which joins ``articles`` back into it), and
``Case(When(column.is_in(sub_select)))`` answers ``following`` and ``favorited``. Lists page their
ids first (``Article.id.is_in(<ids select with LIMIT/OFFSET>)``), so the per-row sub-selects run
for the page's rows only, never for the rows OFFSET skips. Methods follow the port's order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

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
from asyncpg.exceptions import UniqueViolationError
from piccolo.columns import Column
from piccolo.custom_types import Combinable
from piccolo.query.functions import Case, Coalesce, Lower, When
from piccolo.query.base import Query
from piccolo.querystring import QueryString, Selectable

from arena_piccolo.db import ConduitEngine, connect
from arena_piccolo.tables import TABLES, Article, ArticleTag, Comment, Favorite, Follow, Tag, User

Row = dict[str, Any]

USER_COLUMNS: tuple[Column, ...] = (User.id, User.email, User.username, User.bio, User.image)
AUTHOR = "author_id"
"""The joined author's columns come back as ``author_id.username`` etc.: keyed by the foreign
key's column name. Read flat, not with ````, which regroups every row in Python:
3 ms more CPU for the 709 comments of the bench's popular article (8.4 against 5.2 ms, measured)."""


def _now() -> datetime:
    """Piccolo writes timestamps from Python (TimestamptzNow on insert); updates do the same.

    A new row gets one instant for created_at and updated_at, passed explicitly: left to
    Piccolo, each column's TimestamptzNow reads the clock on its own, microseconds apart (a new
    article's updatedAt must equal its createdAt).
    """
    return datetime.now(UTC)


# --- Selections ------------------------------------------------------------------------------


def _scalar(query: Query[Any, Any], alias: str) -> QueryString:
    # RAW SQL ESCAPE HATCH: the parentheses around a query Piccolo built, which make it a scalar
    # sub-select in the select list; Piccolo has no API for a sub-select there (only for
    # ``is_in``). Used for each article's favorites count (correlated) and a page's total (once
    # per statement): without it, each would be one more statement per list or article.
    return QueryString("({})", query.querystrings[0], alias=alias)


def _tag_names() -> QueryString:
    # RAW SQL ESCAPE HATCH: ``ARRAY(...)`` around a select Piccolo built, the baseline's tag list.
    # Piccolo's own M2M selection (``Article.tags(Tag.name, as_list=True)``) writes the same ARRAY
    # sub-select but joins ``articles`` back into it for every article of the page (``JOIN articles
    # inner_articles``, which the correlation does not need): 41 of a first page's buffers.
    names = ArticleTag.select(ArticleTag.tag._.name).where(ArticleTag.article == Article.id)
    return QueryString("ARRAY({})", names.querystrings[0], alias="tags")


def _favorites_count() -> QueryString:
    return _scalar(Favorite.count().where(Favorite.article == Article.id), "favorites_count")


# ``following`` and ``favorited`` come back as the matching id or NULL, not as booleans: a
# Python value as Case's THEN or ELSE makes Piccolo 1.38 build a throwaway Table class to cast it
# with (get_case_value -> create_table_class), two per Case, every call, each kept forever in
# piccolo.table.TABLE_REGISTRY (a leak per signed-in request; measured, see the README). A
# column as THEN and no ELSE builds nothing.


def _following(author: Column, viewer_id: int) -> Case:
    """The author's id when the viewer follows them: the viewer's followees, hashed once per statement."""
    followees = Follow.select(Follow.followee).where(Follow.follower == viewer_id)
    return Case(When(author.is_in(followees), then=author), alias="following")


def _favorited(viewer_id: int) -> Case:
    favorites = Favorite.select(Favorite.article).where(Favorite.user == viewer_id)
    return Case(When(Article.id.is_in(favorites), then=Article.id), alias="favorited")


def _flag(row: Row, key: str) -> bool:
    """A ``_following``/``_favorited`` column as a boolean; absent for anonymous viewers."""
    return row.get(key) is not None


def _article_columns(viewer_id: int | None, with_content: bool) -> list[Selectable]:
    """Everything an article response needs, as ``viewer_id`` sees it."""
    selections = _selections()
    columns = list(selections.article if with_content else selections.summary)
    if viewer_id is not None:
        columns += [_favorited(viewer_id), _following(Article.author, viewer_id)]
    return columns


def _comment_columns(viewer_id: int | None) -> list[Selectable]:
    columns = list(_selections().comment)
    if viewer_id is not None:
        columns.append(_following(Comment.author, viewer_id))
    return columns


@dataclass(frozen=True, slots=True)
class _Selections:
    summary: tuple[Selectable, ...]
    article: tuple[Selectable, ...]
    comment: tuple[Selectable, ...]


@cache
def _selections() -> _Selections:
    """The selections that do not depend on the viewer, built once, on first use.

    Piccolo builds a query's SQL from its column objects on every call, and each
    ``Article.author._.username`` is a new copy of the column made through the foreign key:
    building them per call cost 0.4 of the 2.0 ms of CPU of an article read (measured). Not at
    import: the count query needs the engine the store binds the tables to.
    """
    summary = (
        Article.slug,
        Article.title,
        Article.description,
        Article.created_at,
        Article.updated_at,
        Article.author._.username,
        Article.author._.bio,
        Article.author._.image,
        _tag_names(),
        _favorites_count(),
    )
    comment = (
        Comment.id,
        Comment.body,
        Comment.created_at,
        Comment.updated_at,
        Comment.author._.username,
        Comment.author._.bio,
        Comment.author._.image,
    )
    return _Selections(summary=summary, article=(*summary, Article.content), comment=comment)


# --- Row mapping -----------------------------------------------------------------------------


def _profile(row: Row, following: bool) -> ProfileRecord:
    return ProfileRecord(username=row["username"], bio=row["bio"], image=row["image"], following=following)


def _author(row: Row) -> ProfileRecord:
    return ProfileRecord(
        username=row[f"{AUTHOR}.username"],
        bio=row[f"{AUTHOR}.bio"],
        image=row[f"{AUTHOR}.image"],
        following=_flag(row, "following"),
    )


def _summary_fields(row: Row) -> dict[str, Any]:
    return {
        "slug": row["slug"],
        "title": row["title"],
        "description": row["description"],
        "tag_list": row["tags"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "favorited": _flag(row, "favorited"),
        "favorites_count": row["favorites_count"],
        "author": _author(row),
    }


def _summary(row: Row) -> ArticleSummaryRecord:
    return ArticleSummaryRecord(**_summary_fields(row))


def _article(row: Row) -> ArticleRecord:
    return ArticleRecord(body=row["content"], **_summary_fields(row))


def _comment(row: Row) -> CommentRecord:
    return CommentRecord(
        id=row["id"],
        body=row["body"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        author=_author(row),
    )


def _user(row: Row) -> UserRecord:
    return UserRecord(id=row["id"], email=row["email"], username=row["username"], bio=row["bio"], image=row["image"])


def _as_conflict(error: UniqueViolationError) -> Exception:
    """asyncpg reports the violated constraint or unique index by name; the port maps names."""
    constraint: str | None = error.constraint_name
    field = conflict_field_of(constraint)
    return ConflictError(field) if field else error


def _present(changes: dict[Column, object]) -> dict[Column | str, Any]:
    """The changes that were given: absent fields (UNSET) are left alone, ``None`` clears."""
    return {column: value for column, value in changes.items() if value is not UNSET}


NEWEST_FIRST = (Article.created_at, Article.id)
OLDEST_POSSIBLE = datetime.min.replace(tzinfo=UTC)


class PiccoloStore(ConduitStore):
    def __init__(self, engine: ConduitEngine) -> None:
        self._engine = engine
        # The one query without values: frozen, so Piccolo compiles its SQL once (its docs'
        # advice for a query run many times).
        self._tags = Tag.select(Tag.name).output(as_list=True).freeze()

    async def _article_where(self, condition: Combinable, viewer_id: int | None) -> ArticleRecord | None:
        row = await (
            Article.select(*_article_columns(viewer_id, with_content=True))
            .where(condition)
            .first()
        )
        return _article(row) if row else None

    async def _page(
        self,
        conditions: Sequence[Combinable],
        page: Page,
        viewer_id: int | None,
        page_only: Sequence[Combinable] = (),
    ) -> ArticlePage:
        # Ids first: the filter, order and LIMIT/OFFSET run on articles alone, and the page's
        # columns (author, tags, counts) are computed for the page's ids only. The count of all
        # matches rides along as a sub-select evaluated once; an empty page has no row to carry
        # it, so only then is it a statement of its own.
        ids = Article.select(Article.id).order_by(*NEWEST_FIRST, ascending=False).limit(page.limit).offset(page.offset)
        count = Article.count()
        if conditions:
            ids = ids.where(*conditions)
            count = count.where(*conditions)
        if page_only:
            # Conditions that narrow the page's search without changing which rows match (the
            # feed's lower bound on created_at): not in the count.
            ids = ids.where(*page_only)
        select = Article.select(*_article_columns(viewer_id, with_content=False), _scalar(count, "total"))
        if conditions or page.offset > 0:
            select = select.where(Article.id.is_in(ids))
        else:
            # Unfiltered first page: nothing to skip and nothing to filter, so the newest-first
            # index walk returns exactly the page and LIMIT on the select itself computes the
            # columns for those 20 rows only. Ids first would read them again by primary key:
            # 228 buffers against 170 (EXPLAIN (ANALYZE, BUFFERS), PostgreSQL 15, scale 0.15).
            select = select.limit(page.limit)
        rows = await select.order_by(*NEWEST_FIRST, ascending=False)
        total: int = rows[0]["total"] if rows else await count
        return ArticlePage(articles=[_summary(row) for row in rows], articles_count=total)

    async def _link_tags(self, article_id: int, names: list[str]) -> None:
        if not names:
            return
        # Sorted, so concurrent creators insert in one order and cannot deadlock; the SELECT is a
        # statement of its own, whose snapshot sees tags a concurrent request just committed.
        await Tag.insert(*(Tag(name=name) for name in sorted(names))).on_conflict(action="DO NOTHING")
        tag_ids = await Tag.select(Tag.id).where(Tag.name.is_in(names)).output(as_list=True)
        await ArticleTag.insert(*(ArticleTag(article=article_id, tag=tag_id) for tag_id in tag_ids))

    # --- Users -----------------------------------------------------------------------------------

    async def create_user(self, user: NewUserRecord) -> UserRecord:
        now = _now()
        try:
            rows = await User.insert(
                User(
                    username=user.username,
                    email=user.email,
                    password_hash=user.password_hash,
                    created_at=now,
                    updated_at=now,
                )
            ).returning(*USER_COLUMNS)
        except UniqueViolationError as error:
            raise _as_conflict(error) from error
        return _user(rows[0])

    async def find_credentials_by_email(self, email: str) -> UserCredentials | None:
        # lower(email) = lower($1): the expression the v2 unique index users_email_lower_key serves.
        row = await (
            User.select(*USER_COLUMNS, User.password_hash).where(Lower(User.email) == Lower(email)).first()
        )
        if row is None:
            return None
        return UserCredentials(
            id=row["id"],
            email=row["email"],
            username=row["username"],
            bio=row["bio"],
            image=row["image"],
            password_hash=row["password_hash"],
        )

    async def find_user_by_id(self, user_id: int) -> UserRecord | None:
        row = await User.select(*USER_COLUMNS).where(User.id == user_id).first()
        return _user(row) if row else None

    async def update_user(self, user_id: int, changes: UserChanges) -> UserRecord | None:
        values = _present(
            {
                User.email: changes.email,
                User.username: changes.username,
                User.password_hash: changes.password_hash,
                User.bio: changes.bio,
                User.image: changes.image,
            }
        )
        values[User.updated_at] = _now()
        try:
            rows = await User.update(values).where(User.id == user_id).returning(*USER_COLUMNS)
        except UniqueViolationError as error:
            raise _as_conflict(error) from error
        return _user(rows[0]) if rows else None

    # --- Profiles --------------------------------------------------------------------------------

    async def get_profile(self, username: str, viewer_id: int | None) -> ProfileRecord | None:
        columns: list[Selectable] = [User.username, User.bio, User.image]
        if viewer_id is not None:
            columns.append(_following(User.id, viewer_id))
        row = await User.select(*columns).where(User.username == username).first()
        return _profile(row, _flag(row, "following")) if row else None

    async def follow_user(self, follower_id: int, username: str) -> ProfileRecord | None:
        target = await User.select(User.id, User.username, User.bio, User.image).where(User.username == username).first()
        if target is None:
            return None
        await Follow.insert(Follow(follower=follower_id, followee=target["id"])).on_conflict(action="DO NOTHING")
        return _profile(target, following=True)

    async def unfollow_user(self, follower_id: int, username: str) -> ProfileRecord | None:
        target = await User.select(User.id, User.username, User.bio, User.image).where(User.username == username).first()
        if target is None:
            return None
        await Follow.delete().where((Follow.follower == follower_id) & (Follow.followee == target["id"]))
        return _profile(target, following=False)

    # --- Articles --------------------------------------------------------------------------------

    async def list_articles(self, filter: ArticleFilter, viewer_id: int | None) -> ArticlePage:
        conditions: list[Combinable] = []
        if filter.tag is not None:
            tagged = ArticleTag.select(ArticleTag.article).where(ArticleTag.tag._.name == filter.tag)
            conditions.append(Article.id.is_in(tagged))
        if filter.author is not None:
            conditions.append(Article.author._.username == filter.author)
        if filter.favorited is not None:
            favorites = Favorite.select(Favorite.article).where(Favorite.user._.username == filter.favorited)
            conditions.append(Article.id.is_in(favorites))
        return await self._page(conditions, Page(limit=filter.limit, offset=filter.offset), viewer_id)

    async def list_feed(self, page: Page, viewer_id: int) -> ArticlePage:
        # The baseline's feed shape (apps/pg/README.md, "Feed shape, measured") in Piccolo's terms.
        # The followee ids are read first and passed as values: ``author_id IN (<ids>)``, which
        # only the (author_id, created_at) index serves. Written as ``is_in(<follows select>)``,
        # PostgreSQL turns it into a semi-join and walks the created_at index backwards probing
        # follows for every article, newest first (Piccolo has no ``= ANY (ARRAY(<select>))``).
        followees = await Follow.select(Follow.followee).where(Follow.follower == viewer_id).output(as_list=True)
        if not followees:
            return ArticlePage(articles=[], articles_count=0)
        by_followees = Article.author.is_in(followees)
        # The oldest date the page can reach: the created_at of the followees' (offset + limit)th
        # newest article, read from the (author_id, created_at) index; with fewer articles than
        # that, every one of them (-infinity). The baseline takes min() of the newest
        # offset + limit, the same date; Piccolo cannot select from a derived table.
        nth_newest = (
            Article.select(Article.created_at)
            .where(by_followees)
            .order_by(Article.created_at, ascending=False)
            .limit(1)
            .offset(page.offset + page.limit - 1)
        )
        oldest = Coalesce(_scalar(nth_newest, "oldest"), OLDEST_POSSIBLE)
        return await self._page([by_followees], page, viewer_id, page_only=[Article.created_at >= oldest])

    async def get_article(self, slug: str, viewer_id: int | None) -> ArticleRecord | None:
        return await self._article_where(Article.slug == slug, viewer_id)

    async def find_article_owner(self, slug: str) -> ArticleOwner | None:
        row = await Article.select(Article.id, Article.author).where(Article.slug == slug).first()
        return ArticleOwner(article_id=row["id"], author_id=row[AUTHOR]) if row else None

    async def create_article(self, author_id: int, article: NewArticleRecord) -> ArticleRecord:
        article_id = 0
        now = _now()
        async with self._engine.transaction():
            try:
                inserted = await Article.insert(
                    Article(
                        slug=article.slug,
                        title=article.title,
                        description=article.description,
                        content=article.body,
                        reading_minutes=article.reading_minutes,
                        author=author_id,
                        created_at=now,
                        updated_at=now,
                    )
                ).returning(Article.id)
            except UniqueViolationError as error:
                raise _as_conflict(error) from error
            article_id: int = inserted[0]["id"]
            await self._link_tags(article_id, article.tag_list)
        created = await self._article_where(Article.id == article_id, author_id)
        assert created is not None, "the article was created in this call"
        return created

    async def update_article(self, article_id: int, changes: ArticleChanges, viewer_id: int) -> ArticleRecord:
        values = _present(
            {
                Article.title: changes.title,
                Article.description: changes.description,
                Article.content: changes.body,
                Article.reading_minutes: changes.reading_minutes,
            }
        )
        values[Article.updated_at] = _now()
        update = Article.update(values).where(Article.id == article_id)
        tag_list = changes.tag_list
        if not isinstance(tag_list, list):
            await update
        else:
            async with self._engine.transaction():
                await update
                await ArticleTag.delete().where(ArticleTag.article == article_id)
                await self._link_tags(article_id, tag_list)
        updated = await self._article_where(Article.id == article_id, viewer_id)
        assert updated is not None, "the HTTP layer found the article before calling"
        return updated

    async def delete_article(self, article_id: int) -> None:
        # Comments, favorites and tag links go with it: ON DELETE CASCADE.
        await Article.delete().where(Article.id == article_id)

    # --- Favorites -------------------------------------------------------------------------------

    async def favorite_article(self, slug: str, user_id: int) -> ArticleRecord | None:
        # Piccolo has no INSERT ... SELECT: the article's id is read first.
        article_id = await Article.select(Article.id).where(Article.slug == slug).output(as_list=True)
        if not article_id:
            return None
        await Favorite.insert(Favorite(user=user_id, article=article_id[0])).on_conflict(action="DO NOTHING")
        return await self._article_where(Article.id == article_id[0], user_id)

    async def unfavorite_article(self, slug: str, user_id: int) -> ArticleRecord | None:
        by_slug = Article.select(Article.id).where(Article.slug == slug)
        await Favorite.delete().where((Favorite.user == user_id) & Favorite.article.is_in(by_slug))
        return await self._article_where(Article.slug == slug, user_id)

    # --- Comments --------------------------------------------------------------------------------

    async def list_comments(self, slug: str, viewer_id: int | None) -> list[CommentRecord] | None:
        rows = await (
            Comment.select(*_comment_columns(viewer_id))
            .where(Comment.article._.slug == slug)
            .order_by(Comment.created_at, Comment.id, ascending=False)
        )
        # No comments: one more statement tells an article without comments from no article.
        if not rows and not await Article.exists().where(Article.slug == slug):
            return None
        return [_comment(row) for row in rows]

    async def add_comment(self, slug: str, author_id: int, body: str) -> CommentRecord | None:
        article_id = await Article.select(Article.id).where(Article.slug == slug).output(as_list=True)
        if not article_id:
            return None
        now = _now()
        new_comment = Comment(body=body, article=article_id[0], author=author_id, created_at=now, updated_at=now)
        inserted = await Comment.insert(new_comment).returning(Comment.id)
        row = await (
            Comment.select(*_comment_columns(author_id))
            .where(Comment.id == inserted[0]["id"])
            .first()
        )
        assert row is not None, "the comment was inserted in this call"
        return _comment(row)

    async def find_comment_owner(self, slug: str, comment_id: int) -> CommentOwner | None:
        row = await (
            Comment.select(Comment.article, Comment.author)
            .where((Comment.id == comment_id) & (Comment.article._.slug == slug))
            .first()
        )
        if row is not None:
            return CommentOwner(article_id=row["article_id"], comment_author_id=row[AUTHOR])
        # No such comment on that article: one more statement for the article alone.
        article_id = await Article.select(Article.id).where(Article.slug == slug).output(as_list=True)
        return CommentOwner(article_id=article_id[0], comment_author_id=None) if article_id else None

    async def delete_comment(self, comment_id: int) -> None:
        await Comment.delete().where(Comment.id == comment_id)

    # --- Tags ------------------------------------------------------------------------------------

    async def list_tags(self) -> list[str]:
        # `.run()`: a FrozenQuery cannot be awaited itself, whatever the example in freeze's docstring says.
        return await self._tags.run()

    # --- Lifecycle -------------------------------------------------------------------------------

    async def ping(self) -> None:
        # RAW SQL ESCAPE HATCH: a round trip without a table; Piccolo's queries select from one.
        await Tag.raw("SELECT 1")

    async def close(self) -> None:
        await self._engine.close_connection_pool()


async def create_store(config: StoreConfig) -> ConduitStore:
    return PiccoloStore(await connect(config, TABLES))
