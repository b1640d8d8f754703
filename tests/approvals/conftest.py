"""Fixtures of the approvals tests: agencies, a stopped Celery worker, an SMTP and an S3 server."""

from __future__ import annotations

import contextlib
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

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


#: moto's S3 accepts any keys; the region boto3 is told.
S3_KEYS = {"access_key": "testing", "secret_key": "testing", "region": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """An S3-compatible server (moto's, in this process): S3 itself is not reachable from here."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def new_bucket(endpoint: str) -> tuple[Any, str]:
    """A fresh, empty bucket on ``endpoint``: a boto3 client and the bucket's name."""
    name = f"doanravao-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=S3_KEYS["region"],
        aws_access_key_id=S3_KEYS["access_key"],
        aws_secret_access_key=S3_KEYS["secret_key"],
    )
    client.create_bucket(Bucket=name)
    return client, name
