"""This app as the shared server loads it: its name, its store, and how SQLAlchemy wraps database errors."""

from arena_api.app_module import AppModule
from arena_api.database_errors import DatabaseErrorShape

from arena_sqlalchemy.database_errors import NESTED_ATTRIBUTES, recognise
from arena_sqlalchemy.store import create_store

NAME = "sqlalchemy"

app = AppModule(
    name=NAME,
    create_store=create_store,
    database_errors=DatabaseErrorShape(nested_attributes=NESTED_ATTRIBUTES, recognise=recognise),
)
