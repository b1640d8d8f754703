"""Submitting and approving requests for the notification tests."""

from __future__ import annotations

from typing import Any

from viewflow.workflow.models import Task

from org.models import Person
from tests.delegations.outbound_helpers import draft
from workflow.services import outbound_submit, process_for, task_complete


def open_task(request: Any) -> Task:
    return process_for(request).task_set.filter(status__in=["NEW", "ASSIGNED"]).get()


def submitted(applicant: Person, **kwargs: Any) -> Any:
    request = draft(applicant, **kwargs)
    outbound_submit(actor=applicant.user, request=request)
    request.refresh_from_db()
    return request


def approve_all(request: Any, *people: Person) -> Any:
    """Each person approves the open step in turn (head, reviewer, director)."""
    for person in people:
        task = open_task(request)
        task_complete(task_id=task.pk, user=person.user, action="approve")
    request.refresh_from_db()
    return request
