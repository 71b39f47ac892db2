"""Probe: a number compared with a text column. asyncpg's query arguments are ``*args: object``."""

import asyncpg


async def find_user(connection: asyncpg.Connection) -> int | None:
    # probe-fix: return await connection.fetchval("SELECT id FROM users WHERE username = $1", "42")
    return await connection.fetchval("SELECT id FROM users WHERE username = $1", 42)  # probe-mistake
