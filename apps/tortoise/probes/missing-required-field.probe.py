"""Probe: an article created without its title. Model.create takes `**kwargs: Any`."""

from arena_tortoise.models import Article


async def insert_article(author_id: int) -> Article:
    # probe-fix: return await Article.create(slug="a-slug", title="A title", description="about", content="text", reading_minutes=1, author_id=author_id)
    return await Article.create(slug="a-slug", description="about", content="text", reading_minutes=1, author_id=author_id)  # probe-mistake
