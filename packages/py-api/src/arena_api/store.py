"""The ConduitStore port for Python apps: the counterpart of packages/api/src/store.ts.

Each Python app implements this protocol with its ORM; the shared HTTP layer (arena_api) does
everything else (routing, validation, JWT, password hashing, slugs, authorization, errors).
Methods are shaped by use case, not by table, and mirror the TypeScript port one for one
(camelCase there, snake_case here), so that an app in either language answers the same use case
and the comparison measures each ORM's strategy for it. The rules are the TypeScript port's:

- Ids are the integer primary keys of the canonical schema (docs/schema.md).
- "Viewer" is the signed-in user a response is personalised for, or ``None`` when anonymous.
- Lists are ordered newest first (``created_at DESC, id DESC``). Tags come in any order: the HTTP
  layer sorts them.
- A unique-constraint violation is raised as :class:`ConflictError`, mapped from the ORM's own
  error type by the canonical constraint names (:func:`conflict_field_of`); every other database
  error propagates unchanged.
- Writes that touch several tables run in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

# --- Records the store returns ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: int
    email: str
    username: str
    bio: str | None
    image: str | None


@dataclass(frozen=True, slots=True)
class UserCredentials:
    id: int
    email: str
    username: str
    bio: str | None
    image: str | None
    password_hash: str


@dataclass(frozen=True, slots=True)
class ProfileRecord:
    username: str
    bio: str | None
    image: str | None
    following: bool
    """Whether the viewer follows this user; ``False`` for anonymous viewers."""


@dataclass(frozen=True, slots=True)
class ArticleSummaryRecord:
    slug: str
    title: str
    description: str
    tag_list: list[str]
    """Tag names, in any order."""
    created_at: datetime
    updated_at: datetime
    favorited: bool
    """Whether the viewer favorited it; ``False`` for anonymous viewers."""
    favorites_count: int
    author: ProfileRecord


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    slug: str
    title: str
    description: str
    body: str
    """Read from ``articles.content`` (schema v2 renamed ``body``); the API keeps calling it body."""
    tag_list: list[str]
    created_at: datetime
    updated_at: datetime
    favorited: bool
    favorites_count: int
    author: ProfileRecord


@dataclass(frozen=True, slots=True)
class ArticlePage:
    articles: list[ArticleSummaryRecord]
    """The page, without bodies: list responses leave ``body`` out."""
    articles_count: int
    """How many articles match in all, whatever the page."""


@dataclass(frozen=True, slots=True)
class CommentRecord:
    id: int
    body: str
    created_at: datetime
    updated_at: datetime
    author: ProfileRecord


@dataclass(frozen=True, slots=True)
class ArticleOwner:
    article_id: int
    author_id: int


@dataclass(frozen=True, slots=True)
class CommentOwner:
    article_id: int
    comment_author_id: int | None
    """``None`` when the article has no comment with the requested id."""


# --- Inputs the store receives (already validated and normalised by the HTTP layer) -----------


@dataclass(frozen=True, slots=True)
class NewUserRecord:
    username: str
    email: str
    password_hash: str


# Absent fields of a change are left alone; present ``None`` clears bio or image. A sentinel keeps
# "absent" apart from "set to None" without a dict.
class _Unset:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: _Unset = _Unset()


@dataclass(frozen=True, slots=True)
class UserChanges:
    email: str | _Unset = UNSET
    username: str | _Unset = UNSET
    password_hash: str | _Unset = UNSET
    bio: str | None | _Unset = UNSET
    image: str | None | _Unset = UNSET


@dataclass(frozen=True, slots=True)
class Page:
    limit: int
    offset: int


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    limit: int
    offset: int
    tag: str | None = None
    author: str | None = None
    favorited: str | None = None


@dataclass(frozen=True, slots=True)
class NewArticleRecord:
    slug: str
    title: str
    description: str
    body: str
    """Stored in ``articles.content``."""
    reading_minutes: int
    """For ``articles.reading_minutes``: computed by the HTTP layer from ``body``."""
    tag_list: list[str] = field(default_factory=list[str])
    """Distinct, non-blank tag names."""


@dataclass(frozen=True, slots=True)
class ArticleChanges:
    title: str | _Unset = UNSET
    description: str | _Unset = UNSET
    body: str | _Unset = UNSET
    reading_minutes: int | _Unset = UNSET
    """Present exactly when ``body`` is."""
    tag_list: list[str] | _Unset = UNSET
    """Distinct, non-blank tag names that replace the current ones; absent keeps them."""


# --- Conflicts ---------------------------------------------------------------------------------

ConflictField = Literal["username", "email", "slug"]

UNIQUE_CONSTRAINT_FIELDS: dict[str, ConflictField] = {
    "users_username_key": "username",
    "users_email_key": "email",  # schema v1: a plain unique constraint on email
    "users_email_lower_key": "email",  # schema v2: a unique index on lower(email)
    "articles_slug_key": "slug",
}


def conflict_field_of(constraint: str | None) -> ConflictField | None:
    """The field a violated unique constraint or index guards, by its canonical name."""
    return None if constraint is None else UNIQUE_CONSTRAINT_FIELDS.get(constraint)


class ConflictError(Exception):
    """Raised by a store when a write violates a unique constraint (mapped from the ORM's error)."""

    def __init__(self, field: ConflictField) -> None:
        super().__init__(f"{field} has already been taken")
        self.field: ConflictField = field


# --- Configuration -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoreConfig:
    """The same pool settings for every app (PG_POOL_MAX, PG_STATEMENT_TIMEOUT_MS, PG_CONNECTION_TIMEOUT_MS)."""

    database_url: str
    pool_max: int = 10
    statement_timeout_ms: int = 5000
    connection_timeout_ms: int = 10_000


# --- The port ----------------------------------------------------------------------------------


class ConduitStore(Protocol):
    # Users
    async def create_user(self, user: NewUserRecord) -> UserRecord: ...
    async def find_credentials_by_email(self, email: str) -> UserCredentials | None: ...
    async def find_user_by_id(self, user_id: int) -> UserRecord | None: ...
    async def update_user(self, user_id: int, changes: UserChanges) -> UserRecord | None: ...

    # Profiles
    async def get_profile(self, username: str, viewer_id: int | None) -> ProfileRecord | None: ...
    async def follow_user(self, follower_id: int, username: str) -> ProfileRecord | None: ...
    async def unfollow_user(self, follower_id: int, username: str) -> ProfileRecord | None: ...

    # Articles
    async def list_articles(self, filter: ArticleFilter, viewer_id: int | None) -> ArticlePage: ...
    async def list_feed(self, page: Page, viewer_id: int) -> ArticlePage: ...
    async def get_article(self, slug: str, viewer_id: int | None) -> ArticleRecord | None: ...
    async def find_article_owner(self, slug: str) -> ArticleOwner | None: ...
    async def create_article(self, author_id: int, article: NewArticleRecord) -> ArticleRecord: ...
    async def update_article(self, article_id: int, changes: ArticleChanges, viewer_id: int) -> ArticleRecord: ...
    async def delete_article(self, article_id: int) -> None: ...

    # Favorites
    async def favorite_article(self, slug: str, user_id: int) -> ArticleRecord | None: ...
    async def unfavorite_article(self, slug: str, user_id: int) -> ArticleRecord | None: ...

    # Comments
    async def list_comments(self, slug: str, viewer_id: int | None) -> list[CommentRecord] | None: ...
    async def add_comment(self, slug: str, author_id: int, body: str) -> CommentRecord | None: ...
    async def find_comment_owner(self, slug: str, comment_id: int) -> CommentOwner | None: ...
    async def delete_comment(self, comment_id: int) -> None: ...

    # Tags
    async def list_tags(self) -> list[str]: ...

    # Lifecycle
    async def ping(self) -> None: ...
    async def close(self) -> None: ...


# How an app builds its store (``create_store`` in the app's ``store.py``): the same settings for
# every app, so pools are equal. Opening the pool happens here, so the server can fail fast.
class CreateStore(Protocol):
    async def __call__(self, config: StoreConfig) -> ConduitStore: ...
