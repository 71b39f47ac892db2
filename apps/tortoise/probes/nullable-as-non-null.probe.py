"""Probe: users.bio is nullable (TextField(null=True)), but pyright reads the attribute as `str`:
TextField subclasses str and, unlike CharField, has no `null=True` overload typing it `str | None`."""

from arena_tortoise.models import User


async def bio_length(user_id: int) -> int:
    user = await User.get(id=user_id)
    # probe-fix: return len(user.bio or "")
    return len(user.bio)  # probe-mistake
