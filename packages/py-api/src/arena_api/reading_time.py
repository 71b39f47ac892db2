"""Minutes to read an article body (packages/api/src/reading-time.ts): words at 200 a minute, at least 1."""

from __future__ import annotations

import math
from typing import Final

from arena_api.js_text import JS_NON_WHITESPACE_RUN

WORDS_PER_MINUTE: Final = 200


def reading_minutes(text: str) -> int:
    """Words are runs of non-white-space (JavaScript's `\\S+`), rounded up, at least 1 minute."""
    words = sum(1 for _ in JS_NON_WHITESPACE_RUN.finditer(text))
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
