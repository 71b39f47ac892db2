"""Probe: a number compared with the text column ``users.username`` in a where clause."""

from typing import Any

from arena_piccolo.tables import User


async def find_user() -> dict[str, Any] | None:
    # probe-fix: return await User.select(User.id).where(User.username == "42").first()
    return await User.select(User.id).where(User.username == 42).first()  # probe-mistake
