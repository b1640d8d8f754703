"""The POST of a decision stays within its query budget, whatever the dossier's size.

Issue #14 asks for an approval step in at most 25 queries (``STEP_BUDGET``, P1). That target is
not met yet: viewflow writes every node a step passes through (a task row, its link to the
previous one, its status update: about 8 queries for one decision and two gates), and the
Director's step issues two documents and two agency notifications. ``CEILING`` pins what a
step takes today (83/78/152 before the work described in docs/performance.md), so it never
grows; ``make bench`` judges the 25-query and 40 ms targets and reports them missed.

The budget covers the whole POST: the task and its request read once, the guard, the decision
with its stamp and audit event, the flow moving on, the next task's inbox entry and notices,
and at the Director's step the approval itself (document numbers, agency notifications and
their e-mails written in the transaction; the documents' text after commit). Each step is
measured on a realistic dossier (four travellers with passports, four attachments; three
visitors for a visit), through the API and the task page, with the after-commit work executed
as a server runs it (publishes to the broker; the tasks run in a worker).
"""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.models import AgencyNotification, AuditEvent, Decision, Notice, OutboxMessage
from config import celery_app
from delegations.models import InboundVisit, OutboundRequest
from delegations.services.attachments import attachment_add
from delegations.services.inbound import VisitorInput
from org.models import Person, Role, Unit
from tests.api_helpers import post
from tests.conftest import login
from tests.factories import UnitFactory, make_staff
from tests.flows import confirm_members, draft, draft_visit, open_task, submit
from workflow.models import InboxEntry
from workflow.services import task_complete

pytestmark = pytest.mark.django_db

#: Issue #14, P1: the queries of one decision's POST, the Director's included (the target).
STEP_BUDGET = 25
#: What each step's POST takes today, at most (API or page, trip or visit): lower it, never
#: raise it (docs/performance.md).
CEILING = {"review_by_unit_head": 35, "review_by_department": 33, "decide_by_director": 56}

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
KINDS = ("invitation", "programme", "cv", "cost_estimate")


@pytest.fixture
def agencies(db: None) -> list[Unit]:
    """The two agencies every approval is notified to, with their addresses (e-mails written)."""
    return [
        UnitFactory(code="CATP", name="Công an Thành phố", kind="agency", email="pa08@ca.test"),
        UnitFactory(code="SNGV", name="Sở Ngoại vụ", kind="agency", email="songv@sngv.test"),
    ]


def _attach(person: Person, request: Any) -> None:
    assert person.user is not None
    for kind in KINDS:
        attachment_add(
            actor=person.user,
            request=request,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}.pdf", PDF_BYTES),
        )


def realistic_trip(org: Any, teacher: Person, tag: str = "") -> OutboundRequest:
    """Four travellers of school A with passports, an inviter and four attachments.

    ``tag`` names the three colleagues apart when a test files several such trips.
    """
    colleagues = [
        make_staff(f"colleague{tag}_{i}", org.school_a, Role.APPLICANT,
                   full_name=f"Đồng nghiệp {tag} {i}")
        for i in range(3)
    ]  # fmt: skip
    request = draft(
        teacher,
        teacher,
        *colleagues,
        passports=True,
        inviter_name="Osaka Board of Education",
        inviter_country="JP",
        named_invitation=True,
    )
    _attach(teacher, request)
    confirm_members(request)
    submit(request, teacher)
    return request


def realistic_visit(clerk: Person) -> InboundVisit:
    """A visit of three visitors hosted by school A, with four attachments."""
    visitors = [
        VisitorInput(
            full_name=name,
            nationality="JP",
            passport_number=f"TK{i}234567",
            passport_expiry=datetime.date(2034, 5, 1),
        )
        for i, name in enumerate(["Tanaka Hiroshi", "Sato Yuki", "Suzuki Ken"])
    ]
    visit = draft_visit(clerk, visitors=visitors)
    _attach(clerk, visit)
    submit(visit, clerk)
    return visit


@pytest.fixture(autouse=True)
def worker_elsewhere(settings: Any) -> Any:
    """Celery publishes to the broker and no task runs here: what is counted is the web
    process's work (the POST and its after-commit publishes), as on a server with workers."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.DOCUMENT_RENDER_IN_THREAD = False
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = eager
        with contextlib.suppress(Exception):
            celery_app.control.purge()


def decide_by_api(person: Person, request: Any, step: str, budget: Any, on_commit: Any) -> None:
    task = open_task(request, step)
    client = login(person)
    with budget(CEILING[step]), on_commit(execute=True):
        response = post(client, f"/api/v1/tasks/{task.pk}/complete/", {"action": "approve"})
    assert response.status_code == 200, response.content.decode()[:2000]


def decide_by_page(person: Person, request: Any, step: str, budget: Any, on_commit: Any) -> None:
    task = open_task(request, step)
    client = login(person)
    with budget(CEILING[step]), on_commit(execute=True):
        response = client.post(f"/viec/{task.pk}/", {"action": "approve"})
    assert response.status_code == 302, response.content.decode()[:2000]


#: The three decisions of the DEPT route, in order: who decides at which step.
STEPS = (
    ("head_a", "review_by_unit_head"),
    ("dept_reviewer", "review_by_department"),
    ("director", "decide_by_director"),
)


def walk_to(request: Any, upto: int, people: dict[str, Person], on_commit: Any) -> None:
    """Approve the steps before ``upto`` (not measured)."""
    for username, step in STEPS[:upto]:
        user = people[username].user
        with on_commit(execute=True):
            task_complete(task_id=open_task(request, step).pk, user=user, action="approve")


@pytest.mark.parametrize(
    ("at", "decide"),
    [(0, decide_by_api), (1, decide_by_api), (2, decide_by_api),
     (0, decide_by_page), (1, decide_by_page), (2, decide_by_page)],
    ids=["head-api", "department-api", "director-api", "head-page", "department-page",
         "director-page"],
)  # fmt: skip
def test_a_decision_on_a_trip_stays_within_the_query_budget(
    org, teacher_a, head_a, dept_reviewer, director, agencies, at, decide,
    django_assert_max_num_queries, django_capture_on_commit_callbacks,
):  # fmt: skip
    people = {"head_a": head_a, "dept_reviewer": dept_reviewer, "director": director}
    request = realistic_trip(org, teacher_a)
    walk_to(request, at, people, django_capture_on_commit_callbacks)
    username, step = STEPS[at]
    decide(people[username], request, step, django_assert_max_num_queries,
           django_capture_on_commit_callbacks)  # fmt: skip
    # Nothing the step owes was dropped to save queries.
    request.refresh_from_db()
    decision = Decision.objects.get(request_kind="outbound", request_id=request.pk, step=step)
    assert AuditEvent.objects.filter(
        action=f"outbound.{step}.approve", object_id=str(request.pk)
    ).exists()
    assert decision.fingerprint
    assert not InboxEntry.objects.filter(task_id=decision.task_id, status__in=("NEW", "ASSIGNED"))
    if step == "decide_by_director":
        assert request.status == "approved"
        assert AuditEvent.objects.filter(
            action="outbound.approved", object_id=str(request.pk)
        ).exists()
        assert AgencyNotification.objects.filter(request_id=request.pk).count() == len(agencies)
        assert Notice.objects.filter(user=teacher_a.user, text__contains="phê duyệt").exists()
    else:
        nxt = STEPS[at + 1][1]
        assert InboxEntry.objects.filter(request_id=request.pk, step=nxt, status="NEW").exists()
        told = people[STEPS[at + 1][0]].user
        assert Notice.objects.filter(user=told, text__contains=request.reference).exists()


@pytest.mark.parametrize("at", [0, 1, 2], ids=["head", "department", "director"])
def test_a_decision_on_a_visit_stays_within_the_query_budget(
    org, clerk_a, head_a, dept_reviewer, director, agencies, at,
    django_assert_max_num_queries, django_capture_on_commit_callbacks,
):  # fmt: skip
    people = {"head_a": head_a, "dept_reviewer": dept_reviewer, "director": director}
    visit = realistic_visit(clerk_a)
    walk_to(visit, at, people, django_capture_on_commit_callbacks)
    username, step = STEPS[at]
    decide_by_api(people[username], visit, step, django_assert_max_num_queries,
                  django_capture_on_commit_callbacks)  # fmt: skip
    assert Decision.objects.filter(request_kind="inbound", request_id=visit.pk, step=step).exists()
    if step == "decide_by_director":
        visit.refresh_from_db()
        assert visit.status == "approved"
        assert AgencyNotification.objects.filter(request_id=visit.pk).count() == len(agencies)
        assert OutboxMessage.objects.filter(request_kind="inbound", request_id=visit.pk).exists()
