"""SQLite with the before-commit queue of :mod:`config.db`."""

from __future__ import annotations

from django.db.backends.sqlite3 import base

from config.db import BeforeCommit


class DatabaseWrapper(BeforeCommit, base.DatabaseWrapper):
    pass
