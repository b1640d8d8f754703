"""The audit checkpoints in a bucket (``AUDIT_CHECKPOINT_S3_BUCKET``): one object each.

With several hosts, the web (the audit log page shows the last checkpoint) and the reports
worker (which writes and verifies them) must see the same checkpoints; a directory on one host
is not that. In a bucket each checkpoint is an object of its own, written once, so a bucket with
Object Lock keeps it from being deleted or overwritten by whoever holds the servers. The
verification reads them as it reads the file's lines: a cut log is still caught, an altered
checkpoint still named. The bucket is moto's S3 server (tests/approvals/conftest.py).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from approvals.audit import audit_record, checkpoint_last, checkpoint_write, verify_log
from approvals.audit.checkpoints import checkpoints_read
from approvals.models import AuditEvent
from config.env import s3_media_storage
from tests.approvals.conftest import S3_KEYS, new_bucket
from tests.approvals.test_audit_tamper import _raw, _set_head
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PREFIX = "audit-checkpoints"


@pytest.fixture
def checkpoint_bucket(s3_endpoint: str, settings: Any, tmp_path: Path) -> tuple[Any, str]:
    """A bucket configured as AUDIT_CHECKPOINT_S3_BUCKET configures it; the directory unused."""
    client, name = new_bucket(s3_endpoint)
    settings.STORAGES = {
        **settings.STORAGES,
        "audit_checkpoints": s3_media_storage(
            name, endpoint_url=s3_endpoint, prefix=PREFIX, **S3_KEYS
        ),
    }
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    settings.AUDIT_CHECKPOINT_EMAIL = ""
    return client, name


def objects(bucket: tuple[Any, str]) -> list[str]:
    client, name = bucket
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=name).get("Contents", []))


def events(n: int, start: int = 1) -> list[AuditEvent]:
    user = UserFactory()
    return [
        audit_record(actor=user, action="test.event", object_type="t", object_id=i)
        for i in range(start, start + n)
    ]


def test_each_checkpoint_is_one_object_in_the_bucket_and_nothing_on_the_disk(
    checkpoint_bucket, settings
):
    events(3)
    first = checkpoint_write(now=timezone.now() - datetime.timedelta(days=1)).checkpoint
    events(2, start=4)
    second = checkpoint_write().checkpoint
    assert first is not None and second is not None

    keys = objects(checkpoint_bucket)
    day = second.moment.astimezone(datetime.UTC).date().isoformat()
    assert len(keys) == 2
    assert keys[1].startswith(f"{PREFIX}/{day}/000000000005-")
    client, name = checkpoint_bucket
    stored = json.loads(client.get_object(Bucket=name, Key=keys[1])["Body"].read())
    assert stored["last_seq"] == 5 and stored["sig"] == second.sig
    assert checkpoints_read() == [first, second]
    assert checkpoint_last() == second
    result = verify_log()
    assert result.intact and result.checkpoints == 2
    assert not Path(settings.AUDIT_CHECKPOINT_DIR).exists()


def test_a_log_cut_after_its_checkpoint_is_caught_by_the_bucket(checkpoint_bucket):
    written = events(5)
    assert checkpoint_write().checkpoint is not None
    _raw("DELETE FROM approvals_auditevent WHERE seq >= 4")
    _set_head(3, written[2].hash)

    result = verify_log()

    assert result.problem is not None and "cut off" in result.problem.reason
    assert result.checkpoint_line == 1
    with pytest.raises(CommandError, match="điểm kiểm tra dòng 1"):
        call_command("verify_audit")


def test_an_altered_checkpoint_object_is_named_and_no_checkpoint_follows_it(checkpoint_bucket):
    events(3)
    assert checkpoint_write().checkpoint is not None
    client, name = checkpoint_bucket
    [key] = objects(checkpoint_bucket)
    altered = json.loads(client.get_object(Bucket=name, Key=key)["Body"].read())
    altered["last_seq"] = 2
    client.put_object(Bucket=name, Key=key, Body=json.dumps(altered).encode())

    result = verify_log()
    assert result.problem is not None and "signature" in result.problem.reason
    assert result.checkpoint_line == 1
    events(1, start=4)
    refused = checkpoint_write()
    assert refused.checkpoint is None and refused.problem is not None
    assert objects(checkpoint_bucket) == [key]
    assert checkpoint_last() is None  # the screen shows no checkpoint rather than a forged one


def test_the_audit_log_page_shows_the_last_checkpoint_from_the_bucket(checkpoint_bucket, auditor):
    events(4)
    assert checkpoint_write().checkpoint is not None
    page = login(auditor).get("/nhat-ky/")
    assert page.status_code == 200
    assert "(#4)" in page.content.decode()  # the last checkpoint covers event #4


@pytest.fixture
def bucket_gone(checkpoint_bucket: tuple[Any, str], settings: Any) -> None:
    """The configured bucket no longer exists (deleted, or the store answers no): an outage."""
    settings.STORAGES = {
        **settings.STORAGES,
        "audit_checkpoints": {
            **settings.STORAGES["audit_checkpoints"],
            "OPTIONS": {
                **settings.STORAGES["audit_checkpoints"]["OPTIONS"],
                "bucket_name": "doanravao-no-such-bucket",
            },
        },
    }


def test_an_unreachable_store_is_said_on_the_page_and_refuses_nothing_silently(
    bucket_gone, auditor
):
    events(3)
    written = checkpoint_write()
    assert written.checkpoint is None and written.problem is not None
    assert "NoSuchBucket" in written.problem.reason
    client = login(auditor)
    page = client.get("/nhat-ky/")
    assert page.status_code == 200
    assert "Không đọc được nơi lưu điểm kiểm tra" in page.content.decode()
    status = client.get("/api/v1/audit/verification/")
    assert status.status_code == 200 and status.json()["checkpoints_unreadable"] is True
    result = verify_log()
    assert result.problem is not None and "could not be read" in result.problem.reason
