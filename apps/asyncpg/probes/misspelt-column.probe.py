"""Probe: a misspelt column in a filter. The SQL is a string: pyright cannot see inside it."""

import asyncpg


async def find_user(connection: asyncpg.Connection, username: str) -> int | None:
    # probe-fix: return await connection.fetchval("SELECT id FROM users WHERE username = $1", username)
    return await connection.fetchval("SELECT id FROM users WHERE usernme = $1", username)  # probe-mistake
