"""Store records to response bodies (packages/api/src/presenters.ts): the only place that knows the JSON shapes.

Tags are sorted here as JavaScript sorts them (by UTF-16 code unit), and times are written as
JavaScript's `toISOString()` does (UTC, milliseconds, `Z`), so both languages answer byte for byte alike.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from arena_api.js_text import utf16_sort_key
from arena_api.store import ArticleRecord, ArticleSummaryRecord, CommentRecord, ProfileRecord, UserCredentials, UserRecord

Body = dict[str, Any]


def iso_time(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def sorted_tags(tags: list[str]) -> list[str]:
    return sorted(tags, key=utf16_sort_key)


def present_user(user: UserRecord | UserCredentials, token: str) -> Body:
    return {"email": user.email, "token": token, "username": user.username, "bio": user.bio, "image": user.image}


def present_profile(profile: ProfileRecord) -> Body:
    return {"username": profile.username, "bio": profile.bio, "image": profile.image, "following": profile.following}


def present_article_summary(article: ArticleSummaryRecord | ArticleRecord) -> Body:
    return {
        "slug": article.slug,
        "title": article.title,
        "description": article.description,
        "tagList": sorted_tags(article.tag_list),
        "createdAt": iso_time(article.created_at),
        "updatedAt": iso_time(article.updated_at),
        "favorited": article.favorited,
        "favoritesCount": article.favorites_count,
        "author": present_profile(article.author),
    }


def present_article(article: ArticleRecord) -> Body:
    return {**present_article_summary(article), "body": article.body}


def present_comment(comment: CommentRecord) -> Body:
    return {
        "id": comment.id,
        "createdAt": iso_time(comment.created_at),
        "updatedAt": iso_time(comment.updated_at),
        "body": comment.body,
        "author": present_profile(comment.author),
    }
