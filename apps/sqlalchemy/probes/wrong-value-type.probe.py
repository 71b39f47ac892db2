"""Probe: a number compared with the text column ``users.username``."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from arena_sqlalchemy.models import User


async def find_user(session: AsyncSession) -> int | None:
    # probe-fix: statement = select(User.id).where(User.username == "42")
    statement = select(User.id).where(User.username == 42)  # probe-mistake
    return (await session.execute(statement)).scalar_one_or_none()
