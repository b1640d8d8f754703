"""Running HTTP requests in real threads, and SQLite on a file for them."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection, connections


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


def at_once(calls: list[Callable[[], Any]], timeout: float = 60) -> list[Any]:
    """Run the calls in threads released together; each result, or ``repr`` of its exception."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # the test reports it
            results[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
