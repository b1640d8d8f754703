"""Typed attachments on inbound visits: the same checks, headers and visibility as outbound."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.models import AuditEvent
from delegations.models import Attachment
from tests.conftest import login
from tests.delegations.test_inbound_pages import file_visit, submit

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, visit, name="Chương trình.pdf", content=PDF_BYTES, kind="programme"):
    return client.post(
        f"/doan-vao/{visit.pk}/tai-lieu/",
        {"attachment-kind": kind, "attachment-file": SimpleUploadedFile(name, content)},
    )


def test_clerk_uploads_a_pdf_to_a_draft_visit_and_downloads_it(clerk_a, media):
    client = login(clerk_a)
    visit = file_visit(client)

    response = upload(client, visit)

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.request_kind, attachment.request_id) == ("inbound", visit.pk)
    page = client.get(f"/doan-vao/{visit.pk}/").content.decode()
    assert "Chương trình.pdf" in page
    assert "Chương trình làm việc" in page  # the declared type
    assert clerk_a.full_name in page  # who uploaded it
    assert f"/doan-vao/tai-lieu/{attachment.pk}/" in page
    download = client.get(f"/doan-vao/tai-lieu/{attachment.pk}/")
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in download["Content-Security-Policy"]
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert AuditEvent.objects.filter(
        object_id=str(visit.pk), action="inbound.attachment_added"
    ).exists()


def test_visit_api_detail_and_edit_form_list_the_attachment(clerk_a, media):
    client = login(clerk_a)
    visit = file_visit(client)
    upload(client, visit)
    attachment = Attachment.objects.get()

    detail = client.get(f"/api/v1/inbound/{visit.pk}/").json()
    form_page = client.get(f"/doan-vao/{visit.pk}/sua/").content.decode()

    assert [(a["id"], a["kind"], a["name"], a["size"]) for a in detail["attachments"]] == [
        (attachment.pk, "programme", "Chương trình.pdf", len(PDF_BYTES))
    ]
    assert detail["attachments"][0]["url"] == f"/doan-vao/tai-lieu/{attachment.pk}/"
    assert "Chương trình.pdf" in form_page


def test_html_renamed_pdf_is_refused_on_a_visit_with_a_vietnamese_message(clerk_a, media):
    client = login(clerk_a)
    visit = file_visit(client)

    response = upload(client, visit, "thu-moi.pdf", b"<html><script>alert(1)</script></html>")

    assert response.status_code == 400
    assert "Định dạng tệp không được chấp nhận" in response.content.decode()
    assert not Attachment.objects.exists()


def test_head_of_other_school_gets_404_on_a_visit_attachment(clerk_a, head_b, media):
    client = login(clerk_a)
    visit = file_visit(client)
    upload(client, visit)
    attachment = Attachment.objects.get()
    other = login(head_b)

    assert other.get(f"/doan-vao/tai-lieu/{attachment.pk}/").status_code == 404
    # The outbound address serves the same kind-aware view, with the same answer.
    assert other.get(f"/doan-ra/tai-lieu/{attachment.pk}/").status_code == 404
    assert upload(other, visit).status_code == 404
    assert Attachment.objects.count() == 1


def test_upload_after_submission_is_refused_with_the_conflict_page(clerk_a, media):
    client = login(clerk_a)
    visit = file_visit(client)
    submit(client, visit)

    response = upload(client, visit)

    assert response.status_code == 409
    assert "Hồ sơ chỉ được sửa khi là bản nháp hoặc bị trả lại." in response.content.decode()
    assert not Attachment.objects.exists()
    page = client.get(f"/doan-vao/{visit.pk}/").content.decode()
    assert f"/doan-vao/{visit.pk}/tai-lieu/" not in page  # no upload form once submitted
