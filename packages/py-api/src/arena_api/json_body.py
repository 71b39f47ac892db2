"""Request bodies decoded as JavaScript's `JSON.parse` would (what the TypeScript layer uses).

msgspec decodes the common case fast. It refuses two things `JSON.parse` accepts: an escaped lone
surrogate (`"\\ud800"`, which validation must answer with its own message, not "invalid JSON") and
numbers past float range (`1e400`, Infinity in JavaScript). Those bodies get a second, slower
decode by the standard library, told to refuse the `NaN`/`Infinity` words that JSON does not have.
"""

from __future__ import annotations

import json
from typing import Any, Final

import msgspec

_BOM: Final = b"\xef\xbb\xbf"


class InvalidJson(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise InvalidJson(f"{name} is not JSON")


def decode_json(body: bytes) -> object:
    """The decoded body; raises :class:`InvalidJson` for anything `JSON.parse` refuses."""
    # `Request.json()` decodes UTF-8 with the byte order mark dropped and bad bytes replaced.
    if body.startswith(_BOM):
        body = body[len(_BOM) :]
    try:
        return msgspec.json.decode(body)
    except msgspec.DecodeError:
        pass
    text = body.decode("utf-8", errors="replace")
    try:
        value: object = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        raise InvalidJson(str(error)) from error
    return value
