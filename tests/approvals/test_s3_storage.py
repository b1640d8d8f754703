"""Files in an S3-compatible bucket (``MEDIA_S3_BUCKET``): the product works the same.

Every file goes through Django's storage API: an attachment uploaded and downloaded, the
approval's documents rendered and stored, the organisation's signed PDFs, the agencies' e-mail
attachments read back. With the bucket configured, all of them land in the bucket and none on
the host's disk, which is what lets several web and worker hosts share them
(docs/production.md, "Files"). The bucket is moto's S3 server, run in this process: S3 itself
is not reachable from here (``s3_endpoint`` in tests/approvals/conftest.py).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from approvals.models import AgencyNotification, Document, DocumentSignature, OutboxMessage
from approvals.orphan_files import sweep_orphan_files
from config.env import s3_media_storage
from delegations.models import Attachment
from delegations.services.attachments import attachment_add
from tests.approvals.conftest import S3_KEYS, new_bucket
from tests.conftest import login
from tests.flows import approve_all, draft, submit

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any) -> tuple[Any, str]:
    """A fresh bucket, configured as the default storage as MEDIA_S3_BUCKET configures it."""
    client, name = new_bucket(s3_endpoint)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_media_storage(name, endpoint_url=s3_endpoint, prefix="media/", **S3_KEYS),
    }
    return client, name


def keys(bucket: tuple[Any, str]) -> list[str]:
    client, name = bucket
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=name).get("Contents", []))


def files_on_disk(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_attachment_is_stored_in_the_bucket_and_served_back(bucket, org, teacher_a, settings):
    request = draft(teacher_a)
    client = login(teacher_a)
    upload = SimpleUploadedFile("thu.pdf", PDF_BYTES)
    response = client.post(
        f"/doan-ra/{request.pk}/tai-lieu/",
        {"attachment-kind": "invitation", "attachment-file": upload},
    )
    assert response.status_code in (200, 302), response.content.decode()[:500]
    attachment = Attachment.objects.get(request_id=request.pk)
    assert keys(bucket) == [f"media/{attachment.file.name}"]
    download = client.get(f"/doan-ra/tai-lieu/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert files_on_disk(settings) == []


def test_an_approval_renders_signs_and_mails_its_documents_through_the_bucket(
    bucket, org, agencies, teacher_a, head_a, dept_reviewer, director, settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    request = draft(teacher_a, passports=True)
    submit(request, teacher_a)
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(request, head_a, dept_reviewer, director)
    documents = Document.objects.filter(request_id=request.pk, request_kind="outbound")
    assert documents.count() == 2
    stored = keys(bucket)
    for document in documents:
        assert document.render_state == "ready"
        assert f"media/{document.pdf.name}" in stored
        assert f"media/{document.docx.name}" in stored
    # The Director reads the decision back through the API, from the bucket.
    decision = documents.get(kind="outbound_decision")
    pdf = login(director).get(f"/api/v1/documents/{decision.pk}/file/?format=pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    # The police's e-mail carries the organisation's signed PDFs, kept in the bucket too.
    police = AgencyNotification.objects.get(request_id=request.pk, agency__code="CATP")
    message = OutboxMessage.objects.get(notification=police)
    assert message.status == "sent"  # sent after commit, as a worker sends it
    [sent] = [m for m in mail.outbox if m.to == [message.to_address]]
    assert len(sent.attachments) == 2
    for _name, data, _type in sent.attachments:
        assert b"/ByteRange" in data  # signed
    signed = DocumentSignature.objects.filter(document__request_id=request.pk)
    assert signed.exists()
    assert all(f"media/{s.pdf.name}" in keys(bucket) for s in signed)
    assert files_on_disk(settings) == []


def test_the_sweep_sets_aside_a_bucket_object_no_row_names(bucket, org, teacher_a, settings):
    """``sweep_orphan_files`` lists, copies and deletes through the storage API: in the bucket
    as on a disk (approvals/orphan_files.py)."""
    request = draft(teacher_a)
    kept = attachment_add(
        actor=teacher_a.user,
        request=request,
        kind="invitation",
        upload=SimpleUploadedFile("thu.pdf", PDF_BYTES),
    )
    client, name = bucket
    client.put_object(Bucket=name, Key="media/attachments/2026/01/left-by-a-rollback", Body=b"x")
    now = timezone.now() + datetime.timedelta(hours=25)

    result = sweep_orphan_files(now=now)

    day = timezone.localdate(now).isoformat()
    assert result.quarantined == ["attachments/2026/01/left-by-a-rollback"]
    assert keys(bucket) == sorted(
        [
            f"media/{kept.file.name}",
            f"media/quarantine/{day}/attachments/2026/01/left-by-a-rollback",
        ]
    )
    assert sweep_orphan_files(now=now + datetime.timedelta(days=30)).purged == [
        f"quarantine/{day}/attachments/2026/01/left-by-a-rollback"
    ]
    assert keys(bucket) == [f"media/{kept.file.name}"]
    assert files_on_disk(settings) == []


def test_the_sweep_command_says_so_when_the_bucket_does_not_answer(bucket, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": "no-such"},
        },
    }
    with pytest.raises(CommandError, match=r"Không đọc được nơi lưu tệp: .*NoSuchBucket"):
        call_command("sweep_orphan_files")
