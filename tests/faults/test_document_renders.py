"""Document renders: a state per document, retries with backoff, a sweeper, no render in a request.

Issued documents start "pending"; the after-commit task renders them. Here the tasks never ran
(the broker was down): downloads answer "being prepared" without rendering, and the sweeper
renders them once the broker is back.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from approvals.documents.services import render_attempt, render_sweep
from approvals.models import AuditEvent, Document, OutboxMessage
from approvals.models.documents import RenderState
from approvals.outbox import message_send
from tests.approvals.record_helpers import AGENCY_NAMES, approved, make_agencies
from tests.conftest import login
from tests.factories import UnitFactory
from tests.faults.conftest import broker_down

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(minutes=2)


@pytest.fixture
def unrendered(org: Any, teacher_a: Any, head_a: Any, dept_reviewer: Any, director: Any) -> Any:
    """An approved trip whose after-commit render tasks never ran (the broker was down)."""
    make_agencies()
    request = approved(teacher_a, head_a, dept_reviewer, director)
    documents = Document.objects.filter(request_id=request.pk, request_kind="outbound")
    assert set(documents.values_list("render_state", flat=True)) == {RenderState.PENDING}
    return documents.get(kind="outbound_decision")


def _state(document: Document) -> Document:
    return Document.objects.get(pk=document.pk)


def test_download_of_an_unrendered_document_says_being_prepared_and_does_not_render(
    unrendered, teacher_a, broker_unreachable
):
    client = login(teacher_a)

    api = client.get(f"/api/v1/documents/{unrendered.pk}/file/?format=pdf")
    assert api.status_code == 202
    assert api.json() == {
        "detail": "Văn bản đang được chuẩn bị; vui lòng thử lại sau ít phút.",
        "render_state": "pending",
    }
    assert api["Retry-After"] == "15"

    page = client.get(f"/van-ban/{unrendered.pk}/tai-ve/?format=pdf")
    assert page.status_code == 202
    assert "đang được chuẩn bị" in page.content.decode()
    assert _state(unrendered).rendered_at is None
    assert not AuditEvent.objects.filter(action="document.viewed").exists()


def test_sweeper_renders_what_waited_once_the_broker_is_back(unrendered, teacher_a):
    assert render_sweep() == 0  # younger than a minute: its own task may still come
    assert render_sweep(now=timezone.now() + LATER) == 2
    document = _state(unrendered)
    assert document.render_state == RenderState.READY and document.render_attempts == 1
    response = login(teacher_a).get(f"/api/v1/documents/{unrendered.pk}/file/?format=pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert render_sweep(now=timezone.now() + LATER) == 0


def test_failing_render_is_retried_with_backoff_then_failed_and_audited(unrendered, settings):
    settings.DOCUMENT_RENDER_MAX_ATTEMPTS = 2
    Document.objects.filter(pk=unrendered.pk).update(content={})  # cannot be rendered

    assert render_attempt(unrendered.pk) == "retry"
    document = _state(unrendered)
    assert document.render_state == RenderState.PENDING and document.render_attempts == 1
    assert "KeyError" in document.render_error
    assert document.render_next_at >= timezone.now() + datetime.timedelta(seconds=55)
    assert render_attempt(unrendered.pk) == "skipped"  # not before the backoff

    # Time passes: the backoff is over and the row is older than the sweeper's minute.
    Document.objects.filter(pk=unrendered.pk).update(render_next_at=timezone.now() - LATER)
    assert render_sweep() == 1
    document = _state(unrendered)
    assert document.render_state == RenderState.FAILED and document.render_attempts == 2
    event = AuditEvent.objects.get(action="document.render_failed")
    assert str(event.object_id) == str(unrendered.pk)


def test_render_left_by_a_dead_worker_is_taken_over_after_its_lease(unrendered):
    claimed_long_ago = timezone.now() - datetime.timedelta(minutes=5)
    Document.objects.filter(pk=unrendered.pk).update(
        render_state=RenderState.RENDERING, render_claimed_at=claimed_long_ago, render_attempts=1
    )
    # A fresh claim is someone else's: a redelivered task leaves it alone...
    other = Document.objects.exclude(pk=unrendered.pk).get(request_id=unrendered.request_id)
    Document.objects.filter(pk=other.pk).update(
        render_state=RenderState.RENDERING, render_claimed_at=timezone.now(), render_attempts=1
    )
    assert render_attempt(other.pk) == "skipped"
    # ...but takes over one past its lease.
    assert render_attempt(unrendered.pk) == "ready"
    assert _state(unrendered).render_attempts == 2

    # The sweeper takes back and renders in one pass what a dead worker held.
    assert render_sweep(now=timezone.now() + datetime.timedelta(minutes=3)) == 1
    assert _state(other).render_state == RenderState.READY


def test_agency_mail_waiting_for_its_files_goes_once_a_render_stores_them(
    org, teacher_a, head_a, dept_reviewer, director, django_capture_on_commit_callbacks,
    mailoutbox,
):  # fmt: skip
    """Mail before paperwork: an agency e-mail that found its documents unrendered does not wait
    for the sweeper's next pass; the last render of the request's documents sends it."""
    UnitFactory(code="CATP-PA08", name=AGENCY_NAMES[0], kind="agency", email="pa08@ca.test")
    UnitFactory(code="SNGV", name=AGENCY_NAMES[1], kind="agency", email="songv@sngv.test")
    request = approved(teacher_a, head_a, dept_reviewer, director)  # its renders never ran
    messages = OutboxMessage.objects.filter(request_id=request.pk, notification__isnull=False)
    ids = list(messages.values_list("pk", flat=True))
    assert len(ids) == 2
    with broker_down():  # no render can be queued: each e-mail waits for its files
        assert [message_send(pk) for pk in ids] == ["waiting", "waiting"]
    assert set(messages.values_list("status", flat=True)) == {"pending"}
    assert all(due > timezone.now() for due in messages.values_list("next_attempt_at", flat=True))
    letter = Document.objects.get(request_id=request.pk, kind="outbound_notice")
    decision = Document.objects.get(request_id=request.pk, kind="outbound_decision")

    with django_capture_on_commit_callbacks(execute=True):  # a documents worker, later
        assert render_attempt(letter.pk) == "ready"
    assert set(messages.values_list("status", flat=True)) == {"pending"}  # the decision is due
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert render_attempt(decision.pk) == "ready"

    assert set(messages.values_list("status", flat=True)) == {"sent"}
    addresses = sorted(to for sent in mailoutbox for to in sent.to)
    assert addresses == ["pa08@ca.test", "songv@sngv.test"]
