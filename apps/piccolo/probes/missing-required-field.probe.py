"""Probe: an article inserted without its title (``articles.title`` is NOT NULL with no default)."""

from arena_piccolo.tables import Article


async def insert_article(author_id: int) -> None:
    await Article.insert(
        # probe-fix: Article(slug="a-slug", title="A title", description="about", content="text", reading_minutes=1, author=author_id)
        Article(slug="a-slug", description="about", content="text", reading_minutes=1, author=author_id)  # probe-mistake
    )
