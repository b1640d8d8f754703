"""Redis down during approvals: the approval answers 200; e-mails and renders wait for sweepers."""

from __future__ import annotations

import pytest

from approvals.models import Document, MessageStatus, OutboxMessage
from tests.api_helpers import complete
from tests.approvals.record_helpers import make_agencies
from tests.conftest import login
from tests.flows import approve_all, submitted


@pytest.mark.django_db(transaction=True)
def test_director_approval_answers_200_when_the_broker_is_down(
    org, teacher_a, head_a, dept_reviewer, director, broker_unreachable, caplog
):
    make_agencies()
    request = submitted(teacher_a)
    approve_all(request, head_a, dept_reviewer)

    response = complete(login(director), request.pk)

    assert response.status_code == 200, response.content[:2000]
    request.refresh_from_db()
    assert request.status == "approved"
    # Everything the approval queued is a row waiting in the database, not a lost message.
    assert Document.objects.filter(request_id=request.pk).count() == 2
    assert set(Document.objects.values_list("rendered_at", flat=True)) == {None}
    agency_mail = OutboxMessage.objects.filter(notification__request_id=request.pk)
    assert agency_mail.count() == 2
    assert set(agency_mail.values_list("status", flat=True)) == {MessageStatus.PENDING}
    assert "broker unreachable" in caplog.text
