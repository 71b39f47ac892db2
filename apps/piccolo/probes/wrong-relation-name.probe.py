"""Probe: an article's author joined through a foreign key that does not exist (``autor``)."""

from typing import Any

from arena_piccolo.tables import Article


async def article_with_author(slug: str) -> dict[str, Any] | None:
    # probe-fix: return await Article.select(Article.title, Article.author._.username).where(Article.slug == slug).first()
    return await Article.select(Article.title, Article.autor._.username).where(Article.slug == slug).first()  # probe-mistake
