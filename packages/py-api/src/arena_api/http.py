"""The small HTTP vocabulary the routes share: JSON responses, query strings read as Hono reads them."""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import unquote

import msgspec
from litestar import Response

JSON: Final = "application/json"
_ENCODED_RUN: Final = re.compile("(?:%[0-9A-Fa-f]{2})+")


def json_response(body: object, status: int = 200, headers: dict[str, str] | None = None) -> Response[bytes]:
    return Response(content=msgspec.json.encode(body), status_code=status, media_type=JSON, headers=headers)


def _try_decode(value: str) -> str:
    """decodeURIComponent, keeping any escape sequence that is not valid UTF-8 as it was (Hono's tryDecode)."""
    if "%" not in value:
        return value
    try:
        return unquote(value, errors="strict")
    except UnicodeDecodeError:

        def decode_run(match: re.Match[str]) -> str:
            try:
                return unquote(match.group(0), errors="strict")
            except UnicodeDecodeError:
                return match.group(0)

        return _ENCODED_RUN.sub(decode_run, value)


def decode_path_param(value: str) -> str:
    """A path parameter as Hono hands it over: decodeURIComponent, undecodable escapes kept."""
    return _try_decode(value)


# decodeURI leaves escapes of URI delimiters encoded, and Hono keeps `%25` too, so that a `%2F` in
# a slug never splits the path: only the parameter, once matched, is decoded in full.
_KEPT_ENCODED: Final = frozenset(b";/?:@&=+$,#%")
_ESCAPE: Final = re.compile("%[0-9A-Fa-f]{2}")


def _decode_run_keeping_delimiters(run: str) -> str:
    escapes = _ESCAPE.findall(run)
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            raw = bytes(int(escape[1:], 16) for escape in pending)
            try:
                out.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                out.append("".join(pending))
            pending.clear()

    for escape in escapes:
        if int(escape[1:], 16) in _KEPT_ENCODED:
            flush()
            out.append(escape)
        else:
            pending.append(escape)
    flush()
    return "".join(out)


def routing_path(raw_path: bytes) -> str:
    """The path routes are matched on, as Hono matches: decoded, but delimiters' escapes kept."""
    text = raw_path.decode("utf-8", errors="replace") if not raw_path.isascii() else raw_path.decode("ascii")
    if "%" not in text:
        return text
    return _ENCODED_RUN.sub(lambda match: _decode_run_keeping_delimiters(match.group(0)), text)


def _decode_component(value: str) -> str:
    return _try_decode(value.replace("+", " ")) if ("+" in value or "%" in value) else value


def query_params(query_string: bytes) -> dict[str, str]:
    """`c.req.query()`: each name's first value, `+` as a space, undecodable escapes kept."""
    result: dict[str, str] = {}
    if not query_string:
        return result
    for part in query_string.decode("latin-1").split("&"):
        name, equals, value = part.partition("=")
        name = _decode_component(_latin1_to_utf8(name))
        if name == "" or name in result:
            continue
        result[name] = _decode_component(_latin1_to_utf8(value)) if equals else ""
    return result


def _latin1_to_utf8(text: str) -> str:
    # Raw bytes outside ASCII in a query string are UTF-8 (what a URL parser would percent-encode).
    return text.encode("latin-1").decode("utf-8", errors="replace") if not text.isascii() else text


