"""The canonical schema (docs/schema.md) in Tortoise's own model language.

Aerich generates the migrations from these models; what Tortoise cannot declare (composite primary
keys of the join tables, their second-side indexes, the lower(email) expression index) is the hand
fix of each migration, in its own commit.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.expressions import F
from tortoise.fields.db_defaults import SqlDefault
from tortoise.functions import Lower
from tortoise.indexes import Index
from tortoise.models import Model


class UniqueTextField(fields.Field[str], str):  # type: ignore[misc]
    """A `text` column that may be unique or indexed.

    Tortoise's TextField refuses `unique=True` (a MySQL limit it applies everywhere) and CharField
    is `varchar(n)`; the schema is `text` with a unique rule, so this is Tortoise's documented way
    out: a custom field with its own SQL type.
    """

    SQL_TYPE = "TEXT"
    field_type = str


def _now() -> SqlDefault:
    # DEFAULT now(), as the baseline declares it; Tortoise's Now() would emit CURRENT_TIMESTAMP.
    return SqlDefault("now()")


class User(Model):
    id = fields.IntField(primary_key=True)
    # Inline UNIQUE: PostgreSQL names it users_username_key, the canonical name. Email is unique
    # regardless of case (schema v2): the expression index in Meta.
    email = fields.TextField()
    username = UniqueTextField(unique=True)
    password_hash = fields.TextField()
    bio = fields.TextField(null=True)
    image = fields.TextField(null=True)
    created_at = fields.DatetimeField(db_default=_now())
    updated_at = fields.DatetimeField(db_default=_now())

    # follows(follower_id, followee_id): whom this user follows; `followers` is the other side.
    following: fields.ManyToManyRelation[User] = fields.ManyToManyField(
        "models.User",
        related_name="followers",
        through="follows",
        backward_key="follower_id",
        forward_key="followee_id",
        on_delete=fields.CASCADE,
    )
    followers: fields.ManyToManyRelation[User]
    articles: fields.ReverseRelation[Article]
    favorites: fields.ManyToManyRelation[Article]
    comments: fields.ReverseRelation[Comment]

    class Meta:  # pyright: ignore[reportIncompatibleVariableOverride]  (Tortoise's documented pattern)
        table = "users"
        indexes = (Index(Lower(F("email")), name="users_email_lower_key"),)


class Article(Model):
    id = fields.IntField(primary_key=True)
    slug = UniqueTextField(unique=True)
    title = fields.TextField()
    description = fields.TextField()
    # Schema v2 renamed body to content; the API keeps calling it body.
    content = fields.TextField()
    # Minutes at 200 words a minute, computed by the HTTP layer; no default, every write sets it.
    reading_minutes = fields.IntField()
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="articles", on_delete=fields.CASCADE, db_index=False
    )
    author_id: int
    created_at = fields.DatetimeField(db_default=_now())
    updated_at = fields.DatetimeField(db_default=_now())

    tags: fields.ManyToManyRelation[Tag] = fields.ManyToManyField(
        "models.Tag",
        related_name="articles",
        through="article_tags",
        backward_key="article_id",
        forward_key="tag_id",
        on_delete=fields.CASCADE,
    )
    favorited_by: fields.ManyToManyRelation[User] = fields.ManyToManyField(
        "models.User",
        related_name="favorites",
        through="favorites",
        backward_key="article_id",
        forward_key="user_id",
        on_delete=fields.CASCADE,
    )
    comments: fields.ReverseRelation[Comment]

    class Meta:  # pyright: ignore[reportIncompatibleVariableOverride]  (Tortoise's documented pattern)
        table = "articles"
        indexes = (
            Index(fields=("created_at",), name="articles_created_at_idx"),
            Index(fields=("author_id", "created_at"), name="articles_author_id_created_at_idx"),
        )


class Tag(Model):
    id = fields.IntField(primary_key=True)
    name = UniqueTextField(unique=True)

    articles: fields.ManyToManyRelation[Article]

    class Meta:  # pyright: ignore[reportIncompatibleVariableOverride]  (Tortoise's documented pattern)
        table = "tags"


class Comment(Model):
    id = fields.IntField(primary_key=True)
    body = fields.TextField()
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "models.Article", related_name="comments", on_delete=fields.CASCADE, db_index=False
    )
    article_id: int
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="comments", on_delete=fields.CASCADE, db_index=False
    )
    author_id: int
    created_at = fields.DatetimeField(db_default=_now())
    updated_at = fields.DatetimeField(db_default=_now())

    class Meta:  # pyright: ignore[reportIncompatibleVariableOverride]  (Tortoise's documented pattern)
        table = "comments"
        indexes = (
            Index(fields=("article_id",), name="comments_article_id_idx"),
            Index(fields=("author_id",), name="comments_author_id_idx"),
        )


# --- Read models of the join tables ------------------------------------------------------------------
# Counting or checking favorites and follows through the ManyToManyFields always joins the far
# table (Count("favorited_by__id") is COUNT(users.id) over favorites JOIN users: 1,482 buffers for
# one article with 640 favorites, against the baseline's 19), and so does reading a page's tags
# (Tag.filter(articles__id__in=ids) joins articles back: 165 buffers for 20 articles, 43 without).
# These models map the join tables themselves, so those reads are one index scan (plus tags by
# their foreign key), and following or favoriting is one
# `bulk_create(..., ignore_conflicts=True)`: INSERT ... ON CONFLICT DO NOTHING. `managed = False`
# keeps Aerich from creating or dropping them (the ManyToManyFields own the tables). Tortoise needs
# a one-column primary key, which a composite-key table does not have: the one declared here is
# never used to save, update or delete an instance (bulk_create inserts every column as given).


class FavoriteRow(Model):
    article_id = fields.IntField(primary_key=True, generated=False)
    user_id = fields.IntField()

    class Meta:  # pyright: ignore[reportIncompatibleVariableOverride]  (Tortoise's documented pattern)
        table = "favorites"
        managed = False


class FollowRow(Model):
    followee_id = fields.IntField(primary_key=True, generated=False)
    follower_id = fields.IntField()

    class Meta:  # pyright: ignore[reportIncompatibleVariableOverride]  (Tortoise's documented pattern)
        table = "follows"
        managed = False


class ArticleTagRow(Model):
    article_id = fields.IntField(primary_key=True, generated=False)
    # related_name=False: no reverse relation on Tag; db_constraint=False: the migrations own the
    # table and its keys, this model only reads it.
    tag: fields.ForeignKeyRelation[Tag] = fields.ForeignKeyField(
        "models.Tag", related_name=False, db_constraint=False, on_delete=fields.NO_ACTION
    )
    tag_id: int

    class Meta:  # pyright: ignore[reportIncompatibleVariableOverride]  (Tortoise's documented pattern)
        table = "article_tags"
        managed = False
