"""Probe: a relation that does not exist, named when loading related rows: names are strings."""

from arena_tortoise.models import Article


async def articles_with_authors() -> list[Article]:
    # probe-fix: return await Article.all().prefetch_related("author")
    return await Article.all().prefetch_related("autor")  # probe-mistake
