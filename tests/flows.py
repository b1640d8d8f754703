"""Walking a request through its flow in tests: draft, submit, open the step, approve.

The one home for these steps, for outbound requests and inbound visits alike, over the services
that exist today. Page- and API-level walks live in ``tests/delegations/page_helpers.py`` and
``tests/api_helpers.py``; both find the open step with :func:`open_task` or its API twin.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from viewflow.workflow.models import Task

from delegations.models import InboundVisit, OutboundRequest
from delegations.services.inbound import inbound_create
from delegations.services.members import outbound_membership_answer, unconfirmed_members
from delegations.services.outbound import outbound_create
from org.models import Person
from tests.delegations.inbound_helpers import visit_input
from tests.delegations.outbound_helpers import outbound_input, with_passports
from tests.factories import UserFactory
from workflow.services import process_for, request_submit, task_complete

OPEN = ("NEW", "ASSIGNED")


def draft(
    actor: Person, *members: Person, passports: bool = False, **kwargs: Any
) -> OutboundRequest:
    """A draft outbound request by ``actor`` for ``members`` (default: the actor alone).

    ``passports=True`` gives each member an ordinary passport of their own.
    """
    assert actor.user is not None
    data = outbound_input(*(members or (actor,)), **kwargs)
    if passports:
        with_passports(data)
    return outbound_create(actor=actor.user, data=data)


def confirm_members(request: OutboundRequest) -> None:
    """Every person still asked to confirm accepts (a colleague named by a teacher).

    A colleague without a log-in gets one first: only a person who can sign in can confirm.
    """
    for member in unconfirmed_members(request):
        if member.person.user is None:
            member.person.user = UserFactory(username=f"member{member.person.pk}")
            member.person.save(update_fields=["user"])
        outbound_membership_answer(actor=member.person.user, request=request, accept=True)


def draft_visit(actor: Person, **kwargs: Any) -> InboundVisit:
    """A draft inbound visit filed by ``actor`` (fields of ``visit_input`` may be overridden)."""
    assert actor.user is not None
    return inbound_create(actor=actor.user, data=visit_input(**kwargs))


def submit(request: Model, actor: Person) -> Any:
    """Submit the outbound request or inbound visit as ``actor``; returns the rule evaluation."""
    assert actor.user is not None
    evaluation = request_submit(actor=actor.user, request=request)
    request.refresh_from_db()
    return evaluation


def submitted(applicant: Person, *members: Person, **kwargs: Any) -> OutboundRequest:
    """An outbound request drafted and submitted by ``applicant`` (named colleagues confirm)."""
    request = draft(applicant, *members, **kwargs)
    confirm_members(request)
    submit(request, applicant)
    return request


def open_task(request: Model, step: str | None = None) -> Task:
    """The one open task of the request's main flow (at ``step``, if named)."""
    process = process_for(request)
    assert process is not None, f"{request!r} was never submitted"
    tasks = process.task_set.filter(status__in=OPEN)
    if step is not None:
        tasks = tasks.filter(flow_task=getattr(process.flow_class, step))
    return tasks.get()


def approve_all(request: Any, *people: Person) -> Any:
    """Each person approves the open step in turn (e.g. head, reviewer, director)."""
    for person in people:
        assert person.user is not None
        task_complete(task_id=open_task(request).pk, user=person.user, action="approve")
    request.refresh_from_db()
    return request


def approved(
    applicant: Person, *approvers: Person, members: tuple[Person, ...] = (), **kwargs: Any
) -> OutboundRequest:
    """A request by ``applicant`` for ``members`` (default: alone), approved by each in turn."""
    return approve_all(submitted(applicant, *members, **kwargs), *approvers)
