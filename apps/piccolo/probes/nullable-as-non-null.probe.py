"""Probe: ``users.bio`` is nullable, used as a string (a select returns dicts, as the store reads)."""

from arena_piccolo.tables import User


async def bio_length(user_id: int) -> int | None:
    row = await User.select(User.bio).where(User.id == user_id).first()
    if row is None:
        return None
    # probe-fix: return None if row["bio"] is None else len(row["bio"])
    return len(row["bio"])  # probe-mistake
