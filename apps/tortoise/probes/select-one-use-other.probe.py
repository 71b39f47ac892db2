"""Probe: selecting username, then reading email: values() rows are `dict[str, Any]`."""

from typing import Any

from arena_tortoise.models import User


async def email_of(user_id: int) -> Any:
    row = await User.filter(id=user_id).first().values("username")
    # probe-fix: return row["username"] if row else None
    return row["email"] if row else None  # probe-mistake
