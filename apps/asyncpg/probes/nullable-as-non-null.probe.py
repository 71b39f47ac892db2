"""Probe: users.bio is nullable, but a Record's values are typed ``Any``: ``len()`` of it checks."""

import asyncpg


async def bio_length(connection: asyncpg.Connection, user_id: int) -> int | None:
    row = await connection.fetchrow("SELECT bio FROM users WHERE id = $1", user_id)
    if row is None:
        return None
    # probe-fix: return len(row["bio"] or "")
    return len(row["bio"])  # probe-mistake
