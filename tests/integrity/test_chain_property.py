"""A property of the whole chain (Hypothesis): whatever sequence of edits, returns,
resubmissions and decisions by whichever persona, no request reaches "approved" without a
current approval, by an entitled holder who is no party, for every step its route required."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from approvals.models import Decision
from config.errors import PermissionDenied, StateConflict, ValidationError
from delegations.facts import dossier_content, dossier_fingerprint, request_parties
from delegations.models import OutboundRequest
from delegations.services.members import outbound_membership_answer
from delegations.services.outbound import outbound_update
from org.models import RoleAssignment
from tests.delegations.outbound_helpers import outbound_input
from tests.flows import confirm_members, draft, submit
from workflow.services import open_tasks, process_for, task_complete

PERSONAS = ("teacher_a", "head_a", "head_b", "dept_reviewer", "director", "root")

#: Roles entitled to each step (the head's step may go to the department when the head travels).
ENTITLED = {
    "review_by_unit_head": {"unit_head", "dept_reviewer"},
    "review_by_department": {"dept_reviewer"},
    "decide_by_director": {"director", "deputy_director"},
}

#: Each example's trip lies on its own dates (the database is shared between examples, and
#: the same people on overlapping dates would be blocked by OUT-OVERLAP).
_slots = itertools.count()

ops = st.lists(
    st.one_of(
        st.tuples(
            st.just("act"),
            st.sampled_from(PERSONAS),
            st.sampled_from(["approve", "approve", "return", "reject"]),
        ),
        st.tuples(
            st.just("edit"), st.sampled_from(["same", "longer", "with_head", "alone"]), st.just("")
        ),
        st.tuples(st.just("resubmit"), st.just(""), st.just("")),
        # A colleague named by the teacher answers (an unconfirmed one blocks resubmission).
        st.tuples(st.just("answer"), st.sampled_from(["accept", "decline"]), st.just("")),
    ),
    max_size=10,
)

pytestmark = pytest.mark.usefixtures("step_holders_required")


def _act(request: OutboundRequest, user: Any, action: str) -> None:
    process = process_for(request)
    assert process is not None
    for task in open_tasks(process):
        fields = {"missing_items": ["Bổ sung"]} if action == "return" else {}
        comment = "" if action == "approve" else "Lý do"
        task_complete(task_id=task.pk, user=user, action=action, comment=comment, fields=fields)


def _edit(request: OutboundRequest, people: dict[str, Any], variant: str) -> None:
    teacher, head = people["teacher_a"], people["head_a"]
    members = (teacher, head) if variant == "with_head" else (teacher,)
    start = request.departure_date
    data = outbound_input(
        *members, departure=start, days=12 if variant == "longer" else 5, kind="personal"
    )
    if variant == "same":
        current = list(request.members.order_by("-role", "pk"))
        data = outbound_input(*(m.person for m in current), departure=start, kind="personal")
    outbound_update(actor=teacher.user, request=request, data=data)


def _check_invariant(request: OutboundRequest) -> None:
    # Nobody travels on an approved request without having agreed to.
    assert not request.members.filter(confirmation="pending").exists()
    now = dossier_fingerprint(dossier_content(request))
    parties = request_parties(request)
    required = ["review_by_department", "decide_by_director"]
    if request.created_by_id not in set(
        RoleAssignment.objects.filter(role="unit_head", unit=request.unit).values_list(
            "user_id", flat=True
        )
    ):
        required.insert(0, "review_by_unit_head")
    for step in required:
        current = [
            d
            for d in Decision.objects.filter(
                request_kind="outbound",
                request_id=request.pk,
                step=step,
                action="approve",
                lapsed_at__isnull=True,
                fingerprint=now,
            )
            if d.actor_id not in parties
            and not d.actor.is_superuser
            and RoleAssignment.objects.filter(user=d.actor, role__in=ENTITLED[step]).exists()
        ]
        assert current, f"{step}: no current approval by an entitled non-party holder"


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(with_head=st.booleans(), sequence=ops)
def test_no_request_is_approved_without_current_entitled_approvals(
    org, teacher_a, head_a, head_b, dept_reviewer, director, with_head, sequence
):
    user_model = get_user_model()
    root = user_model.objects.filter(
        username="root"
    ).first() or user_model.objects.create_superuser("root", "root@example.org", "x")
    people = {
        "teacher_a": teacher_a,
        "head_a": head_a,
        "head_b": head_b,
        "dept_reviewer": dept_reviewer,
        "director": director,
    }
    users = {name: p.user for name, p in people.items()} | {"root": root}
    departure = datetime.date.today() + datetime.timedelta(days=90 + 30 * next(_slots))
    members = (teacher_a, head_a) if with_head else (teacher_a,)
    request = draft(teacher_a, *members, departure=departure, kind="personal")
    confirm_members(request)
    submit(request, teacher_a)
    for op, who, what in sequence:
        request.refresh_from_db()
        try:
            if op == "act":
                _act(request, users[who], what)
            elif op == "edit":
                _edit(request, people, who)
            elif op == "answer":
                outbound_membership_answer(
                    actor=head_a.user, request=request, accept=who == "accept"
                )
            else:
                submit(request, teacher_a)
        except (PermissionDenied, StateConflict, ValidationError, Http404):
            pass
        except Exception as exc:  # Django's ValidationError from the services
            if type(exc).__name__ not in {"ValidationError", "RulesBlocked"}:
                raise
        request.refresh_from_db()
        if request.status == "approved":
            _check_invariant(request)
            break
    # Drive what is left to the end with the right people, then check again.
    for _ in range(6):
        request.refresh_from_db()
        if request.status in ("approved", "rejected"):
            break
        if request.status == "returned":
            submit(request, teacher_a)
            continue
        process = process_for(request)
        assert process is not None
        task = open_tasks(process)[0]
        name = task.flow_task.name
        taker = {
            "review_by_unit_head": dept_reviewer if with_head_now(request, head_a) else head_a,
            "review_by_department": dept_reviewer,
            "decide_by_director": director,
        }[name]
        task_complete(task_id=task.pk, user=taker.user, action="approve")
    request.refresh_from_db()
    if request.status == "approved":
        _check_invariant(request)


def with_head_now(request: OutboundRequest, head: Any) -> bool:
    return request.members.filter(person=head).exists()
