"""Real threads against PostgreSQL: documents issued at the same moment never share a number."""

import functools
import time

import pytest
from django.db import transaction

from approvals.documents.services import document_issue
from approvals.models import Document, DocumentRegister
from tests.approvals.record_helpers import approved, make_agencies
from tests.delegations.outbound_helpers import far_departure
from tests.factories import PersonFactory
from tests.threads import at_once

THREADS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_documents_issued_at_once_get_consecutive_numbers(
    org, teacher_a, head_a, dept_reviewer, director
):
    make_agencies()
    requests = [
        approved(
            teacher_a, head_a, dept_reviewer, director,
            members=(PersonFactory(unit=org.school_a),), departure=far_departure(40 + 10 * i),
        )
        for i in range(THREADS)
    ]  # fmt: skip

    def issue(request) -> str:
        with transaction.atomic():
            # A register nobody has opened yet (confidential): opening it races too.
            document_issue(
                kind="outbound_cancellation", request=request, reason="Thử", confidential=True
            )
            time.sleep(0.05)  # hold the register's lock while the others queue behind it
        return "ok"

    outcomes = at_once([functools.partial(issue, r) for r in requests])

    assert outcomes == ["ok"] * THREADS, outcomes
    numbers = sorted(
        Document.objects.filter(kind="outbound_cancellation").values_list("number", flat=True)
    )
    assert numbers == list(range(1, THREADS + 1))
    register = DocumentRegister.objects.get(confidential=True)
    assert register.last_number == THREADS
    # The approvals, one after another, numbered their decisions 1..N as well.
    decisions = sorted(
        Document.objects.filter(kind="outbound_decision").values_list("number", flat=True)
    )
    assert decisions == list(range(1, THREADS + 1))
