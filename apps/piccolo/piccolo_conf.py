"""Piccolo's project configuration (``piccolo project new`` layout), read by the ``piccolo`` CLI
(migrations, the admin) when it runs in this folder. The server builds its own engine from the
shared pool settings (src/arena_piccolo/db.py); this one serves the command line.
"""

from __future__ import annotations

import os

from piccolo.conf.apps import AppRegistry
from piccolo.engine.postgres import PostgresEngine

DB = PostgresEngine(config={"dsn": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/conduit")})

APP_REGISTRY = AppRegistry(apps=["arena_piccolo.piccolo_app"])
