"""Probe: an article inserted without its title (``articles.title`` is NOT NULL with no default)."""

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from arena_sqlalchemy.models import Article


async def insert_article(session: AsyncSession, author_id: int) -> None:
    await session.execute(
        insert(Article)
        # probe-fix: .values(slug="a-slug", title="A title", description="about", content="text", reading_minutes=1, author_id=author_id)
        .values(slug="a-slug", description="about", content="text", reading_minutes=1, author_id=author_id)  # probe-mistake
    )
