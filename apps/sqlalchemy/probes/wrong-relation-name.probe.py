"""Probe: joining an article's author by a relationship that does not exist (``Article.autor``)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from arena_sqlalchemy.models import Article, User


async def author_of(session: AsyncSession, slug: str) -> str | None:
    # probe-fix: statement = select(User.username).select_from(Article).join(Article.author).where(Article.slug == slug)
    statement = select(User.username).select_from(Article).join(Article.autor).where(Article.slug == slug)  # probe-mistake
    return (await session.execute(statement)).scalar_one_or_none()
