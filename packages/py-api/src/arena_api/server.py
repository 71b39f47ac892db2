"""What every Python app's `__main__.py` calls (packages/api/src/server.ts): serve the API until SIGTERM.

One production ASGI server, configured identically for every Python app: uvicorn with uvloop and
httptools (README.md says why). It reads the shared environment, serves PORT from DATABASE_URL,
and on SIGTERM or SIGINT stops accepting, finishes in-flight requests (10 s grace), closes the
pool (the app's lifespan) and exits 0. With WORKERS > 1, that many processes share the port, each
with its own pool of PG_POOL_MAX.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Final

from granian.constants import HTTPModes, Interfaces, Loops
from granian.log import LogLevels
from granian.server import Server as Granian
from litestar.types import ASGIApp

from arena_api.app import ConduitAppOptions, create_conduit_app
from arena_api.app_module import AppModule
from arena_api.config import AppConfig, ConfigError, read_config
from arena_api.store import ConduitStore, StoreConfig

SHUTDOWN_GRACE_SECONDS: Final = 10
_APP_VARIABLE: Final = "ARENA_PYTHON_APP"


def load_app_module(path: str) -> AppModule:
    """The `AppModule` at `package.module:attribute`."""
    module_name, _, attribute = path.partition(":")
    found = getattr(importlib.import_module(module_name), attribute or "app")
    if not isinstance(found, AppModule):
        raise TypeError(f"{path} is not an arena_api AppModule")
    return found


def _config_or_exit() -> AppConfig:
    try:
        config = read_config()
    except ConfigError as error:
        print(error, file=sys.stderr)
        sys.exit(1)
    if config.database_url is None:
        print(
            "DATABASE_URL is required: this command serves an existing database, migrated with "
            "`npm run migrate`; `npm start` in the app's folder starts an embedded PostgreSQL without it",
            file=sys.stderr,
        )
        sys.exit(1)
    return config


def asgi_app() -> ASGIApp:
    """The server's factory, run in every worker: the app named by the runner, on the shared settings."""
    app = load_app_module(os.environ[_APP_VARIABLE])
    config = _config_or_exit()
    database_url = config.database_url or ""

    async def open_store() -> ConduitStore:
        store = await app.create_store(
            StoreConfig(
                database_url=database_url,
                pool_max=config.pool_max,
                statement_timeout_ms=config.statement_timeout_ms,
                connection_timeout_ms=config.connection_timeout_ms,
            )
        )
        print(f"{app.name}: Conduit API on http://127.0.0.1:{config.port}/api (pool {config.pool_max})", flush=True)
        return store

    return create_conduit_app(
        ConduitAppOptions(
            open_store=open_store,
            jwt_secret=config.jwt_secret,
            database_errors=app.database_errors,
            workers=config.workers,
        )
    )


def run_server(app_path: str) -> None:
    """Serves the app at `app_path` (`arena_<name>.app:app`) until SIGTERM or SIGINT, then exits 0."""
    config = _config_or_exit()
    load_app_module(app_path)  # fail here, once, rather than in every worker
    os.environ[_APP_VARIABLE] = app_path
    # Granian runs each worker as a process of its own, with its own pool (the app's lifespan);
    # on SIGTERM it stops accepting, lets the workers finish their requests and exits 0.
    Granian(
        "arena_api.server:asgi_app",
        factory=True,
        address="0.0.0.0",
        port=config.port,
        interface=Interfaces.ASGI,
        workers=config.workers,
        loop=Loops.uvloop,
        http=HTTPModes.http1,
        websockets=False,
        log_level=LogLevels.warning,
        workers_kill_timeout=SHUTDOWN_GRACE_SECONDS,
    ).serve()
