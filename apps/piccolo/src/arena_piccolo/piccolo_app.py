"""The Piccolo app (``piccolo app new`` layout): its tables and its migrations folder."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from arena_piccolo.tables import TABLES

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="conduit",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=TABLES,
    migration_dependencies=[],
    commands=[],
)
