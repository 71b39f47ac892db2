"""Probe: a misspelt column in a filter: ``User.usernme`` in a select's ``where``."""

from typing import Any

from arena_piccolo.tables import User


async def find_user(username: str) -> dict[str, Any] | None:
    # probe-fix: return await User.select(User.id).where(User.username == username).first()
    return await User.select(User.id).where(User.usernme == username).first()  # probe-mistake
