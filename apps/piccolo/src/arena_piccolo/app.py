"""This app as the shared server loads it: its name and its store (Piccolo does not wrap asyncpg's
errors, so the shared recognition needs no shape)."""

from arena_api.app_module import AppModule

from arena_piccolo.store import create_store

NAME = "piccolo"

app = AppModule(name=NAME, create_store=create_store)
