"""The flows' gates (``workflow.flows.common.If`` and ``Switch``) open no savepoint of their own
inside a step, and still behave as viewflow's where viewflow keeps a failure on the task.

A gate only reads (the decision on the process, the locked request). Inside a step, a failing
condition propagates and the step's one transaction rolls back whole; only where viewflow keeps
the error instead (``propagate_exception=False``: Job and Timer nodes) does it need a savepoint
to record it, and there the gate takes viewflow's own path.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.context import Context
from viewflow.workflow.models import Task

from approvals.models import Decision
from tests.flows import draft, open_task, submit
from workflow.flows.outbound import OutboundFlow
from workflow.services import task_complete

pytestmark = pytest.mark.django_db

GATE = OutboundFlow.check_unit_head_decision


def _broken(activation: Any) -> bool:
    raise RuntimeError("condition failed")


@pytest.fixture
def trip_at_head(org: Any, teacher_a: Any) -> Any:
    request = draft(teacher_a)
    submit(request, teacher_a)
    return request


def test_a_step_through_two_gates_opens_no_savepoint_for_them(trip_at_head, head_a):
    task = open_task(trip_at_head, "review_by_unit_head")
    with CaptureQueriesContext(connection) as ctx:
        task_complete(task_id=task.pk, user=head_a.user, action="approve")
    gates = Task.objects.filter(
        process_id=task.process_id, flow_task_type__in=("IF", "SWITCH"), status="DONE"
    )
    assert gates.count() >= 2  # the head's decision gate and the route
    savepoints = [q for q in ctx.captured_queries if q["sql"].startswith("SAVEPOINT")]
    # The test's own transaction, the step's and the flow lock's: none for the gates.
    assert len(savepoints) <= 3, [q["sql"] for q in ctx.captured_queries]
    assert open_task(trip_at_head, "review_by_department") is not None


def test_a_gate_s_task_is_written_once_done_and_keeps_the_process_history(trip_at_head, head_a):
    """Inserted when the gate has decided, then linked: no UPDATE of a gate's row, and the chain
    of tasks (each linked to the one before) is what viewflow writes."""
    task = open_task(trip_at_head, "review_by_unit_head")
    with CaptureQueriesContext(connection) as ctx:
        task_complete(task_id=task.pk, user=head_a.user, action="approve")
    updates = [
        q["sql"] for q in ctx.captured_queries
        if q["sql"].startswith('UPDATE "viewflow_task"') and "'SWITCH'" in q["sql"]
    ]  # fmt: skip
    assert updates == []
    following = open_task(trip_at_head, "review_by_department")
    chain = []
    current = following
    while current.pk != task.pk:
        [current] = current.previous.all()
        chain.append((current.flow_task.name, current.status))
    assert chain == [
        ("check_route", "DONE"),
        ("check_unit_head_decision", "DONE"),
        ("review_by_unit_head", "DONE"),
    ]
    for gate in Task.objects.filter(process_id=task.process_id, flow_task_type="SWITCH"):
        assert gate.finished is not None and gate.created <= gate.finished


def test_a_failing_gate_rolls_the_whole_step_back(trip_at_head, head_a, monkeypatch):
    monkeypatch.setattr(GATE, "_activate_next", [(node, _broken) for node, _ in GATE._branches])
    task = open_task(trip_at_head, "review_by_unit_head")
    with pytest.raises(RuntimeError, match="condition failed"):
        task_complete(task_id=task.pk, user=head_a.user, action="approve")
    task.refresh_from_db()
    assert task.status in ("NEW", "ASSIGNED")
    assert not Decision.objects.filter(request_id=trip_at_head.pk).exists()
    assert not Task.objects.filter(process_id=task.process_id, status="ERROR").exists()


def test_where_viewflow_keeps_the_error_the_gate_records_it_on_its_task(
    trip_at_head, head_a, monkeypatch
):
    monkeypatch.setattr(GATE, "_activate_next", [(node, _broken) for node, _ in GATE._branches])
    task = open_task(trip_at_head, "review_by_unit_head")
    with Context(propagate_exception=False):
        task_complete(task_id=task.pk, user=head_a.user, action="approve")
    failed = Task.objects.get(process_id=task.process_id, status="ERROR")
    assert failed.flow_task is GATE
    assert failed.data["_exception"]["title"] == "condition failed"
    # The decision itself stands: viewflow's semantics, the gate waits to be repaired.
    assert Decision.objects.filter(request_id=trip_at_head.pk, action="approve").exists()
