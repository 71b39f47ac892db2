"""Request validation with the contract's rules and messages (packages/contract/src/schemas.ts).

The TypeScript layer validates with zod; this module reproduces what zod answers, field by field
and in the same order, so both languages give the same 422 bodies:
- fields are checked in the schema's order; a field's type error (absent, null, wrong type) stops
  that field's other checks, while its refinements (blank, NUL, lone surrogate, ...) all run;
- an update's "must change at least one field" is checked only when no field had a type error;
- errors are keyed by field name, each message once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from arena_api import messages
from arena_api.errors import invalid, invalid_json, not_found
from arena_api.js_text import JS_WHITESPACE, has_lone_surrogate, is_js_blank, utf16_length
from arena_api.http import decode_path_param
from arena_api.json_body import InvalidJson, decode_json
from arena_api.store import UNSET, _Unset  # pyright: ignore[reportPrivateUsage]

_EMAIL: Final = re.compile(f"[^{re.escape(JS_WHITESPACE)}@]+@[^{re.escape(JS_WHITESPACE)}@]+")
_DIGITS: Final = re.compile("[0-9]+")


class _Issues:
    """Errors of one request, keyed by field, each message once, in the order found."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}
        self.type_error = False

    def add(self, key: str, message: str, *, type_error: bool = False) -> None:
        found = self.errors.setdefault(key, [])
        if message not in found:
            found.append(message)
        self.type_error = self.type_error or type_error

    def raise_if_any(self) -> None:
        if self.errors:
            raise invalid(self.errors)


# --- Field rules ---------------------------------------------------------------------------------

_ABSENT: Final = object()


def _text_refinements(issues: _Issues, key: str, value: str) -> None:
    if "\u0000" in value:
        issues.add(key, messages.NUL_CHARACTER)
    if has_lone_surrogate(value):
        issues.add(key, messages.INVALID_UNICODE)


def _required_text(issues: _Issues, key: str, value: object) -> str | None:
    """A string that must be present and not blank; `None` when it is not a string."""
    if value is _ABSENT or value is None:
        issues.add(key, messages.BLANK, type_error=True)
        return None
    if not isinstance(value, str):
        issues.add(key, messages.NOT_STRING, type_error=True)
        return None
    if is_js_blank(value):
        issues.add(key, messages.BLANK)
    _text_refinements(issues, key, value)
    return value


def _optional_text(issues: _Issues, key: str, value: object) -> str | _Unset:
    if value is _ABSENT:
        return UNSET
    text = _required_text(issues, key, value)
    return UNSET if text is None else text


def _nullable_text(issues: _Issues, key: str, value: object) -> str | None | _Unset:
    """bio and image: a string, or null to clear it."""
    if value is _ABSENT:
        return UNSET
    if value is None:
        return None
    if not isinstance(value, str):
        issues.add(key, messages.NOT_STRING, type_error=True)
        return UNSET
    _text_refinements(issues, key, value)
    return value


def _email(issues: _Issues, key: str, value: object) -> str | None:
    text = _required_text(issues, key, value)
    if text is not None and _EMAIL.fullmatch(text) is None:
        issues.add(key, messages.INVALID_EMAIL)
    return text


def _new_password(issues: _Issues, key: str, value: object) -> str | None:
    text = _required_text(issues, key, value)
    if text is not None:
        length = utf16_length(text)
        if length < messages.PASSWORD_MIN_LENGTH:
            issues.add(key, messages.PASSWORD_TOO_SHORT)
        if length > messages.PASSWORD_MAX_LENGTH:
            issues.add(key, messages.PASSWORD_TOO_LONG)
    return text


def _tag_list(issues: _Issues, key: str, value: object) -> list[str] | _Unset:
    if value is _ABSENT:
        return UNSET
    if not isinstance(value, list):
        issues.add(key, messages.NOT_STRING_LIST, type_error=True)
        return UNSET
    tags: list[str] = []
    for item in value:  # pyright: ignore[reportUnknownVariableType]
        if isinstance(item, str):
            tags.append(item)
        else:
            issues.add(key, messages.NOT_STRING_LIST, type_error=True)
    if len(tags) != len(value):  # pyright: ignore[reportUnknownArgumentType]
        return UNSET
    if any(is_js_blank(tag) for tag in tags):
        issues.add(key, messages.BLANK_TAG)
    if any("\u0000" in tag for tag in tags):
        issues.add(key, messages.NUL_CHARACTER)
    if any(has_lone_surrogate(tag) for tag in tags):
        issues.add(key, messages.INVALID_UNICODE)
    return tags


# --- Bodies --------------------------------------------------------------------------------------


def _envelope(body: bytes, name: str) -> tuple[_Issues, dict[str, object] | None]:
    """The object under `name` of a JSON body `{"<name>": {...}}`, or `None` after an error for it."""
    try:
        raw = decode_json(body)
    except InvalidJson:
        raise invalid_json() from None
    if not isinstance(raw, dict):
        raise invalid({name: [messages.BLANK]})
    issues = _Issues()
    inner = raw.get(name, _ABSENT)  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    if inner is _ABSENT or inner is None:
        issues.add(name, messages.BLANK, type_error=True)
        return issues, None
    if not isinstance(inner, dict):
        issues.add(name, messages.NOT_OBJECT, type_error=True)
        return issues, None
    return issues, {str(k): v for k, v in inner.items()}  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]


def _field(fields: dict[str, object], key: str) -> object:
    return fields.get(key, _ABSENT)


def _require_change(issues: _Issues, envelope: str, fields: dict[str, object], keys: tuple[str, ...]) -> None:
    if not issues.type_error and all(key not in fields for key in keys):
        issues.add(envelope, messages.EMPTY_UPDATE)


@dataclass(frozen=True, slots=True)
class LoginInput:
    email: str
    password: str


@dataclass(frozen=True, slots=True)
class NewUserInput:
    username: str
    email: str
    password: str


@dataclass(frozen=True, slots=True)
class UpdateUserInput:
    email: str | _Unset
    username: str | _Unset
    password: str | _Unset
    bio: str | None | _Unset
    image: str | None | _Unset


@dataclass(frozen=True, slots=True)
class NewArticleInput:
    title: str
    description: str
    body: str
    tag_list: list[str] | _Unset


@dataclass(frozen=True, slots=True)
class UpdateArticleInput:
    title: str | _Unset
    description: str | _Unset
    body: str | _Unset
    tag_list: list[str] | _Unset


def _done(issues: _Issues, fields: dict[str, object] | None) -> dict[str, object]:
    issues.raise_if_any()
    assert fields is not None  # an envelope without fields always records an issue
    return fields


def login_input(body: bytes) -> LoginInput:
    issues, fields = _envelope(body, "user")
    f = fields or {}
    email = _required_text(issues, "email", _field(f, "email"))
    password = _required_text(issues, "password", _field(f, "password"))
    _done(issues, fields)
    assert email is not None and password is not None
    return LoginInput(email=email, password=password)


def new_user_input(body: bytes) -> NewUserInput:
    issues, fields = _envelope(body, "user")
    f = fields or {}
    username = _required_text(issues, "username", _field(f, "username"))
    email = _email(issues, "email", _field(f, "email"))
    password = _new_password(issues, "password", _field(f, "password"))
    _done(issues, fields)
    assert username is not None and email is not None and password is not None
    return NewUserInput(username=username, email=email, password=password)


def update_user_input(body: bytes) -> UpdateUserInput:
    issues, fields = _envelope(body, "user")
    if fields is None:
        issues.raise_if_any()
        raise AssertionError("unreachable")
    f = fields
    email_value = _field(f, "email")
    email: str | _Unset = UNSET
    if email_value is not _ABSENT:
        checked = _email(issues, "email", email_value)
        email = UNSET if checked is None else checked
    username = _optional_text(issues, "username", _field(f, "username"))
    password_value = _field(f, "password")
    password: str | _Unset = UNSET
    if password_value is not _ABSENT:
        checked = _new_password(issues, "password", password_value)
        password = UNSET if checked is None else checked
    bio = _nullable_text(issues, "bio", _field(f, "bio"))
    image = _nullable_text(issues, "image", _field(f, "image"))
    _require_change(issues, "user", f, ("email", "username", "password", "bio", "image"))
    issues.raise_if_any()
    return UpdateUserInput(email=email, username=username, password=password, bio=bio, image=image)


def new_article_input(body: bytes) -> NewArticleInput:
    issues, fields = _envelope(body, "article")
    f = fields or {}
    title = _required_text(issues, "title", _field(f, "title"))
    description = _required_text(issues, "description", _field(f, "description"))
    text = _required_text(issues, "body", _field(f, "body"))
    tag_list = _tag_list(issues, "tagList", _field(f, "tagList"))
    _done(issues, fields)
    assert title is not None and description is not None and text is not None
    return NewArticleInput(title=title, description=description, body=text, tag_list=tag_list)


def update_article_input(body: bytes) -> UpdateArticleInput:
    issues, fields = _envelope(body, "article")
    if fields is None:
        issues.raise_if_any()
        raise AssertionError("unreachable")
    title = _optional_text(issues, "title", _field(fields, "title"))
    description = _optional_text(issues, "description", _field(fields, "description"))
    text = _optional_text(issues, "body", _field(fields, "body"))
    tag_list = _tag_list(issues, "tagList", _field(fields, "tagList"))
    _require_change(issues, "article", fields, ("title", "description", "body", "tagList"))
    issues.raise_if_any()
    return UpdateArticleInput(title=title, description=description, body=text, tag_list=tag_list)


def new_comment_body(body: bytes) -> str:
    issues, fields = _envelope(body, "comment")
    text = _required_text(issues, "body", _field(fields or {}, "body"))
    _done(issues, fields)
    assert text is not None
    return text


# --- Query and path parameters -------------------------------------------------------------------


def _integer(issues: _Issues, key: str, value: str, minimum: int, maximum: int) -> int | None:
    if _DIGITS.fullmatch(value) is None:
        issues.add(key, messages.NOT_INTEGER)
        return None
    number = int(value)
    if number < minimum:
        issues.add(key, f"must be greater than or equal to {minimum}")
    if number > maximum:
        issues.add(key, f"must be less than or equal to {maximum}")
    return number


def _filter(issues: _Issues, key: str, value: str | None) -> str | None:
    if value is None:
        return None
    if value == "":
        issues.add(key, messages.BLANK)
    _text_refinements(issues, key, value)
    return value


@dataclass(frozen=True, slots=True)
class PageQuery:
    limit: int
    offset: int


@dataclass(frozen=True, slots=True)
class ArticleListQuery:
    limit: int
    offset: int
    tag: str | None
    author: str | None
    favorited: str | None


def _page(issues: _Issues, query: dict[str, str]) -> PageQuery:
    limit = query.get("limit")
    offset = query.get("offset")
    parsed_limit = None if limit is None else _integer(issues, "limit", limit, 1, messages.LIMIT_MAX)
    parsed_offset = None if offset is None else _integer(issues, "offset", offset, 0, messages.OFFSET_MAX)
    return PageQuery(
        limit=messages.LIMIT_DEFAULT if parsed_limit is None else parsed_limit,
        offset=0 if parsed_offset is None else parsed_offset,
    )


def page_query(query: dict[str, str]) -> PageQuery:
    issues = _Issues()
    page = _page(issues, query)
    issues.raise_if_any()
    return page


def article_list_query(query: dict[str, str]) -> ArticleListQuery:
    issues = _Issues()
    page = _page(issues, query)
    tag = _filter(issues, "tag", query.get("tag"))
    author = _filter(issues, "author", query.get("author"))
    favorited = _filter(issues, "favorited", query.get("favorited"))
    issues.raise_if_any()
    return ArticleListQuery(limit=page.limit, offset=page.offset, tag=tag, author=author, favorited=favorited)


def comment_id(value: str) -> int:
    """The comment id of the path (still encoded, as routed)."""
    issues = _Issues()
    parsed = _integer(issues, "id", decode_path_param(value), 1, messages.COMMENT_ID_MAX)
    issues.raise_if_any()
    assert parsed is not None
    return parsed


def path_key(value: str, resource: str) -> str:
    """A slug or username from the path (still encoded, as routed), decoded.

    One with NUL or a lone surrogate cannot exist, so it is a 404 without asking the database.
    """
    value = decode_path_param(value)
    if "\u0000" in value or has_lone_surrogate(value):
        raise not_found("article" if resource == "slug" else "profile")
    return value

