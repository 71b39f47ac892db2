"""The Conduit API on SQLAlchemy 2 (async) with Alembic migrations."""
