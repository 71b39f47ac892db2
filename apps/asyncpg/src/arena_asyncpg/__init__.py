"""The raw baseline of the Python apps: the Conduit API on asyncpg with hand-written SQL."""
