"""The JWTs the API hands out (packages/api/src/auth.ts): HS256, subject = user id, 30 days.

Tokens are interchangeable with the TypeScript apps': same algorithm, same claims (`sub` as a
string, `iat`, `exp`), same secret, same `Authorization: Token <jwt>` scheme (`Bearer` accepted).
"""

from __future__ import annotations

import re
import time
from typing import Final

import jwt

from arena_api.js_text import JS_WHITESPACE

THIRTY_DAYS_IN_SECONDS: Final = 30 * 24 * 60 * 60
# JavaScript's `/^(?:Token|Bearer) +(\S+)\s*$/i`: its white space, its ASCII-only case folding.
_WS: Final = re.escape(JS_WHITESPACE)
_AUTHORIZATION: Final = re.compile(f"(?:Token|Bearer) +([^{_WS}]+)[{_WS}]*", re.IGNORECASE | re.ASCII)
_MAX_SAFE_INTEGER: Final = 2**53 - 1


class TokenService:
    def __init__(self, secret: str, ttl_seconds: int = THIRTY_DAYS_IN_SECONDS) -> None:
        self._secret = secret
        self._ttl = ttl_seconds

    def issue(self, user_id: int) -> str:
        now = int(time.time())
        # PyJWT types its key with cryptography's key classes, which pyright cannot see here.
        return jwt.encode(  # pyright: ignore[reportUnknownMemberType]
{"sub": str(user_id), "iat": now, "exp": now + self._ttl}, self._secret, algorithm="HS256")

    def verify(self, token: str) -> int | None:
        """The user id a valid token was issued for; `None` for a bad, expired or tampered token."""
        try:
            # The algorithm is fixed, so `alg: none` or a switched algorithm is rejected.
            payload = jwt.decode(  # pyright: ignore[reportUnknownMemberType]
                token, self._secret, algorithms=["HS256"], options={"require": []})
        except jwt.PyJWTError:
            return None
        subject = payload.get("sub")
        if not isinstance(subject, str) or not subject.isascii() or not subject.isdigit():
            return None
        user_id = int(subject)
        return user_id if 0 < user_id <= _MAX_SAFE_INTEGER else None


def token_of(header: str) -> str | None:
    """The token of an `Authorization: Token <jwt>` header, or `None` when the header is malformed."""
    match = _AUTHORIZATION.fullmatch(header)
    return match.group(1) if match else None
