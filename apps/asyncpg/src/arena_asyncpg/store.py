"""The raw baseline of the Python apps: hand-written SQL over asyncpg.

The same statements as apps/pg/src/store.ts, each use case in the fewest round trips a careful
engineer would write; every other Python app is compared with this one. asyncpg prepares every
statement it runs and keeps it in its per-connection cache, so each statement below is parsed once
per connection and then only bound (what the TypeScript baseline asks node-postgres for by name).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

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
    UserRecord,
    conflict_field_of,
    UNSET as UNSET_VALUE,
)

from arena_asyncpg.db import Connection, Database, create_database

# --- SQL fragments ----------------------------------------------------------------------------------

USER_COLUMNS: Final = "id, email, username, bio, image"

# Everything an article response needs, as the viewer ($1) sees it: one row per article.
ARTICLE_COLUMNS: Final = """
  a.id, a.slug, a.title, a.description, a.content, a.created_at, a.updated_at,
  u.username, u.bio, u.image,
  EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1 AND f.followee_id = a.author_id) AS following,
  EXISTS (SELECT 1 FROM favorites fv WHERE fv.user_id = $1 AND fv.article_id = a.id) AS favorited,
  (SELECT count(*)::int FROM favorites fv WHERE fv.article_id = a.id) AS favorites_count,
  ARRAY(SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) AS tag_list"""

ARTICLE_SELECT: Final = f"SELECT {ARTICLE_COLUMNS} FROM articles a JOIN users u ON u.id = a.author_id"

# A comment with its author as the viewer ($1) sees them.
COMMENT_COLUMNS: Final = """
  c.id, c.body, c.created_at, c.updated_at, u.username, u.bio, u.image,
  EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1 AND f.followee_id = c.author_id) AS following"""

# The columns a change may set, in the order the TypeScript baseline writes them.
USER_CHANGE_COLUMNS: Final = (
    ("email", "email"),
    ("username", "username"),
    ("password_hash", "password_hash"),
    ("bio", "bio"),
    ("image", "image"),
)
ARTICLE_CHANGE_COLUMNS: Final = (
    ("title", "title"),
    ("description", "description"),
    ("body", "content"),
    ("reading_minutes", "reading_minutes"),
)

UNIQUE_VIOLATION: Final = "23505"


# --- Row mapping ----------------------------------------------------------------------------------


def _user(row: asyncpg.Record) -> UserRecord:
    return UserRecord(id=row["id"], email=row["email"], username=row["username"], bio=row["bio"], image=row["image"])


def _author(row: asyncpg.Record) -> ProfileRecord:
    return ProfileRecord(username=row["username"], bio=row["bio"], image=row["image"], following=row["following"])


def _article_summary(row: asyncpg.Record) -> ArticleSummaryRecord:
    return ArticleSummaryRecord(**_article_fields(row))


def _article(row: asyncpg.Record) -> ArticleRecord:
    return ArticleRecord(body=row["content"], **_article_fields(row))


def _article_fields(row: asyncpg.Record) -> dict[str, Any]:
    """What an article and its list item share."""
    return {
        "slug": row["slug"],
        "title": row["title"],
        "description": row["description"],
        "tag_list": row["tag_list"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "favorited": row["favorited"],
        "favorites_count": row["favorites_count"],
        "author": _author(row),
    }


def _comment(row: asyncpg.Record) -> CommentRecord:
    return CommentRecord(
        id=row["id"], body=row["body"], created_at=row["created_at"], updated_at=row["updated_at"], author=_author(row)
    )


def _as_conflict(error: asyncpg.UniqueViolationError) -> Exception:
    """asyncpg reports a unique violation with its SQLSTATE and the constraint's (or index's) name."""
    field = conflict_field_of(error.constraint_name)
    return error if field is None else ConflictError(field)


# --- The store ------------------------------------------------------------------------------------


class AsyncpgStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def _fetch(self, sql: str, *args: object) -> list[asyncpg.Record]:
        async with self._db.connection() as connection:
            return await connection.fetch(sql, *args)

    async def _fetchrow(self, sql: str, *args: object) -> asyncpg.Record | None:
        async with self._db.connection() as connection:
            return await connection.fetchrow(sql, *args)

    async def _execute(self, sql: str, *args: object) -> None:
        async with self._db.connection() as connection:
            await connection.execute(sql, *args)

    async def _article_where(self, where: str, value: object, viewer_id: int | None) -> ArticleRecord | None:
        row = await self._fetchrow(f"{ARTICLE_SELECT} WHERE {where}", viewer_id, value)
        return None if row is None else _article(row)

    async def _page(
        self,
        conditions: Sequence[str],
        values: Sequence[object],
        page: Page,
        viewer_id: int | None,
        page_only: Callable[[str, str], list[str]] | None = None,
    ) -> ArticlePage:
        """One statement for a page and the count of all matches, whatever the filters.

        ``page_only`` adds conditions to the paged rows but not to the count (they get the limit
        and offset parameters), as apps/pg's ``page`` does.
        """
        where = " AND ".join(conditions) if conditions else "true"
        n = len(values) + 2
        page_where = " AND ".join([where, *(page_only(f"${n}", f"${n + 1}") if page_only else [])])
        rows = await self._fetch(
            f"""SELECT total.count AS total, {ARTICLE_COLUMNS}
         FROM (SELECT count(*)::int AS count FROM articles a WHERE {where}) total
         LEFT JOIN (
           SELECT a.* FROM articles a WHERE {page_where}
            ORDER BY a.created_at DESC, a.id DESC LIMIT ${n} OFFSET ${n + 1}
         ) a ON true
         LEFT JOIN users u ON u.id = a.author_id
        ORDER BY a.created_at DESC, a.id DESC""",
            viewer_id,
            *values,
            page.limit,
            page.offset,
        )
        return ArticlePage(
            articles=[_article_summary(row) for row in rows if row["id"] is not None],
            articles_count=rows[0]["total"] if rows else 0,
        )

    @staticmethod
    async def _replace_tags(connection: Connection, article_id: int, tags: list[str]) -> None:
        if not tags:
            return
        # Two statements on purpose: the second one's snapshot sees tags that a concurrent request
        # inserted (and that made this insert skip them), so no tag is ever lost. Sorted names keep
        # concurrent inserts from deadlocking.
        await connection.execute(
            "INSERT INTO tags (name) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT (name) DO NOTHING", sorted(tags)
        )
        await connection.execute(
            "INSERT INTO article_tags (article_id, tag_id) SELECT $1, id FROM tags WHERE name = ANY($2::text[])",
            article_id,
            tags,
        )

    # --- Users ------------------------------------------------------------------------------------

    async def create_user(self, user: NewUserRecord) -> UserRecord:
        try:
            row = await self._fetchrow(
                f"INSERT INTO users (username, email, password_hash) VALUES ($1, $2, $3) RETURNING {USER_COLUMNS}",
                user.username,
                user.email,
                user.password_hash,
            )
        except asyncpg.UniqueViolationError as error:
            raise _as_conflict(error) from error
        assert row is not None
        return _user(row)

    async def find_credentials_by_email(self, email: str) -> UserCredentials | None:
        row = await self._fetchrow(
            f"SELECT {USER_COLUMNS}, password_hash FROM users WHERE lower(email) = lower($1)", email
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
        row = await self._fetchrow(f"SELECT {USER_COLUMNS} FROM users WHERE id = $1", user_id)
        return None if row is None else _user(row)

    async def update_user(self, user_id: int, changes: UserChanges) -> UserRecord | None:
        sets: list[str] = []
        values: list[object] = [user_id]
        for field, column in USER_CHANGE_COLUMNS:
            value: object = getattr(changes, field)
            if value is UNSET_VALUE:
                continue
            values.append(value)
            sets.append(f"{column} = ${len(values)}")
        sets.append("updated_at = now()")
        try:
            row = await self._fetchrow(
                f"UPDATE users SET {', '.join(sets)} WHERE id = $1 RETURNING {USER_COLUMNS}", *values
            )
        except asyncpg.UniqueViolationError as error:
            raise _as_conflict(error) from error
        return None if row is None else _user(row)

    # --- Profiles ---------------------------------------------------------------------------------

    async def get_profile(self, username: str, viewer_id: int | None) -> ProfileRecord | None:
        row = await self._fetchrow(
            """SELECT u.username, u.bio, u.image,
                EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $2 AND f.followee_id = u.id) AS following
           FROM users u WHERE u.username = $1""",
            username,
            viewer_id,
        )
        return None if row is None else _author(row)

    async def follow_user(self, follower_id: int, username: str) -> ProfileRecord | None:
        row = await self._fetchrow(
            """WITH target AS (SELECT id, username, bio, image FROM users WHERE username = $2),
              followed AS (
                INSERT INTO follows (follower_id, followee_id) SELECT $1, id FROM target
                ON CONFLICT DO NOTHING
              )
         SELECT username, bio, image, true AS following FROM target""",
            follower_id,
            username,
        )
        return None if row is None else _author(row)

    async def unfollow_user(self, follower_id: int, username: str) -> ProfileRecord | None:
        row = await self._fetchrow(
            """WITH target AS (SELECT id, username, bio, image FROM users WHERE username = $2),
              unfollowed AS (
                DELETE FROM follows f USING target WHERE f.follower_id = $1 AND f.followee_id = target.id
              )
         SELECT username, bio, image, false AS following FROM target""",
            follower_id,
            username,
        )
        return None if row is None else _author(row)

    # --- Articles ---------------------------------------------------------------------------------

    async def list_articles(self, filter: ArticleFilter, viewer_id: int | None) -> ArticlePage:  # noqa: A002
        conditions: list[str] = []
        values: list[object] = []

        def param(value: object) -> str:
            values.append(value)
            return f"${len(values) + 1}"

        if filter.tag is not None:
            conditions.append(
                "a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id"
                f" WHERE t.name = {param(filter.tag)})"
            )
        if filter.author is not None:
            conditions.append(f"a.author_id = (SELECT id FROM users WHERE username = {param(filter.author)})")
        if filter.favorited is not None:
            conditions.append(
                "a.id IN (SELECT fv.article_id FROM favorites fv JOIN users fu ON fu.id = fv.user_id"
                f" WHERE fu.username = {param(filter.favorited)})"
            )
        return await self._page(conditions, values, Page(limit=filter.limit, offset=filter.offset), viewer_id)

    async def list_feed(self, page: Page, viewer_id: int) -> ArticlePage:
        # apps/pg's feed shape (its README, "Feed shape, measured"): the followees as an array, and
        # the oldest date the page can reach read from the (author_id, created_at) index, so only
        # the followed authors' newest rows are read, never a walk of the created_at index.
        followees = "ARRAY(SELECT followee_id FROM follows WHERE follower_id = $1)"

        def newest_only(limit: str, offset: str) -> list[str]:
            return [
                f"""a.created_at >= (
           SELECT min(x.created_at) FROM (
             SELECT x.created_at FROM articles x WHERE x.author_id = ANY ({followees})
              ORDER BY x.created_at DESC LIMIT {limit}::bigint + {offset}::bigint) x)"""
            ]

        return await self._page([f"a.author_id = ANY ({followees})"], [], page, viewer_id, newest_only)

    async def get_article(self, slug: str, viewer_id: int | None) -> ArticleRecord | None:
        return await self._article_where("a.slug = $2", slug, viewer_id)

    async def find_article_owner(self, slug: str) -> ArticleOwner | None:
        row = await self._fetchrow("SELECT id, author_id FROM articles WHERE slug = $1", slug)
        return None if row is None else ArticleOwner(article_id=row["id"], author_id=row["author_id"])

    async def create_article(self, author_id: int, article: NewArticleRecord) -> ArticleRecord:
        async with self._db.transaction() as connection:
            try:
                article_id: int = await connection.fetchval(
                    """INSERT INTO articles (slug, title, description, content, reading_minutes, author_id)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id""",
                    article.slug,
                    article.title,
                    article.description,
                    article.body,
                    article.reading_minutes,
                    author_id,
                )
            except asyncpg.UniqueViolationError as error:
                raise _as_conflict(error) from error
            await self._replace_tags(connection, article_id, article.tag_list)
        created = await self._article_where("a.id = $2", article_id, author_id)
        assert created is not None
        return created

    async def update_article(self, article_id: int, changes: ArticleChanges, viewer_id: int) -> ArticleRecord:
        sets = ["updated_at = now()"]
        values: list[object] = [article_id]
        for field, column in ARTICLE_CHANGE_COLUMNS:
            value: object = getattr(changes, field)
            if value is UNSET_VALUE:
                continue
            values.append(value)
            sets.append(f"{column} = ${len(values)}")
        update = f"UPDATE articles SET {', '.join(sets)} WHERE id = $1"
        tag_list = changes.tag_list
        if not isinstance(tag_list, list):
            await self._execute(update, *values)
        else:
            async with self._db.transaction() as connection:
                await connection.execute(update, *values)
                await connection.execute("DELETE FROM article_tags WHERE article_id = $1", article_id)
                await self._replace_tags(connection, article_id, tag_list)
        updated = await self._article_where("a.id = $2", article_id, viewer_id)
        assert updated is not None
        return updated

    async def delete_article(self, article_id: int) -> None:
        # Comments, favorites and tag links go with it: ON DELETE CASCADE.
        await self._execute("DELETE FROM articles WHERE id = $1", article_id)

    # --- Favorites --------------------------------------------------------------------------------

    async def favorite_article(self, slug: str, user_id: int) -> ArticleRecord | None:
        await self._execute(
            "INSERT INTO favorites (user_id, article_id) SELECT $1, id FROM articles WHERE slug = $2"
            " ON CONFLICT DO NOTHING",
            user_id,
            slug,
        )
        return await self._article_where("a.slug = $2", slug, user_id)

    async def unfavorite_article(self, slug: str, user_id: int) -> ArticleRecord | None:
        await self._execute(
            "DELETE FROM favorites fv USING articles a WHERE fv.user_id = $1 AND fv.article_id = a.id AND a.slug = $2",
            user_id,
            slug,
        )
        return await self._article_where("a.slug = $2", slug, user_id)

    # --- Comments ---------------------------------------------------------------------------------

    async def list_comments(self, slug: str, viewer_id: int | None) -> list[CommentRecord] | None:
        # The article joins left, so an article without comments still answers with one row.
        rows = await self._fetch(
            f"""SELECT {COMMENT_COLUMNS}
           FROM articles a
           LEFT JOIN comments c ON c.article_id = a.id
           LEFT JOIN users u ON u.id = c.author_id
          WHERE a.slug = $2
          ORDER BY c.created_at DESC, c.id DESC""",
            viewer_id,
            slug,
        )
        if not rows:
            return None
        return [_comment(row) for row in rows if row["id"] is not None]

    async def add_comment(self, slug: str, author_id: int, body: str) -> CommentRecord | None:
        row = await self._fetchrow(
            f"""WITH c AS (
           INSERT INTO comments (body, article_id, author_id)
           SELECT $3, id, $1 FROM articles WHERE slug = $2
           RETURNING *
         )
         SELECT {COMMENT_COLUMNS} FROM c JOIN users u ON u.id = c.author_id""",
            author_id,
            slug,
            body,
        )
        return None if row is None else _comment(row)

    async def find_comment_owner(self, slug: str, comment_id: int) -> CommentOwner | None:
        row = await self._fetchrow(
            """SELECT a.id AS article_id, c.author_id AS comment_author_id
           FROM articles a LEFT JOIN comments c ON c.article_id = a.id AND c.id = $2
          WHERE a.slug = $1""",
            slug,
            comment_id,
        )
        if row is None:
            return None
        return CommentOwner(article_id=row["article_id"], comment_author_id=row["comment_author_id"])

    async def delete_comment(self, comment_id: int) -> None:
        await self._execute("DELETE FROM comments WHERE id = $1", comment_id)

    # --- Tags -------------------------------------------------------------------------------------

    async def list_tags(self) -> list[str]:
        rows = await self._fetch("SELECT name FROM tags")
        return [row["name"] for row in rows]

    # --- Lifecycle --------------------------------------------------------------------------------

    async def ping(self) -> None:
        await self._execute("SELECT 1")

    async def close(self) -> None:
        await self._db.close()


async def create_store(config: StoreConfig) -> ConduitStore:
    return AsyncpgStore(await create_database(config))
