"""Fixtures of the fault tests: a broker nobody listens on."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator

import pytest

from approvals import outbox
from config import celery_app


def _closed_port() -> int:
    """A local TCP port with nothing listening on it (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _reset_pools() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextlib.contextmanager
def broker_down() -> Iterator[None]:
    """Celery is not eager and its broker URL points at a closed port (Redis is down)."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager = False
    conf.broker_url = f"redis://127.0.0.1:{_closed_port()}/0"
    _reset_pools()
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url = saved
        _reset_pools()
        outbox._broker_down_until = 0.0


@pytest.fixture
def broker_unreachable() -> Iterator[None]:
    """The broker is down for the whole test (:func:`broker_down`)."""
    with broker_down():
        yield
