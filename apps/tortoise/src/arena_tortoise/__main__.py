"""`python -m arena_tortoise`: serves the API with the shared server runner."""

from arena_api.server import run_server

run_server("arena_tortoise.app:app")
