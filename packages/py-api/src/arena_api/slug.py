"""URL slugs for titles, by the algorithm of packages/api/src/slug.ts.

Lowercase letters and digits of any script joined by dashes (at most 60 UTF-16 code units, as
JavaScript's `slice` counts), plus an 8-character base-36 random suffix, so two articles may share
a title without a lookup or a retry.
"""

from __future__ import annotations

import os
import unicodedata
from typing import Final

MAX_BASE_LENGTH: Final = 60
_DIGITS36: Final = "0123456789abcdefghijklmnopqrstuvwxyz"


def _is_letter_or_number(char: str) -> bool:
    return unicodedata.category(char)[0] in ("L", "N")


def _utf16_prefix(text: str, units: int) -> str:
    """The longest prefix of at most `units` UTF-16 code units (never half a surrogate pair)."""
    taken = 0
    for index, char in enumerate(text):
        taken += 2 if ord(char) > 0xFFFF else 1
        if taken > units:
            return text[:index]
    return text


def slug_base(title: str) -> str:
    decomposed = unicodedata.normalize("NFKD", title)
    unmarked = "".join(char for char in decomposed if unicodedata.category(char)[0] != "M").lower()
    # Runs of anything but letters and digits become one dash.
    pieces: list[str] = []
    in_gap = False
    for char in unmarked:
        if _is_letter_or_number(char):
            pieces.append(char)
            in_gap = False
        elif not in_gap:
            pieces.append("-")
            in_gap = True
    joined = "".join(pieces).strip("-")
    return _utf16_prefix(joined, MAX_BASE_LENGTH).rstrip("-")


def _random_suffix() -> str:
    # 6 random bytes in base 36, padded to 8 characters and cut to the last 8, as the TypeScript layer does.
    value = int.from_bytes(os.urandom(6), "big")
    digits = ""
    while value:
        value, remainder = divmod(value, 36)
        digits = _DIGITS36[remainder] + digits
    return digits.rjust(8, "0")[-8:]


def slugify(title: str) -> str:
    return f"{slug_base(title) or 'article'}-{_random_suffix()}"
