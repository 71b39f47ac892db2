"""The canonical schema (docs/schema.md) as Piccolo tables: the Piccolo app's ``tables.py``.

Piccolo's defaults differ from the canonical schema in ways every declaration below undoes:
text columns default to ``''`` and integers to ``0`` (``default=None`` leaves the column without
a default), foreign keys are nullable with ``ON UPDATE CASCADE`` (``null=False``,
``OnUpdate.no_action``), a foreign key's column is named after its attribute (``db_column_name``
keeps ``author_id`` while queries say ``Article.author.username``), and a table is named after its
class in the singular (``tablename``). What Piccolo cannot declare at all (composite primary keys,
composite and expression indexes, ``DEFAULT now()`` rather than ``CURRENT_TIMESTAMP``, index names)
is added by hand in the migrations (``piccolo_migrations/``), each fix named there.
"""

from __future__ import annotations

from typing import Any, TypeVar

from piccolo.columns import M2M, ForeignKey, Integer, LazyTableReference, OnDelete, OnUpdate, Serial, Text, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

T = TypeVar("T", bound=Table)


def _references(table: type[T], column: str, **options: Any) -> ForeignKey[T]:
    """A NOT NULL foreign key to ``table`` under its canonical column name, ON DELETE CASCADE."""
    return ForeignKey(
        table,
        default=None,
        null=False,
        on_delete=OnDelete.cascade,
        on_update=OnUpdate.no_action,
        db_column_name=column,
        **options,
    )


def _created_at() -> Timestamptz:
    return Timestamptz(default=TimestamptzNow())


class User(Table, tablename="users"):
    id: Serial  # created by Piccolo's Table metaclass; declared for type checkers
    # Unique regardless of case since v2: the index users_email_lower_key on lower(email), which
    # Piccolo cannot declare (no expression indexes), is created in the v2 migration.
    email = Text(default=None)
    username = Text(default=None, unique=True)
    password_hash = Text(default=None, secret=True)
    bio = Text(default=None, null=True)
    image = Text(default=None, null=True)
    created_at = _created_at()
    updated_at = _created_at()


class Follow(Table, tablename="follows"):
    # Piccolo gives every table a one-column primary key (an ``id`` serial unless a column says
    # primary_key=True); the canonical key (follower_id, followee_id) is set in the migration.
    follower = _references(User, "follower_id", primary_key=True)
    followee = _references(User, "followee_id", index=True)


class Article(Table, tablename="articles"):
    id: Serial  # created by Piccolo's Table metaclass; declared for type checkers
    slug = Text(default=None, unique=True)
    title = Text(default=None)
    description = Text(default=None)
    content = Text(default=None)
    reading_minutes = Integer(default=None)
    author = _references(User, "author_id")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    updated_at = _created_at()
    tags = M2M(LazyTableReference("ArticleTag", module_path=__name__))


class Tag(Table, tablename="tags"):
    id: Serial  # created by Piccolo's Table metaclass; declared for type checkers
    name = Text(default=None, unique=True)


class ArticleTag(Table, tablename="article_tags"):
    # Composite primary key (article_id, tag_id) in the migration, as for Follow.
    article = _references(Article, "article_id", primary_key=True)
    tag = _references(Tag, "tag_id", index=True)


class Favorite(Table, tablename="favorites"):
    # Composite primary key (user_id, article_id) in the migration, as for Follow.
    user = _references(User, "user_id", primary_key=True)
    article = _references(Article, "article_id", index=True)


class Comment(Table, tablename="comments"):
    id: Serial  # created by Piccolo's Table metaclass; declared for type checkers
    body = Text(default=None)
    article = _references(Article, "article_id", index=True)
    author = _references(User, "author_id", index=True)
    created_at = _created_at()
    updated_at = _created_at()


TABLES: list[type[Table]] = [User, Follow, Article, Tag, ArticleTag, Favorite, Comment]
