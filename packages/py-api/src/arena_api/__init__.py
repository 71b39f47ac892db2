"""arena_api: the shared HTTP layer of the Python apps (the counterpart of packages/api)."""
