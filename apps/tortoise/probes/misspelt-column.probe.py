"""Probe: a misspelt column in a filter. Filters are keyword arguments typed `Any`."""

from arena_tortoise.models import User


async def find_user(username: str) -> User | None:
    # probe-fix: return await User.filter(username=username).first()
    return await User.filter(usernme=username).first()  # probe-mistake
