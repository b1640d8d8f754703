"""Fixtures of the approvals tests: agencies, a stopped Celery worker, an SMTP sink."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from config import celery_app
from org.models import Unit
from tests.factories import UnitFactory
from tests.workers import SMTPSink, running_sink


@pytest.fixture
def agencies(db: None) -> list[Unit]:
    return [
        UnitFactory(code="CATP", name="Công an Thành phố", kind="agency", email="pa08@ca.test"),
        UnitFactory(code="SNGV", name="Sở Ngoại vụ", kind="agency", email="songv@sngv.test"),
    ]


@pytest.fixture
def worker_stopped() -> Any:
    """Celery publishes to the broker but no worker consumes: tasks are not run in-process."""
    conf = celery_app.conf
    eager = conf.task_always_eager
    conf.task_always_eager = False
    try:
        yield
    finally:
        conf.task_always_eager = eager
        # Leave no stale message for a later real worker (the memory broker may refuse).
        with contextlib.suppress(Exception):
            celery_app.control.purge()


@pytest.fixture
def smtp_sink() -> Iterator[SMTPSink]:
    with running_sink() as sink:
        yield sink
