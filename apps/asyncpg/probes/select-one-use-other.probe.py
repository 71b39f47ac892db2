"""Probe: the query selects username; the code reads email from the row."""

import asyncpg


async def email_of(connection: asyncpg.Connection, user_id: int) -> str | None:
    row = await connection.fetchrow("SELECT username FROM users WHERE id = $1", user_id)
    # probe-fix: return None if row is None else row["username"]
    return None if row is None else row["email"]  # probe-mistake
