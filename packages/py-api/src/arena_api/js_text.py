"""JavaScript's view of text, where the API's rules depend on it.

The TypeScript layer measures strings in UTF-16 code units, trims and splits words by
ECMAScript's white space, and sorts by code unit. Python counts code points and has a different
white space set, so the shared rules are spelt out here to answer exactly as the TypeScript apps do.
"""

from __future__ import annotations

import re
from typing import Final

# ECMAScript WhiteSpace and LineTerminator: what String.prototype.trim() removes and `\s` matches.
JS_WHITESPACE: Final = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_WHITESPACE_CLASS: Final = re.escape(JS_WHITESPACE)
JS_NON_WHITESPACE_RUN: Final = re.compile(f"[^{_WHITESPACE_CLASS}]+")
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def js_trim(text: str) -> str:
    return text.strip(JS_WHITESPACE)


def is_js_blank(text: str) -> bool:
    return js_trim(text) == ""


def has_js_whitespace(text: str) -> bool:
    return any(char in JS_WHITESPACE for char in text)


def utf16_length(text: str) -> int:
    """`text.length` in JavaScript: astral characters count twice."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def has_lone_surrogate(text: str) -> bool:
    """Whether decoded JSON text holds a surrogate code point (JSON's `"\\ud800"`): no UTF-8 form."""
    return _SURROGATE.search(text) is not None


def utf16_sort_key(text: str) -> bytes:
    """Sorts like JavaScript's default `Array.prototype.sort()`: by UTF-16 code units."""
    return text.encode("utf-16-be", "surrogatepass")
