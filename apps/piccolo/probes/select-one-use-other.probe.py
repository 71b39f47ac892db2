"""Probe: the select asks for ``username`` only; the code reads ``email``."""

from arena_piccolo.tables import User


async def email_of(user_id: int) -> str | None:
    row = await User.select(User.username).where(User.id == user_id).first()
    # probe-fix: return None if row is None else row["username"]
    return None if row is None else row["email"]  # probe-mistake
