"""Running HTTP requests in real threads, and SQLite on a file for them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connections


@contextmanager
def sqlite_file_database(path: Path) -> Iterator[None]:
    """Run the block on a file copy of the in-memory test database (SQLite only).

    Threads of an in-memory test database share one cache with table locks, which is not what
    runs in production; a file with the production options (WAL, IMMEDIATE transactions, busy
    timeout, from ``config.env``) is. New connections, in every thread, open the file.
    """
    memory = connections["default"]
    memory.ensure_connection()
    target = sqlite3.connect(path)
    memory.connection.backup(target)
    target.close()
    settings_dict = memory.settings_dict  # the dict every new connection is made from
    saved_name = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)
    on_file = memory.__class__(settings_dict, "default")
    connections["default"] = on_file
    try:
        yield
    finally:
        on_file.close()
        settings_dict["NAME"] = saved_name
        connections["default"] = memory
