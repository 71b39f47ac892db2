"""Probe: an article inserted without its title: the column list is a string."""

import asyncpg


async def insert_article(connection: asyncpg.Connection, author_id: int) -> None:
    await connection.execute(
        # probe-fix: "INSERT INTO articles (slug, title, description, content, reading_minutes, author_id) VALUES ($1, $2, $3, $4, $5, $6)",
        "INSERT INTO articles (slug, description, content, reading_minutes, author_id) VALUES ($1, $2, $3, $4, $5, $6)",  # probe-mistake
        "a-slug",
        "A title",
        "about",
        "text",
        1,
        author_id,
    )
