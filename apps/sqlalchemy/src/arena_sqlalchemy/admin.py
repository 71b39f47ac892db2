"""SQLAdmin over the app's own models and database: ``python -m arena_sqlalchemy.admin``.

Serves the admin interface at http://127.0.0.1:$ADMIN_PORT/admin (default 8001) on the database
of DATABASE_URL. It is a tool beside the app, not part of it: its packages are in
requirements-admin.lock, and it has no login (keep it on localhost).
"""

from __future__ import annotations

import os

import uvicorn
from sqladmin import Admin, ModelView
from starlette.applications import Starlette

from arena_api.store import StoreConfig

from .db import create_engine
from .models import Article, ArticleTag, Comment, Favorite, Follow, Tag, User


class UserAdmin(ModelView, model=User):
    column_list = [User.id, User.username, User.email, User.bio, User.created_at]
    column_searchable_list = [User.username, User.email]
    # The scrypt hash is never shown or edited here.
    column_details_exclude_list = [User.password_hash]
    form_excluded_columns = [User.password_hash, User.created_at, User.updated_at]


class ArticleAdmin(ModelView, model=Article):
    column_list = [Article.id, Article.slug, Article.title, Article.author, Article.reading_minutes, Article.created_at]
    column_searchable_list = [Article.slug, Article.title]
    column_default_sort = ("created_at", True)
    # Without a formatter a relation shows as the model's repr (`<...User object at 0x7f...>`).
    column_formatters = {Article.author: lambda model, _attribute: model.author.username}
    # The form's datetime inputs hold whole seconds: saving an edit cut created_at and updated_at
    # to the second (checked in Chromium). Left out of the form, they keep their stored values.
    form_excluded_columns = [Article.created_at, Article.updated_at]


class CommentAdmin(ModelView, model=Comment):
    column_list = [Comment.id, Comment.body, Comment.article_id, Comment.author, Comment.created_at]
    column_formatters = {Comment.author: lambda model, _attribute: model.author.username}
    form_excluded_columns = [Comment.created_at, Comment.updated_at]


class TagAdmin(ModelView, model=Tag):
    column_list = [Tag.id, Tag.name]
    column_searchable_list = [Tag.name]


class FollowAdmin(ModelView, model=Follow):
    column_list = [Follow.follower_id, Follow.followee_id]


class FavoriteAdmin(ModelView, model=Favorite):
    column_list = [Favorite.user_id, Favorite.article_id]


class ArticleTagAdmin(ModelView, model=ArticleTag):
    column_list = [ArticleTag.article_id, ArticleTag.tag_id]


def create_admin_app(database_url: str) -> Starlette:
    app = Starlette()
    admin = Admin(app, engine=create_engine(StoreConfig(database_url=database_url)), title="Conduit (SQLAlchemy)")
    for view in (UserAdmin, ArticleAdmin, CommentAdmin, TagAdmin, FollowAdmin, FavoriteAdmin, ArticleTagAdmin):
        admin.add_view(view)
    return app


def main() -> None:
    port = int(os.environ.get("ADMIN_PORT", "8001"))
    print(f"SQLAdmin on http://127.0.0.1:{port}/admin")
    uvicorn.run(create_admin_app(os.environ["DATABASE_URL"]), host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
