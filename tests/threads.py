"""Real threads released together, for the tests that race writers against one database."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


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
