"""Real threads released together, for the tests that race writers against one database."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.models import Model


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

    run_threads([functools.partial(run, i, c) for i, c in enumerate(calls)], timeout=timeout)
    return results


def run_threads(targets: list[Callable[[], Any]], *, timeout: float) -> None:
    """Run each target in a thread of its own, all started, then wait ``timeout`` for each."""
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)


@contextmanager
def row_held(model: type[Model], pk: int) -> Iterator[int]:
    """For the block, another transaction (a thread of its own) holds the row ``pk`` of
    ``model`` locked, as a change that has not ended does; yields its session's backend pid
    (PostgreSQL)."""
    holding, free = threading.Event(), threading.Event()
    pids: list[int] = []

    def hold() -> None:
        try:
            with transaction.atomic():
                model._default_manager.select_for_update().get(pk=pk)
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    pids.append(int(cursor.fetchone()[0]))
                holding.set()
                free.wait(60)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(10), "the row could not be locked"
        yield pids[0]
    finally:
        free.set()
        holder.join(10)
