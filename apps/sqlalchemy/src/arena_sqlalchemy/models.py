"""The canonical schema (docs/schema.md) as SQLAlchemy 2 typed declarative models.

Alembic's autogenerate diffs these models against a database to write migrations/, so every
table, column, default, key and index of apps/pg/migrations is declared here, names included.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, MetaData, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# PostgreSQL's own default names (users_pkey, follows_follower_id_fkey, articles_slug_key,
# articles_author_id_created_at_idx): the baseline's SQL left them to PostgreSQL, and the stores map
# unique violations to API fields by these names, so SQLAlchemy generates exactly the same ones.
NAMING_CONVENTION = {
    "pk": "%(table_name)s_pkey",
    "fk": "%(table_name)s_%(column_0_name)s_fkey",
    "uq": "%(table_name)s_%(column_0_N_name)s_key",
    "ix": "%(table_name)s_%(column_0_N_name)s_idx",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # `text`, not varchar: length rules belong to the shared API validation (docs/schema.md).
    type_annotation_map = {str: Text, datetime: DateTime(timezone=True)}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str]
    username: Mapped[str] = mapped_column(unique=True)
    password_hash: Mapped[str]
    bio: Mapped[str | None]
    image: Mapped[str | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())


# Emails are unique regardless of case (schema v2), and login looks users up by lower(email). An
# expression index is declared outside the class, where the mapped column exists to call lower() on.
Index("users_email_lower_key", func.lower(User.email), unique=True)


class Follow(Base):
    __tablename__ = "follows"
    __table_args__ = (
        # The primary key serves "whom does X follow"; this serves "who follows X" and user deletes.
        Index(None, "followee_id"),
    )

    follower_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    followee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (
        # Newest-first pages of all articles, and of one author's articles (also the feed).
        Index(None, "created_at"),
        Index(None, "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(unique=True)
    title: Mapped[str]
    description: Mapped[str]
    content: Mapped[str]
    reading_minutes: Mapped[int]
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())

    author: Mapped[User] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary="article_tags")


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)


class ArticleTag(Base):
    __tablename__ = "article_tags"
    __table_args__ = (
        # The tag filter goes from a tag to its articles.
        Index(None, "tag_id"),
    )

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)


class Favorite(Base):
    __tablename__ = "favorites"
    __table_args__ = (
        # favoritesCount counts by article.
        Index(None, "article_id"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)


class Comment(Base):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str]
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())

    author: Mapped[User] = relationship()

