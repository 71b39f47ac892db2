"""Probe: a misspelt column in a filter: ``User.usernme`` in a 2.0-style ``select()``."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from arena_sqlalchemy.models import User


async def find_user(session: AsyncSession, username: str) -> int | None:
    # probe-fix: statement = select(User.id).where(User.username == username)
    statement = select(User.id).where(User.usernme == username)  # probe-mistake
    return (await session.execute(statement)).scalar_one_or_none()
