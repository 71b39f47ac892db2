"""What each Python app hands the shared layer (packages/api/src/app-module.ts): its store and its migration tool."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Literal

from arena_api.database_errors import DatabaseErrorShape
from arena_api.store import CreateStore

SchemaVersion = Literal["v1", "v2"]
"""The named schema versions every app's migrations reach (docs/migrations.md)."""

Migrate = Callable[[str, SchemaVersion | None], Coroutine[Any, Any, None]]
"""Applies the app's migrations to a database URL: all of them, or up to a schema version."""
Rollback = Callable[[str, SchemaVersion], Coroutine[Any, Any, None]]
"""Runs the tool's down migrations until the database is at a schema version."""


@dataclass(frozen=True, slots=True)
class AppModule:
    name: str
    """The app's name, as in its manifest (`arena.json`)."""
    create_store: CreateStore
    database_errors: DatabaseErrorShape | None = None
    """How the app's ORM wraps database failures, when the shared recognition does not see through it."""
