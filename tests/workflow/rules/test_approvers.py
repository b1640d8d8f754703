"""Expected approvers: role holders and acting holders on the day, in a fixed number of queries."""

import datetime as dt

import pytest

from delegations.facts import resolve_approvers
from org.models import Role, RoleAssignment
from tests.factories import make_acting, make_staff
from tests.workflow.rules.builders import WARD_SCHOOL, outbound, personal, ward_teacher
from tests.workflow.rules.helpers import run

D = dt.date
ON = D(2027, 3, 1)
pytestmark = pytest.mark.django_db


def _names(resolved) -> list[list[str]]:
    return [[a.full_name for a in step.approvers] for step in resolved]


def test_department_route_resolves_head_reviewer_and_director(
    org, head_a, dept_reviewer, director, head_b
) -> None:
    steps = run(outbound()).steps
    resolved = resolve_approvers(steps, unit=org.school_a, on=ON)
    assert _names(resolved) == [["Phạm Minh Hùng"], ["Đặng Quốc Bảo"], ["Nguyễn Văn Hiếu"]]
    assert [r.unit for r in resolved] == [org.school_a, org.department, org.department]


def test_ward_route_resolves_the_chair_of_the_managing_ward(org, ward_chair, director) -> None:
    ward_head = make_staff("ward_head", org.ward_school, Role.UNIT_HEAD, full_name="Mai Văn Đức")
    steps = run(personal(unit=WARD_SCHOOL, members=(ward_teacher(),))).steps
    resolved = resolve_approvers(steps, unit=org.ward_school, on=ON)
    assert _names(resolved) == [[ward_head.full_name], ["Huỳnh Văn Tâm"]]
    assert resolved[1].unit == org.ward


def test_an_acting_holder_replaces_the_head_for_the_dates_of_the_assignment(org, head_a) -> None:
    deputy = make_staff("deputy_a", org.school_a, None, full_name="Ngô Thị Thu")
    make_acting(deputy.user, head_a.user, org.school_a, on=D(2027, 3, 1), until=D(2027, 3, 5))
    steps = run(outbound()).steps[:1]
    during = resolve_approvers(steps, unit=org.school_a, on=D(2027, 3, 5))[0].approvers
    assert [(a.full_name, a.acting_for) for a in during] == [("Ngô Thị Thu", head_a.user)]
    after = resolve_approvers(steps, unit=org.school_a, on=D(2027, 3, 6))[0].approvers
    assert [(a.full_name, a.acting_for) for a in after] == [("Phạm Minh Hùng", None)]


def test_a_role_that_ended_is_not_resolved(org, head_a) -> None:
    RoleAssignment.objects.filter(user=head_a.user).update(ends_on=D(2027, 2, 28))
    steps = run(outbound()).steps[:1]
    assert resolve_approvers(steps, unit=org.school_a, on=ON)[0].approvers == ()


def test_deputies_may_decide_after_the_director_and_the_applicant_is_excluded(
    org, director
) -> None:
    deputy = make_staff("deputy_dir", org.department, Role.DEPUTY_DIRECTOR, full_name="Lê Hoài Nam")
    step = run(outbound()).steps[-1:]
    assert _names(resolve_approvers(step, unit=org.school_a, on=ON)) == [
        ["Nguyễn Văn Hiếu", "Lê Hoài Nam"]
    ]
    excluded = resolve_approvers(
        step, unit=org.school_a, on=ON, exclude_user_ids={director.user.pk}
    )
    assert _names(excluded) == [[deputy.full_name]]


def test_queries_do_not_grow_with_the_number_of_steps(
    org, ward_chair, dept_reviewer, director, django_assert_max_num_queries
) -> None:
    city = run(personal(unit=WARD_SCHOOL, members=(ward_teacher(),), named_invitation=True)).steps
    assert len(city) == 5
    with django_assert_max_num_queries(4):
        resolved = resolve_approvers(city, unit=org.ward_school, on=ON)
    assert _names(resolved)[1:] == [
        ["Huỳnh Văn Tâm"],
        ["Đặng Quốc Bảo"],
        ["Nguyễn Văn Hiếu"],
        ["Đặng Quốc Bảo"],
    ]
