"""`python -m arena_piccolo`: serves the API with the shared server runner."""

from arena_api.server import run_server

run_server("arena_piccolo.app:app")
