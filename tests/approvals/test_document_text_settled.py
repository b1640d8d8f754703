"""A document issued with its text to follow says what was decided, whatever changes after.

An approval numbers its documents in its transaction and leaves their text (the roster, the
dates) to be written after commit, by the render or by whoever needs it first
(docs/performance.md, P1). The render usually comes seconds later; in an outage (Redis or the
documents worker down) it may come hours later. A change to the dossier in between (an
amendment of the visit's roster or dates, an extension of the trip, an edit after a return)
must not end up in the text of a document issued before it: the change first writes the text
of every document of the request still waiting for it, from the dossier as it was decided.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import transaction

from approvals.documents import services
from approvals.documents.services import (
    DocumentError,
    current_document,
    document_content,
    document_render,
)
from approvals.models import Document, NumberingMode, UnitNumbering
from approvals.models.documents import DocumentKind
from config.errors import StateConflict
from delegations.services.decisions import outbound_apply_extension
from delegations.services.inbound import VisitorInput, write_visitors
from delegations.services.visits import inbound_amend
from tests.api_helpers import post
from tests.conftest import login
from tests.flows import approve_all, draft, draft_visit, submit

pytestmark = pytest.mark.django_db

NEWCOMER = VisitorInput(
    full_name="Kim Ji-woo",
    nationality="KR",
    passport_number="M1112223",
    passport_expiry=datetime.date(2034, 5, 1),
)


def pending(request: Any) -> list[Document]:
    """The request's documents whose text is still to be written (no render has run here:
    after-commit work is not executed in these tests, as in an outage)."""
    return [
        d
        for d in Document.objects.filter(request_kind=request.request_kind, request_id=request.pk)
        if d.content.get("pending")
    ]


def text(document: Document) -> str:
    return repr(document_content(Document.objects.get(pk=document.pk)))


def approved_with_text_pending(request: Any, applicant: Any, *approvers: Any) -> Any:
    """``request`` submitted and approved; its documents numbered, their text still to come."""
    submit(request, applicant)
    approve_all(request, *approvers)
    assert len(pending(request)) == 2
    return request


def test_an_amendment_before_the_render_leaves_the_approval_letter_as_approved(
    org, clerk_a, head_a, dept_reviewer, director, agencies
):
    visit = approved_with_text_pending(
        draft_visit(clerk_a), clerk_a, head_a, dept_reviewer, director
    )
    approved_departure = visit.departure_date

    inbound_amend(
        actor=clerk_a.user, visit=visit, reason="Thêm một khách, ở thêm hai ngày",
        visitors=[*[VisitorInput(full_name="Choi Min-ho", nationality="KR",
                                 passport_number="M7654321",
                                 passport_expiry=datetime.date(2034, 5, 1))], NEWCOMER],
        departure_date=approved_departure + datetime.timedelta(days=2),
    )  # fmt: skip

    assert pending(visit) == []  # written by the amendment, before it changed anything
    for kind in (DocumentKind.INBOUND_APPROVAL, DocumentKind.INBOUND_NOTICE):
        written = text(current_document("inbound", visit.pk, kind))
        assert "Choi Min-ho" in written
        assert "Kim Ji-woo" not in written
        assert f"{approved_departure:%d/%m/%Y}" in written


def test_an_extension_before_the_render_leaves_the_decision_with_the_approved_return(
    org, teacher_a, head_a, dept_reviewer, director, agencies
):
    request = approved_with_text_pending(
        draft(teacher_a), teacher_a, head_a, dept_reviewer, director
    )
    decision = current_document("outbound", request.pk, DocumentKind.OUTBOUND_DECISION)
    approved_return = request.return_date
    later = approved_return + datetime.timedelta(days=5)

    outbound_apply_extension(request=request, new_return_date=later.isoformat())

    written = text(decision)
    assert f"{approved_return:%d/%m/%Y}" in written
    assert f"{later:%d/%m/%Y}" not in written


def test_a_render_that_read_the_document_before_the_text_was_written_keeps_that_text(
    org, clerk_a, head_a, dept_reviewer, director, agencies
):
    """The render took the row while it was pending; the amendment wrote the text and changed
    the roster meanwhile. The render's text (built after the change) must not replace it."""
    visit = approved_with_text_pending(
        draft_visit(clerk_a), clerk_a, head_a, dept_reviewer, director
    )
    letter = current_document("inbound", visit.pk, DocumentKind.INBOUND_APPROVAL)
    stale = Document.objects.get(pk=letter.pk)  # the render's copy, still pending
    inbound_amend(
        actor=clerk_a.user, visit=visit, reason="Đổi khách",
        visitors=[NEWCOMER],
    )  # fmt: skip

    written = repr(document_content(stale))

    assert "Choi Min-ho" in written and "Kim Ji-woo" not in written
    assert Document.objects.get(pk=letter.pk).content == stale.content


def test_a_text_that_cannot_be_written_refuses_the_change_rather_than_going_ahead(
    org, clerk_a, head_a, dept_reviewer, director, agencies, monkeypatch
):
    """The change waits (409, a clear message) instead of leaving the text to a later render,
    which would read the changed dossier; nothing of the change is kept."""
    visit = approved_with_text_pending(
        draft_visit(clerk_a), clerk_a, head_a, dept_reviewer, director
    )

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("template missing")

    monkeypatch.setattr(services, "build_content", broken)
    with pytest.raises(StateConflict, match="chưa ghi xong nội dung"), transaction.atomic():
        inbound_amend(actor=clerk_a.user, visit=visit, reason="Đổi khách", visitors=[NEWCOMER])
    visit.refresh_from_db()
    assert [v.full_name for v in visit.visitors.all()] == ["Choi Min-ho"]
    assert len(pending(visit)) == 2


def test_a_change_that_skipped_the_settle_never_reaches_the_text(
    org, clerk_a, head_a, dept_reviewer, director, agencies
):
    """The guard under the call sites: a change to a decided dossier that did not write the
    pending texts first (a defect) makes the late render refuse, loudly, instead of writing a
    roster nobody approved into the approval letter."""
    visit = approved_with_text_pending(
        draft_visit(clerk_a), clerk_a, head_a, dept_reviewer, director
    )
    letter = current_document("inbound", visit.pk, DocumentKind.INBOUND_APPROVAL)
    write_visitors(visit, [NEWCOMER])  # the roster changed behind the services' back

    with pytest.raises(DocumentError, match="Hồ sơ đã thay đổi"):
        document_content(Document.objects.get(pk=letter.pk))
    with pytest.raises(DocumentError):
        document_render(Document.objects.get(pk=letter.pk))
    assert Document.objects.get(pk=letter.pk).content.get("pending")
    assert "Kim Ji-woo" not in repr(Document.objects.get(pk=letter.pk).content)


def test_a_text_written_late_from_an_unchanged_dossier_is_written(
    org, clerk_a, head_a, dept_reviewer, director, agencies
):
    visit = approved_with_text_pending(
        draft_visit(clerk_a), clerk_a, head_a, dept_reviewer, director
    )
    letter = current_document("inbound", visit.pk, DocumentKind.INBOUND_APPROVAL)
    assert letter.content["issued_from"]  # what the Director's decision saw, kept with the number

    assert "Choi Min-ho" in text(letter)
    assert not Document.objects.get(pk=letter.pk).content.get("pending")


def test_an_amendment_waits_while_the_approval_letter_awaits_its_number(
    org, clerk_a, head_a, dept_reviewer, director, agencies
):
    """Where the văn thư numbers from the unit's own register, the letter's text is written
    again at its number: the roster may not change before (409), or the letter would list it."""
    UnitNumbering.objects.create(unit=org.department, mode=NumberingMode.ENTERED)
    visit = draft_visit(clerk_a)
    submit(visit, clerk_a)
    approve_all(visit, head_a, dept_reviewer, director)

    with pytest.raises(StateConflict, match="đang chờ văn thư vào số"), transaction.atomic():
        inbound_amend(actor=clerk_a.user, visit=visit, reason="Đổi khách", visitors=[NEWCOMER])
    visit.refresh_from_db()
    assert [v.full_name for v in visit.visitors.all()] == ["Choi Min-ho"]


def test_a_refused_text_is_a_409_for_the_person_acting_never_a_500(
    org, teacher_a, head_a, dept_reviewer, director, agencies
):
    """The cancellation letter names the decision, whose text is still to be written from a
    dossier changed behind the services' back: the cancellation is refused plainly."""
    request = approved_with_text_pending(
        draft(teacher_a), teacher_a, head_a, dept_reviewer, director
    )
    type(request).objects.filter(pk=request.pk).update(
        return_date=request.return_date + datetime.timedelta(days=3)
    )

    answer = post(
        login(teacher_a), f"/api/v1/outbound/{request.pk}/cancel/", {"reason": "Đối tác hoãn"}
    )

    assert answer.status_code == 409, answer.content
    assert "Hồ sơ đã thay đổi" in answer.json()["detail"]
    request.refresh_from_db()
    assert request.status == "approved"
