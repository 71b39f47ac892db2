"""The ConduitStore on SQLAlchemy 2 (async ORM, 2.0-style ``select()``), methods in the port's order.

How it reads: every response is only serialised, so reads select the columns they answer with
(``Row`` results, SQLAlchemy's performance advice for read-only data: no entities, no identity map,
no attribute instrumentation), and the per-article facts are correlated subqueries in the same
statement: ``exists()`` for ``following``/``favorited``, a scalar ``count()`` for
``favoritesCount`` and PostgreSQL's ``array(SELECT ...)`` for the tag list. A page is apps/pg's
one statement: a derived table of articles alone cut by LIMIT/OFFSET (``aliased(Article,
subquery)``), so the subqueries run for the page's rows, never for the skipped ones, joined to
the count of all matches. Every statement is built once, with ``bindparam()`` for its values:
SQLAlchemy's compiled cache then finds it at once and asyncpg's prepared statement cache parses it
once per connection.

How it writes: ORM-enabled ``insert``/``update``/``delete`` statements (with ``RETURNING`` where the
response needs the row), PostgreSQL's ``INSERT ... ON CONFLICT DO NOTHING`` for idempotent follows,
favorites and tags; writes that touch several tables run in one ``session.begin()`` transaction.
One statement needs no transaction around it: those run on the same pool in autocommit, like the
reads, so a request costs no ``BEGIN``/``COMMIT`` round trips.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Unpack

from sqlalchemy import (
    ARRAY,
    Integer,
    Select,
    Text,
    and_,
    any_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from arena_api.store import (
    UNSET,
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
    UserRecord,
    conflict_field_of,
)

from .db import create_engine
from .models import Article, ArticleTag, Comment, Favorite, Follow, Tag, User

# Select and Row are generic over their columns' types (a TypeVarTuple): these name "any columns".
AnySelect = Select[Unpack[tuple[Any, ...]]]
AnyRow = Row[Unpack[tuple[Any, ...]]]

# --- Statements, built once -------------------------------------------------------------------

VIEWER = bindparam("viewer_id", type_=Integer)
"""The signed-in user a response is personalised for; ``None`` matches no follow or favorite."""

USER_COLUMNS = (User.id, User.email, User.username, User.bio, User.image)



def _summary_columns(article: Any) -> tuple[Any, ...]:
    """An article's summary as the viewer sees it, read from ``article`` (the table or a page of it).

    The per-article facts are correlated subqueries, so they run once per row of ``article``.
    """
    return (
        article.slug,
        article.title,
        article.description,
        article.created_at,
        article.updated_at,
        User.username,
        User.bio,
        User.image,
        exists().where(Follow.follower_id == VIEWER, Follow.followee_id == article.author_id).label("following"),
        exists().where(Favorite.user_id == VIEWER, Favorite.article_id == article.id).label("favorited"),
        select(func.count())
        .select_from(Favorite)
        .where(Favorite.article_id == article.id)
        .scalar_subquery()
        .label("favorites_count"),
        func.array(
            select(Tag.name)
            .join(ArticleTag, ArticleTag.tag_id == Tag.id)
            .where(ArticleTag.article_id == article.id)
            .scalar_subquery(),
            type_=ARRAY(Text),
        ).label("tag_list"),
    )


SUMMARY_COLUMNS = _summary_columns(Article)
ARTICLE_SELECT = select(*SUMMARY_COLUMNS, Article.content).join(Article.author)
ARTICLE_BY_SLUG = ARTICLE_SELECT.where(Article.slug == bindparam("slug"))
ARTICLE_BY_ID = ARTICLE_SELECT.where(Article.id == bindparam("article_id"))
NEWEST_FIRST = (Article.created_at.desc(), Article.id.desc())

COMMENT_FOLLOWING = exists().where(Follow.follower_id == VIEWER, Follow.followee_id == Comment.author_id).label("following")
COMMENT_COLUMNS = (
    Comment.id,
    Comment.body,
    Comment.created_at,
    Comment.updated_at,
    User.username,
    User.bio,
    User.image,
    COMMENT_FOLLOWING,
)
# The article joins left, so an article without comments still answers with one row.
COMMENTS_BY_SLUG = (
    select(*COMMENT_COLUMNS)
    .select_from(Article)
    .outerjoin(Comment, Comment.article_id == Article.id)
    .outerjoin(User, User.id == Comment.author_id)
    .where(Article.slug == bindparam("slug"))
    .order_by(Comment.created_at.desc(), Comment.id.desc())
)

USER_BY_ID = select(*USER_COLUMNS).where(User.id == bindparam("user_id"))
CREDENTIALS_BY_EMAIL = select(*USER_COLUMNS, User.password_hash).where(
    # The expression users_email_lower_key indexes: emails are unique and found regardless of case.
    func.lower(User.email) == func.lower(bindparam("email", type_=Text))
)
PROFILE_BY_USERNAME = select(
    User.username,
    User.bio,
    User.image,
    exists().where(Follow.follower_id == VIEWER, Follow.followee_id == User.id).label("following"),
).where(User.username == bindparam("username"))
TARGET_BY_USERNAME = select(User.id, User.username, User.bio, User.image).where(User.username == bindparam("username"))
ARTICLE_OWNER_BY_SLUG = select(Article.id, Article.author_id).where(Article.slug == bindparam("slug"))
COMMENT_OWNER = (
    select(Article.id, Comment.author_id)
    .select_from(Article)
    .outerjoin(Comment, and_(Comment.article_id == Article.id, Comment.id == bindparam("comment_id")))
    .where(Article.slug == bindparam("slug"))
)
TAG_NAMES = select(Tag.name)
PING = select(literal(1))

USER_RETURNING = USER_COLUMNS


def _filter_conditions(filter: ArticleFilter) -> list[Any]:
    """The WHERE of a list, as subqueries on the filter's bound values."""
    conditions: list[Any] = []
    if filter.tag is not None:
        conditions.append(
            Article.id.in_(
                select(ArticleTag.article_id).join(Tag, Tag.id == ArticleTag.tag_id).where(Tag.name == bindparam("tag"))
            )
        )
    if filter.author is not None:
        conditions.append(
            Article.author_id == select(User.id).where(User.username == bindparam("author")).scalar_subquery()
        )
    if filter.favorited is not None:
        conditions.append(
            Article.id.in_(
                select(Favorite.article_id).join(User, User.id == Favorite.user_id).where(User.username == bindparam("favorited"))
            )
        )
    return conditions


# apps/pg's feed shape (its README, "Feed shape, measured"): the followees as an array, so PostgreSQL
# reads them once (an InitPlan) and can only reach the page through articles_author_id_created_at_idx;
# ``author_id.in_(select(...))`` is flattened into a semi-join that walks the created_at index and
# probes follows per article (the trap "feed-walks-created-at" in docs/pitfalls.md).
FOLLOWEES = func.array(select(Follow.followee_id).where(Follow.follower_id == VIEWER).scalar_subquery(), type_=ARRAY(Integer))
FEED_CONDITIONS = [Article.author_id == any_(FOLLOWEES)]

LIMIT = bindparam("limit", type_=Integer)
OFFSET = bindparam("offset", type_=Integer)


def _feed_bound() -> Any:
    """The oldest date the feed's page can reach: the newest limit+offset dates of the followees.

    Read from the (author_id, created_at) index, so the page's sort reads only those authors'
    newest rows, never all of a prolific author's.
    """
    newest = aliased(Article, name="x")
    dates = (
        select(newest.created_at)
        .where(newest.author_id == any_(FOLLOWEES))
        .order_by(newest.created_at.desc())
        .limit(LIMIT + OFFSET)
        .subquery("x")
    )
    return Article.created_at >= select(func.min(dates.c.created_at)).scalar_subquery()


def _page_statement(conditions: list[Any], page_only: list[Any] | None = None) -> AnySelect:
    """A page and the count of all matches in one statement, apps/pg's ``page()`` shape.

    The page is a derived table of articles alone (``aliased(Article, subquery)``) cut by
    LIMIT/OFFSET before the select list's correlated subqueries run, so they run for its rows only,
    and it is joined to its authors once; the count is a one-row derived table beside it (LEFT JOIN
    ON true: an empty page still answers the count). ``page_only`` narrows the page, not the count.
    """
    total = select(func.count().label("count")).select_from(Article).where(*conditions).subquery("total")
    rows = (
        select(Article)
        .where(*conditions, *(page_only or []))
        .order_by(*NEWEST_FIRST)
        .limit(LIMIT)
        .offset(OFFSET)
        .subquery("a")
    )
    page = aliased(Article, rows)
    return (
        select(total.c.count.label("total"), *_summary_columns(page))
        .select_from(total)
        .outerjoin(page, true())
        .outerjoin(User, User.id == page.author_id)
        .order_by(page.created_at.desc(), page.id.desc())
    )


def _author(row: AnyRow) -> ProfileRecord:
    return ProfileRecord(username=row.username, bio=row.bio, image=row.image, following=row.following)


def _article_fields(row: AnyRow) -> dict[str, Any]:
    """What an article and its summary share (the summary has no body)."""
    return {
        "slug": row.slug,
        "title": row.title,
        "description": row.description,
        "tag_list": row.tag_list,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "favorited": row.favorited,
        "favorites_count": row.favorites_count,
        "author": _author(row),
    }


def _summary(row: AnyRow) -> ArticleSummaryRecord:
    return ArticleSummaryRecord(**_article_fields(row))


def _article(row: AnyRow) -> ArticleRecord:
    return ArticleRecord(body=row.content, **_article_fields(row))


def _comment(row: AnyRow) -> CommentRecord:
    return CommentRecord(id=row.id, body=row.body, created_at=row.created_at, updated_at=row.updated_at, author=_author(row))


def _user(row: AnyRow) -> UserRecord:
    return UserRecord(id=row.id, email=row.email, username=row.username, bio=row.bio, image=row.image)


def _conflict(error: IntegrityError) -> ConflictError | None:
    """A unique violation, by the constraint's canonical name (asyncpg's error is the DBAPI error's cause)."""
    driver_error = error.orig.__cause__ if error.orig is not None else None
    field = conflict_field_of(getattr(driver_error, "constraint_name", None))
    return ConflictError(field) if field is not None else None


def _present(changes: Mapping[str, object]) -> dict[str, object]:
    """The fields a change carries: absent ones (UNSET) are left alone, ``None`` clears."""
    return {name: value for name, value in changes.items() if value is not UNSET}


# --- The store ----------------------------------------------------------------------------------


class SqlAlchemyStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        # Reads and single-statement writes: autocommit on the same pool (execution_options copies
        # the engine and shares its pool), so no BEGIN/ROLLBACK around one statement.
        self._sessions = async_sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False)
        # Writes across tables: one transaction, session.begin() commits or rolls back.
        self._transactions = async_sessionmaker(engine, expire_on_commit=False)
        self._pages: dict[tuple[bool, bool, bool], AnySelect] = {}
        self._feed = _page_statement(FEED_CONDITIONS, [_feed_bound()])

    async def _one(self, statement: Any, params: Mapping[str, Any] | None = None) -> AnyRow | None:
        async with self._sessions() as session:
            return (await session.execute(statement, params)).first()

    async def _article_by_id(self, article_id: int, viewer_id: int | None) -> ArticleRecord:
        row = await self._one(ARTICLE_BY_ID, {"article_id": article_id, "viewer_id": viewer_id})
        assert row is not None, "the article was just written"
        return _article(row)

    async def _article_by_slug(self, slug: str, viewer_id: int | None) -> ArticleRecord | None:
        row = await self._one(ARTICLE_BY_SLUG, {"slug": slug, "viewer_id": viewer_id})
        return _article(row) if row is not None else None

    async def _page(self, statement: AnySelect, params: dict[str, Any], page: Page | ArticleFilter) -> ArticlePage:
        async with self._sessions() as session:
            rows = (await session.execute(statement, {**params, "limit": page.limit, "offset": page.offset})).all()
        return ArticlePage(
            # One row with no article when the page is empty: the count still answers.
            articles=[_summary(row) for row in rows if row.slug is not None],
            articles_count=rows[0].total if rows else 0,
        )

    @staticmethod
    async def _replace_tags(session: AsyncSession, article_id: int, tags: list[str]) -> None:
        if not tags:
            return
        # Two statements on purpose: the second one's snapshot sees tags that a concurrent request
        # inserted (and that made this insert skip them), so no tag is lost. Sorted names keep
        # concurrent inserts from deadlocking. A multi-row VALUES: one statement whatever the count
        # (rows given as execute() parameters would be an executemany, one statement per tag).
        await session.execute(
            pg_insert(Tag).values([{"name": name} for name in sorted(tags)]).on_conflict_do_nothing(index_elements=[Tag.name])
        )
        # Values are bound in the statement (literal()): parameters given to session.execute() with an
        # ORM insert are taken as rows of a bulk INSERT.
        await session.execute(
            insert(ArticleTag).from_select(
                ["article_id", "tag_id"],
                select(literal(article_id), Tag.id).where(Tag.name == any_(literal(tags, ARRAY(Text)))),
            )
        )

    # --- Users -------------------------------------------------------------------------------------

    async def create_user(self, user: NewUserRecord) -> UserRecord:
        statement = (
            insert(User)
            .values(username=user.username, email=user.email, password_hash=user.password_hash)
            .returning(*USER_RETURNING)
        )
        try:
            row = await self._one(statement)
        except IntegrityError as error:
            raise (_conflict(error) or error) from error
        assert row is not None
        return _user(row)

    async def find_credentials_by_email(self, email: str) -> UserCredentials | None:
        row = await self._one(CREDENTIALS_BY_EMAIL, {"email": email})
        if row is None:
            return None
        return UserCredentials(
            id=row.id, email=row.email, username=row.username, bio=row.bio, image=row.image, password_hash=row.password_hash
        )

    async def find_user_by_id(self, user_id: int) -> UserRecord | None:
        row = await self._one(USER_BY_ID, {"user_id": user_id})
        return _user(row) if row is not None else None

    async def update_user(self, user_id: int, changes: UserChanges) -> UserRecord | None:
        values = _present(
            {
                "email": changes.email,
                "username": changes.username,
                "password_hash": changes.password_hash,
                "bio": changes.bio,
                "image": changes.image,
            }
        )
        statement = (
            update(User).where(User.id == user_id).values(**values, updated_at=func.now()).returning(*USER_RETURNING)
        )
        try:
            row = await self._one(statement)
        except IntegrityError as error:
            raise (_conflict(error) or error) from error
        return _user(row) if row is not None else None

    # --- Profiles ----------------------------------------------------------------------------------

    async def get_profile(self, username: str, viewer_id: int | None) -> ProfileRecord | None:
        row = await self._one(PROFILE_BY_USERNAME, {"username": username, "viewer_id": viewer_id})
        if row is None:
            return None
        return ProfileRecord(username=row.username, bio=row.bio, image=row.image, following=row.following)

    async def follow_user(self, follower_id: int, username: str) -> ProfileRecord | None:
        async with self._sessions() as session:
            target = (await session.execute(TARGET_BY_USERNAME, {"username": username})).first()
            if target is None:
                return None
            await session.execute(
                pg_insert(Follow).values(follower_id=follower_id, followee_id=target.id).on_conflict_do_nothing()
            )
        return ProfileRecord(username=target.username, bio=target.bio, image=target.image, following=True)

    async def unfollow_user(self, follower_id: int, username: str) -> ProfileRecord | None:
        async with self._sessions() as session:
            target = (await session.execute(TARGET_BY_USERNAME, {"username": username})).first()
            if target is None:
                return None
            await session.execute(
                delete(Follow).where(Follow.follower_id == follower_id, Follow.followee_id == target.id)
            )
        return ProfileRecord(username=target.username, bio=target.bio, image=target.image, following=False)

    # --- Articles ----------------------------------------------------------------------------------

    async def list_articles(self, filter: ArticleFilter, viewer_id: int | None) -> ArticlePage:
        shape = (filter.tag is not None, filter.author is not None, filter.favorited is not None)
        statement = self._pages.get(shape)
        if statement is None:
            statement = self._pages[shape] = _page_statement(_filter_conditions(filter))
        params: dict[str, Any] = {"viewer_id": viewer_id}
        for name, value in (("tag", filter.tag), ("author", filter.author), ("favorited", filter.favorited)):
            if value is not None:
                params[name] = value
        return await self._page(statement, params, filter)

    async def list_feed(self, page: Page, viewer_id: int) -> ArticlePage:
        return await self._page(self._feed, {"viewer_id": viewer_id}, page)

    async def get_article(self, slug: str, viewer_id: int | None) -> ArticleRecord | None:
        return await self._article_by_slug(slug, viewer_id)

    async def find_article_owner(self, slug: str) -> ArticleOwner | None:
        row = await self._one(ARTICLE_OWNER_BY_SLUG, {"slug": slug})
        return ArticleOwner(article_id=row.id, author_id=row.author_id) if row is not None else None

    async def create_article(self, author_id: int, article: NewArticleRecord) -> ArticleRecord:
        try:
            async with self._transactions.begin() as session:
                article_id = (
                    await session.execute(
                        insert(Article)
                        .values(
                            slug=article.slug,
                            title=article.title,
                            description=article.description,
                            content=article.body,
                            reading_minutes=article.reading_minutes,
                            author_id=author_id,
                        )
                        .returning(Article.id)
                    )
                ).scalar_one()
                await self._replace_tags(session, article_id, article.tag_list)
        except IntegrityError as error:
            raise (_conflict(error) or error) from error
        return await self._article_by_id(article_id, author_id)

    async def update_article(self, article_id: int, changes: ArticleChanges, viewer_id: int) -> ArticleRecord:
        values = _present(
            {
                "title": changes.title,
                "description": changes.description,
                "content": changes.body,
                "reading_minutes": changes.reading_minutes,
            }
        )
        statement = update(Article).where(Article.id == article_id).values(**values, updated_at=func.now())
        tag_list = changes.tag_list
        if isinstance(tag_list, list):
            async with self._transactions.begin() as session:
                await session.execute(statement)
                await session.execute(delete(ArticleTag).where(ArticleTag.article_id == article_id))
                await self._replace_tags(session, article_id, tag_list)
        else:
            async with self._sessions() as session:
                await session.execute(statement)
        return await self._article_by_id(article_id, viewer_id)

    async def delete_article(self, article_id: int) -> None:
        # Comments, favorites and tag links go with it: ON DELETE CASCADE.
        async with self._sessions() as session:
            await session.execute(delete(Article).where(Article.id == article_id))

    # --- Favorites ---------------------------------------------------------------------------------

    async def favorite_article(self, slug: str, user_id: int) -> ArticleRecord | None:
        async with self._sessions() as session:
            await session.execute(
                pg_insert(Favorite)
                .from_select(["user_id", "article_id"], select(literal(user_id), Article.id).where(Article.slug == slug))
                .on_conflict_do_nothing()
            )
        return await self._article_by_slug(slug, user_id)

    async def unfavorite_article(self, slug: str, user_id: int) -> ArticleRecord | None:
        async with self._sessions() as session:
            await session.execute(
                delete(Favorite)
                .where(
                    Favorite.user_id == user_id,
                    Favorite.article_id == select(Article.id).where(Article.slug == slug).scalar_subquery(),
                )
                # The session holds no Favorite objects to keep in step: without this, the subquery
                # makes the ORM "fetch" the deleted keys with RETURNING (its column order differed
                # from process to process), work nothing reads.
                .execution_options(synchronize_session=False)
            )
        return await self._article_by_slug(slug, user_id)

    # --- Comments ----------------------------------------------------------------------------------

    async def list_comments(self, slug: str, viewer_id: int | None) -> list[CommentRecord] | None:
        async with self._sessions() as session:
            rows = (await session.execute(COMMENTS_BY_SLUG, {"slug": slug, "viewer_id": viewer_id})).all()
        if not rows:
            return None
        return [_comment(row) for row in rows if row.id is not None]

    async def add_comment(self, slug: str, author_id: int, body: str) -> CommentRecord | None:
        # One statement: the INSERT ... SELECT (nothing for an unknown slug) as a CTE, joined to its author.
        inserted = (
            insert(Comment)
            .from_select(
                ["body", "article_id", "author_id"],
                select(literal(body, Text), Article.id, literal(author_id)).where(Article.slug == slug),
            )
            .returning(Comment.id, Comment.body, Comment.created_at, Comment.updated_at, Comment.author_id)
            .cte("inserted")
        )
        statement = select(
            inserted.c.id,
            inserted.c.body,
            inserted.c.created_at,
            inserted.c.updated_at,
            User.username,
            User.bio,
            User.image,
            exists().where(Follow.follower_id == author_id, Follow.followee_id == inserted.c.author_id).label("following"),
        ).join(User, User.id == inserted.c.author_id)
        row = await self._one(statement)
        return _comment(row) if row is not None else None

    async def find_comment_owner(self, slug: str, comment_id: int) -> CommentOwner | None:
        row = await self._one(COMMENT_OWNER, {"slug": slug, "comment_id": comment_id})
        return CommentOwner(article_id=row.id, comment_author_id=row.author_id) if row is not None else None

    async def delete_comment(self, comment_id: int) -> None:
        async with self._sessions() as session:
            await session.execute(delete(Comment).where(Comment.id == comment_id))

    # --- Tags --------------------------------------------------------------------------------------

    async def list_tags(self) -> list[str]:
        async with self._sessions() as session:
            return list((await session.scalars(TAG_NAMES)).all())

    # --- Lifecycle ---------------------------------------------------------------------------------

    async def ping(self) -> None:
        async with self._sessions() as session:
            await session.execute(PING)

    async def close(self) -> None:
        await self._engine.dispose()


async def create_store(config: StoreConfig) -> ConduitStore:
    return SqlAlchemyStore(create_engine(config))
