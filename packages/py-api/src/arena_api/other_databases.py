"""The shared harness of each Python app's ``scripts/other_databases.py`` (issue #21's row
"flexibility and multi-database support"): does the app's own model code run unchanged on a
database other than PostgreSQL?

Each app's script says how its ORM creates the schema from the app's models, writes and reads the
seed (a user, an article with two tags, a favorite, then a page of articles with author, tags and
favorites count) and builds the app's store over another database; this module runs those steps
the same way for every ORM, runs every method of the ConduitStore port on the app's unchanged store
class, and prints one JSON result per database. Not part of ``npm test``: it needs a MariaDB server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from arena_api import store as port

MARIADB_URL = os.environ.get("MARIADB_URL", "mysql://root@127.0.0.1:3306/test")
"""The MariaDB server to try (its database is only where the script connects to create its own)."""


@dataclass(frozen=True, slots=True)
class MariaDb:
    host: str
    port: int
    user: str
    password: str
    admin_database: str
    database: str
    """This run's own database: created by the script, dropped at its end."""


def mariadb(orm: str) -> MariaDb:
    url = urlsplit(MARIADB_URL)
    return MariaDb(
        host=url.hostname or "127.0.0.1",
        port=url.port or 3306,
        user=url.username or "root",
        password=url.password or "",
        admin_database=url.path.lstrip("/") or "test",
        database=f"arena_other_databases_{orm}_{os.getpid()}",
    )


# --- The seed, written and read through the ORM's own API --------------------------------------


@dataclass(frozen=True, slots=True)
class Seed:
    username: str = "crud-author"
    email: str = "Crud.Author@example.com"
    slug: str = "crud-article"
    tags: tuple[str, ...] = ("alpha", "beta")


SEED = Seed()


@dataclass(frozen=True, slots=True)
class ArticleRead:
    """What the ORM read back of one article of the page."""

    slug: str
    author: str
    tags: list[str]
    favorites_count: int


EXPECTED_PAGE = [ArticleRead(slug=SEED.slug, author=SEED.username, tags=sorted(SEED.tags), favorites_count=1)]


def first_line(error: BaseException, scrub: Sequence[tuple[str, str]] = ()) -> str:
    """The error's type and first line, without this machine's paths or this run's names."""
    lines = str(error).strip().splitlines()
    text = f"{type(error).__name__}: {lines[0] if lines else ''}".strip()
    for secret, stand_in in scrub:
        text = text.replace(secret, stand_in)
    # Object addresses and SQLAlchemy's link to its error page change nothing but the diff.
    text = re.sub(r" at 0x[0-9a-f]+", "", text)
    text = re.sub(r" \(Background on this error at: [^)]*\)", "", text)
    return text[:300]


# --- One database's result ------------------------------------------------------------------------


@dataclass
class Report:
    orm: str
    database: str
    drivers: Sequence[str]
    """The driver distributions the ORM uses for this database (their versions are read here)."""
    documented: str
    """What the ORM's documentation says of this database, in a sentence."""
    scrub: list[tuple[str, str]] = field(default_factory=list[tuple[str, str]])
    server_version: str | None = None
    schema_error: str | None = None
    schema_statements_failed: list[dict[str, str]] = field(default_factory=list[dict[str, str]])
    crud_error: str | None = None
    crud_page: list[ArticleRead] | None = None
    crud_read_error: str | None = None
    seed_user_id: int | None = None
    methods_run: list[str] = field(default_factory=list[str])
    methods_failed: list[dict[str, str]] = field(default_factory=list[dict[str, str]])
    not_supported: str | None = None
    started: float = field(default_factory=time.perf_counter)

    @property
    def tables_created(self) -> bool:
        """Every table exists: the create-tables call succeeded, or it refused only indexes (then
        the seed and the store still run, on the tables without those indexes)."""
        if self.not_supported is not None:
            return False
        if self.schema_error is None:
            return True
        refused = [failed["statement"] for failed in self.schema_statements_failed]
        return bool(refused) and not any(statement.startswith("CREATE TABLE") for statement in refused)

    def failure(self, error: BaseException) -> str:
        return first_line(error, self.scrub)

    async def schema(self, create: Callable[[], Awaitable[None]]) -> bool:
        try:
            await create()
        except Exception as error:
            self.schema_error = self.failure(error)
            return False
        return True

    async def diagnose(self, statements: Sequence[str], execute: Callable[[str], Awaitable[None]]) -> None:
        """After the ORM's create-tables call failed: each statement it generates, run alone
        (``IF NOT EXISTS``, so those already created pass), to name every one the database refuses."""
        for statement in statements:
            try:
                await execute(statement)
            except Exception as error:
                shown = " ".join(statement.split())
                self.schema_statements_failed.append(
                    {"statement": shown if len(shown) <= 120 else f"{shown[:117]}...", "error": self.failure(error)}
                )

    async def crud(self, write: Callable[[], Awaitable[int]], read: Callable[[], Awaitable[list[ArticleRead]]]) -> None:
        """``write`` writes the seed and answers its user's id; ``read`` reads the page, tried even
        when the write failed part way (what it reads back then shows how far the write got)."""
        try:
            self.seed_user_id = await write()
        except Exception as error:
            self.crud_error = self.failure(error)
        try:
            self.crud_page = await read()
        except Exception as error:
            self.crud_error = self.crud_error or self.failure(error)
            self.crud_read_error = self.failure(error)
            return
        if self.crud_error is None and self.crud_page != EXPECTED_PAGE:
            self.crud_error = f"read back {self.crud_page!r}, expected {EXPECTED_PAGE!r}"

    async def store(self, store: port.ConduitStore) -> None:
        await StoreScenario(store, self).run()

    def result(self) -> dict[str, Any]:
        ran_store = self.tables_created
        why_not = "not supported" if self.not_supported else "tables not created"
        return {
            "orm": self.orm,
            "ormVersion": metadata.version(self.orm),
            "database": self.database,
            "documented": self.documented,
            "drivers": {name: _version(name) for name in self.drivers},
            "serverVersion": self.server_version,
            "notSupported": self.not_supported,
            "schemaCreated": self.not_supported is None and self.schema_error is None,
            "schemaError": self.schema_error,
            "schemaStatementsFailed": self.schema_statements_failed,
            "crudOk": ran_store and self.crud_error is None,
            "ranWithoutRefusedIndexes": ran_store and self.schema_error is not None,
            "crudError": self.crud_error if ran_store else f"not run: {why_not}",
            "crudReadError": self.crud_read_error,
            "crudPage": None
            if self.crud_page is None
            else [
                {"slug": a.slug, "author": a.author, "tags": a.tags, "favoritesCount": a.favorites_count}
                for a in self.crud_page
            ],
            "storeMethodsRun": self.methods_run,
            "storeMethodsFailed": self.methods_failed,
            "seconds": round(time.perf_counter() - self.started, 1),
        }


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


# --- Every method of the port, on the app's store class ---------------------------------------------

Check = Callable[[Any], str | None]
"""What a method's answer must be; returns why it is wrong, or None."""


def _aware(moment: datetime) -> str | None:
    # The HTTP layer writes times as UTC (presenters.iso_time): a naive datetime would be read as
    # the machine's local time.
    return None if moment.tzinfo is not None else "returned a naive datetime (no time zone)"


def _following(expected: bool) -> Check:
    return lambda profile: None if profile is not None and profile.following is expected else f"{profile!r}"


class StoreScenario:
    """Each method of ConduitStore once, in an order where each finds what it needs: the seed's
    article and user (written through the ORM's API before), and rows the store itself writes."""

    def __init__(self, store: port.ConduitStore, report: Report) -> None:
        self._store = store
        self._report = report
        self._viewer = report.seed_user_id or 0
        self._author = report.seed_user_id or 0
        self._article_id = 0
        self._comment_id = 0
        # When the ORM's own write of the seed failed part way (a tag link refused), the store is
        # still run on what was written: any of the seed's tags then counts, the favorite does.
        self._all_tags = report.crud_error is None

    def _seed_tags(self, tags: list[str]) -> bool:
        if self._all_tags:
            return sorted(tags) == sorted(SEED.tags)
        return bool(tags) and set(tags) <= set(SEED.tags)

    async def _method(self, name: str, call: Callable[[], Awaitable[Any]], check: Check = lambda _: None) -> Any:
        try:
            answer = await call()
            wrong = check(answer)
        except Exception as error:
            self._report.methods_failed.append({"method": name, "error": self._report.failure(error)})
            return None
        if wrong is not None:
            self._report.methods_failed.append({"method": name, "error": f"wrong answer: {wrong}"})
            return None
        self._report.methods_run.append(name)
        return answer

    async def run(self) -> None:
        store = self._store
        m = self._method
        alice = await m(
            "create_user",
            lambda: store.create_user(port.NewUserRecord(username="store-alice", email="Alice@example.com", password_hash="h")),
        )
        if alice is not None:
            self._viewer = alice.id
        bob = await m(
            "create_user (second user)",
            lambda: store.create_user(port.NewUserRecord(username="store-bob", email="bob@example.com", password_hash="h")),
        )
        if bob is not None:
            self._author = bob.id

        async def duplicate() -> str:
            try:
                await store.create_user(port.NewUserRecord(username="store-alice", email="other@example.com", password_hash="h"))
            except port.ConflictError as conflict:
                return conflict.field
            return "no error"

        await m(
            "create_user (taken username: ConflictError)",
            duplicate,
            lambda field: None if field == "username" else f"{field}",
        )
        await m(
            "find_credentials_by_email (any case)",
            lambda: store.find_credentials_by_email("alice@EXAMPLE.com"),
            lambda found: None if found is not None and found.username == "store-alice" else f"{found!r}",
        )
        await m(
            "find_user_by_id",
            lambda: store.find_user_by_id(self._viewer),
            lambda found: None if found is not None else "None",
        )
        await m(
            "update_user",
            lambda: store.update_user(self._viewer, port.UserChanges(bio="bio")),
            lambda user: None if user is not None and user.bio == "bio" else f"{user!r}",
        )
        await m(
            "get_profile",
            lambda: store.get_profile(SEED.username, self._viewer),
            _following(False),
        )
        await m(
            "follow_user",
            lambda: store.follow_user(self._viewer, SEED.username),
            _following(True),
        )
        await m(
            "get_article",
            lambda: store.get_article(SEED.slug, self._viewer),
            lambda article: f"{article!r}"
            if article is None or not self._seed_tags(article.tag_list) or article.favorites_count != 1
            else _aware(article.created_at),
        )
        owner = await m("find_article_owner", lambda: store.find_article_owner(SEED.slug))
        if owner is not None:
            self._article_id = owner.article_id

        def seed_first(page: Any) -> str | None:
            found = [a for a in page.articles if a.slug == SEED.slug]
            if not found or not self._seed_tags(found[0].tag_list) or found[0].author.username != SEED.username:
                return f"{page!r}"
            return _aware(found[0].created_at)

        await m("list_articles", lambda: store.list_articles(port.ArticleFilter(limit=20, offset=0), self._viewer), seed_first)
        await m(
            "list_articles (tag filter)",
            lambda: store.list_articles(port.ArticleFilter(limit=20, offset=0, tag=SEED.tags[0]), None),
            seed_first,
        )
        await m("list_feed", lambda: store.list_feed(port.Page(limit=20, offset=0), self._viewer), seed_first)
        await m(
            "favorite_article",
            lambda: store.favorite_article(SEED.slug, self._viewer),
            lambda article: None if article is not None and article.favorited and article.favorites_count == 2 else f"{article!r}",
        )
        await m(
            "unfavorite_article",
            lambda: store.unfavorite_article(SEED.slug, self._viewer),
            lambda article: None if article is not None and not article.favorited and article.favorites_count == 1 else f"{article!r}",
        )
        created = await m(
            "create_article",
            lambda: store.create_article(
                self._author,
                port.NewArticleRecord(slug="store-article", title="T", description="D", body="B", reading_minutes=1, tag_list=["beta", "gamma"]),
            ),
            lambda article: None if sorted(article.tag_list) == ["beta", "gamma"] else f"{article!r}",
        )
        mine = await self._store_article_id() if created is not None else None
        if mine is not None:
            await m(
                "update_article",
                lambda: store.update_article(mine, port.ArticleChanges(title="T2", tag_list=["delta"]), self._author),
                lambda article: None if article.title == "T2" and article.tag_list == ["delta"] else f"{article!r}",
            )
        else:
            self._not_run("update_article", "create_article")
        comment = await m(
            "add_comment",
            lambda: store.add_comment(SEED.slug, self._viewer, "a comment"),
            lambda comment: None if comment is not None and comment.body == "a comment" else f"{comment!r}",
        )
        if comment is not None:
            self._comment_id = comment.id
        # Without the comment (add_comment failed), these still run: on an article without comments.
        bodies = ["a comment"] if comment is not None else []
        await m(
            "list_comments",
            lambda: store.list_comments(SEED.slug, self._viewer),
            lambda comments: None if comments is not None and [c.body for c in comments] == bodies else f"{comments!r}",
        )
        author = self._viewer if comment is not None else None
        await m(
            "find_comment_owner",
            lambda: store.find_comment_owner(SEED.slug, self._comment_id),
            lambda owner: None if owner is not None and owner.comment_author_id == author else f"{owner!r}",
        )
        await m("delete_comment", lambda: store.delete_comment(self._comment_id))
        await m(
            "unfollow_user",
            lambda: store.unfollow_user(self._viewer, SEED.username),
            _following(False),
        )
        await m(
            "list_tags",
            lambda: store.list_tags(),
            lambda tags: None if self._seed_tags([tag for tag in tags if tag in SEED.tags]) else f"{tags!r}",
        )
        if mine is not None:
            await m("delete_article", lambda: store.delete_article(mine))
        else:
            self._not_run("delete_article", "create_article")
        await m("ping", lambda: store.ping())

    def _not_run(self, name: str, needs: str) -> None:
        self._report.methods_failed.append({"method": name, "error": f"not run: needs the article {needs} writes"})

    async def _store_article_id(self) -> int | None:
        owner = await self._store.find_article_owner("store-article")
        return owner.article_id if owner is not None else None


# --- The command ------------------------------------------------------------------------------------


def run(checks: Sequence[Callable[[], Awaitable[dict[str, Any]]]]) -> None:
    """Runs each database's check in turn, prints the results as JSON, and with ``--write FILE``
    also writes them there (each app commits its own as other-databases.json)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", type=Path, help="also write the results to this file")
    arguments = parser.parse_args()

    async def all_checks() -> list[dict[str, Any]]:
        return [await check() for check in checks]

    results = asyncio.run(all_checks())
    text = _formatted(results, 0, 0) + "\n"
    sys.stdout.write(text)
    if arguments.write is not None:
        arguments.write.write_text(text)


def _formatted(value: Any, indent: int, column: int) -> str:
    """JSON as the repository's formatter (Biome) writes it, so the committed file passes its check:
    objects one key a line, arrays of plain values on one line when they fit in 120 columns."""
    inner = " " * (indent + 2)
    if isinstance(value, dict) and value:
        entries = cast(dict[str, Any], value)
        lines = [
            f"{inner}{json.dumps(key)}: {_formatted(item, indent + 2, indent + 2 + len(json.dumps(key)) + 2)}"
            for key, item in entries.items()
        ]
        return "{\n" + ",\n".join(lines) + "\n" + " " * indent + "}"
    if isinstance(value, list) and value:
        items = cast(list[Any], value)
        if not any(isinstance(item, dict | list) for item in items):
            one_line = "[" + ", ".join(json.dumps(item, ensure_ascii=False) for item in items) + "]"
            if column + len(one_line) + 1 <= 120:
                return one_line
        return "[\n" + ",\n".join(inner + _formatted(item, indent + 2, indent + 2) for item in items) + "\n" + " " * indent + "]"
    return json.dumps(value, ensure_ascii=False)
