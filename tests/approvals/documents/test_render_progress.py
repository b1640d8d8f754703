"""Approving never waits for the documents' files: they are made after the commit (in a thread
when there is no worker) and the request page shows their progress until they are ready."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.utils import timezone

from approvals.documents.services import render_attempt, render_dispatch
from approvals.models import Document
from approvals.models.documents import RenderState
from tests.approvals.record_helpers import approved, make_agencies
from tests.conftest import login


@pytest.fixture
def pending(org: Any, teacher_a: Any, head_a: Any, dept_reviewer: Any, director: Any) -> Any:
    """An approved trip whose documents are issued and not yet rendered."""
    make_agencies()
    request = approved(teacher_a, head_a, dept_reviewer, director)
    decision = Document.objects.get(
        request_kind="outbound", request_id=request.pk, kind="outbound_decision"
    )
    assert decision.render_state == RenderState.PENDING
    return request, decision


@pytest.mark.django_db
def test_request_page_says_documents_are_being_prepared_and_reloads_until_ready(
    pending: Any, teacher_a: Any
) -> None:
    request, decision = pending
    client = login(teacher_a)

    html = client.get(f"/doan-ra/{request.pk}/").content.decode()
    item = html[html.index(f'data-document="{decision.pk}"') :][:1200]
    assert "Đang chuẩn bị tệp PDF và DOCX…" in item and "Tải PDF" not in item
    assert '<meta http-equiv="refresh" content="3">' in html

    for document in Document.objects.filter(request_id=request.pk, request_kind="outbound"):
        assert render_attempt(document.pk) == "ready"
    html = client.get(f"/doan-ra/{request.pk}/").content.decode()
    assert "Tải PDF" in html and "Đang chuẩn bị" not in html
    assert 'http-equiv="refresh"' not in html


@pytest.mark.django_db(transaction=True)
def test_without_a_worker_the_render_runs_in_its_own_thread(
    org: Any, teacher_a: Any, head_a: Any, dept_reviewer: Any, director: Any, settings: Any
) -> None:
    make_agencies()
    request = approved(teacher_a, head_a, dept_reviewer, director)  # rendered (threads off)
    decision = Document.objects.get(
        request_kind="outbound", request_id=request.pk, kind="outbound_decision"
    )
    Document.objects.filter(pk=decision.pk).update(
        render_state=RenderState.PENDING, rendered_at=None, render_next_at=timezone.now()
    )
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.DOCUMENT_RENDER_IN_THREAD = True

    thread = render_dispatch(decision.pk)

    assert thread is not None and thread is not threading.current_thread()
    thread.join(timeout=60)
    assert not thread.is_alive()
    decision.refresh_from_db()
    assert decision.render_state == RenderState.READY and decision.pdf_sha256
