"""The settings every app reads from its environment (packages/api/src/config.ts): same names, same defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from arena_api.messages import DEVELOPMENT_JWT_SECRET


class ConfigError(Exception):
    """A setting the process cannot start with; the server prints it and exits 1."""


@dataclass(frozen=True, slots=True)
class AppConfig:
    database_url: str | None
    """PostgreSQL to serve from; required by the server (`npm start` brings an embedded one: scripts/python/start.ts)."""
    port: int
    jwt_secret: str
    pool_max: int
    """Connections of this process's pool; with workers, each worker has its own pool of this size."""
    statement_timeout_ms: int
    connection_timeout_ms: int
    workers: int
    production: bool


def read_config(env: Mapping[str, str] = os.environ) -> AppConfig:
    production = env.get("NODE_ENV") == "production"
    if production and not env.get("JWT_SECRET"):
        raise ConfigError("JWT_SECRET is required when NODE_ENV=production")
    workers = _whole_number(env, "WORKERS", 1)
    if workers < 1:
        raise ConfigError(f'WORKERS must be at least 1, got "{env.get("WORKERS")}"')
    return AppConfig(
        database_url=env.get("DATABASE_URL") or None,
        port=_whole_number(env, "PORT", 3000),
        jwt_secret=env.get("JWT_SECRET") or DEVELOPMENT_JWT_SECRET,
        pool_max=_whole_number(env, "PG_POOL_MAX", 10),
        statement_timeout_ms=_whole_number(env, "PG_STATEMENT_TIMEOUT_MS", 5000),
        connection_timeout_ms=_whole_number(env, "PG_CONNECTION_TIMEOUT_MS", 10_000),
        workers=workers,
        production=production,
    )


def _whole_number(env: Mapping[str, str], name: str, fallback: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return fallback
    if not raw.isascii() or not raw.isdigit():
        raise ConfigError(f'{name} must be a whole number, got "{raw}"')
    return int(raw)
