"""Password hashing with scrypt, interchangeable with packages/api/src/password.ts.

Stored as `scrypt$N$r$p$<salt b64>$<hash b64>` (16-byte salt, 32-byte key, NFKC-normalised UTF-8
password), so a hash written by either language verifies in the other. hashlib.scrypt releases
the GIL while it works, so hashing runs on a worker thread, as Node runs it on libuv's pool.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import os
import unicodedata
from typing import Final

PASSWORD_COST: Final = 16_384
"""scrypt's CPU/memory cost in production."""
TEST_PASSWORD_COST: Final = 1024
"""What test harnesses pass in code (never an environment variable): 16 times cheaper."""
_R: Final = 8
_P: Final = 1
_KEY_LENGTH: Final = 32
_MAX_MEMORY: Final = 64 * 1024 * 1024


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    secret = unicodedata.normalize("NFKC", password).encode("utf-8", "surrogatepass")
    return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, maxmem=_MAX_MEMORY, dklen=_KEY_LENGTH)


def hash_password_sync(password: str, cost: int = PASSWORD_COST) -> str:
    salt = os.urandom(16)
    key = _derive(password, salt, cost, _R, _P)
    return "$".join(
        ["scrypt", str(cost), str(_R), str(_P), base64.b64encode(salt).decode(), base64.b64encode(key).decode()]
    )


def verify_password_sync(password: str, stored: str) -> bool:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt" or not all(parts[1:]):
        return False
    _, n, r, p, salt, expected_b64 = parts
    try:
        expected = base64.b64decode(expected_b64)
        actual = _derive(password, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


async def hash_password(password: str, cost: int = PASSWORD_COST) -> str:
    return await asyncio.to_thread(hash_password_sync, password, cost)


async def verify_password(password: str, stored: str) -> bool:
    return await asyncio.to_thread(verify_password_sync, password, stored)
