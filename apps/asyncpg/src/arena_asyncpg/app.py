"""This app as the shared server loads it: its name and its store (asyncpg's errors need no shape)."""

from arena_api.app_module import AppModule

from arena_asyncpg.store import create_store

NAME = "asyncpg"

app = AppModule(name=NAME, create_store=create_store)
