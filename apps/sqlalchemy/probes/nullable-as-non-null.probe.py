"""Probe: ``users.bio`` is nullable (``Mapped[str | None]``), used as a string."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from arena_sqlalchemy.models import User


async def bio_length(session: AsyncSession, user_id: int) -> int:
    bio = (await session.execute(select(User.bio).where(User.id == user_id))).scalar_one()
    # probe-fix: return len(bio or "")
    return len(bio)  # probe-mistake
