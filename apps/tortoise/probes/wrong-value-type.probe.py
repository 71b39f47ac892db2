"""Probe: a number compared with a text column. Filter values are `Any`."""

from arena_tortoise.models import User


async def find_user() -> User | None:
    # probe-fix: return await User.filter(username="42").first()
    return await User.filter(username=42).first()  # probe-mistake
