import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from approvals import permissions
from org.models import Person, Role, RoleAssignment
from tests.conftest import Org
from tests.factories import UserFactory, make_acting

pytestmark = pytest.mark.django_db


def test_unit_head_may_view_own_school_only(org: Org, head_a, head_b) -> None:
    scope = set(permissions.units_in_scope(head_a.user))
    assert scope == {org.school_a}
    assert not permissions.has_unit_permission(
        head_b.user, permissions.VIEW_UNIT_RECORDS, org.school_a
    )


def test_head_of_other_school_cannot_approve_for_school_a(org: Org, head_b) -> None:
    assert not permissions.has_unit_permission(
        head_b.user, permissions.APPROVE_AS_UNIT_HEAD, org.school_a
    )


def test_department_reviewer_reaches_every_department_managed_unit(org: Org, dept_reviewer) -> None:
    scope = set(permissions.units_in_scope(dept_reviewer.user, permissions.REVIEW_FOR_DEPARTMENT))
    assert {org.department, org.office, org.school_a, org.school_b} <= scope
    assert org.ward_school not in scope


def test_ward_chair_reaches_ward_schools_but_not_department_schools(org: Org, ward_chair) -> None:
    scope = set(permissions.units_in_scope(ward_chair.user, permissions.DECIDE_FOR_WARD))
    assert scope == {org.ward, org.ward_school}


def test_applicant_without_unit_role_sees_no_unit_records(org: Org, teacher_a) -> None:
    assert not permissions.units_in_scope(teacher_a.user).exists()


def test_removing_a_role_revokes_its_grants(org: Org, head_a) -> None:
    RoleAssignment.objects.filter(user=head_a.user).delete()
    assert not permissions.units_in_scope(head_a.user).exists()


def _deputy_acting_as_head_a(
    org: Org, head_a: Person, starts_on: datetime.date, ends_on: datetime.date
) -> User:
    """A new account acting as head of school A from ``starts_on`` to ``ends_on``."""
    deputy = UserFactory(username="deputy_a")
    make_acting(deputy, head_a.user, org.school_a, on=starts_on, until=ends_on)
    return deputy


def test_acting_head_gains_the_role_only_within_the_dates(org: Org, head_a) -> None:
    today = timezone.localdate()
    deputy = _deputy_acting_as_head_a(org, head_a, today, today + datetime.timedelta(days=3))
    assert permissions.has_unit_permission(deputy, permissions.APPROVE_AS_UNIT_HEAD, org.school_a)

    # The nightly sync after the end date takes the grant away again.
    permissions.sync_all_unit_permissions(on=today + datetime.timedelta(days=4))
    assert not permissions.has_unit_permission(
        deputy, permissions.APPROVE_AS_UNIT_HEAD, org.school_a
    )


def test_future_acting_assignment_grants_nothing_yet(org: Org, head_a) -> None:
    start = timezone.localdate() + datetime.timedelta(days=10)
    deputy = _deputy_acting_as_head_a(org, head_a, start, start + datetime.timedelta(days=2))
    assert not permissions.units_in_scope(deputy).exists()


def test_effective_roles_report_who_is_acted_for(org: Org, head_a) -> None:
    today = timezone.localdate()
    deputy = _deputy_acting_as_head_a(org, head_a, today, today)
    assert permissions.effective_roles(deputy) == [(Role.UNIT_HEAD, org.school_a, head_a.user)]
