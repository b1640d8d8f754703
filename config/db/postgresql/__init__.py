"""PostgreSQL with the before-commit queue of :mod:`config.db`."""
