"""Probe: the query selects only ``username``; the code reads ``email`` from the row."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from arena_sqlalchemy.models import User


async def email_of(session: AsyncSession, user_id: int) -> str:
    row = (await session.execute(select(User.username).where(User.id == user_id))).one()
    # probe-fix: return row.username
    return row.email  # probe-mistake
