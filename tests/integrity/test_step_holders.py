"""Every step has someone (issue #15): with the demo directory, every route the authority
matrix can give every unit has a holder at each step; administrators see the steps nobody holds
on "Bước chưa có người giữ" before a request gets stuck, and nobody else sees that page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from delegations.facts import (
    FILING_UNIT_KINDS,
    reachable_routes,
    resolve_approvers,
    unheld_steps,
    unit_facts,
)
from org.calendar import WorkingCalendar
from org.models import Person, Role, RoleAssignment, Unit
from tests.conftest import login
from tests.factories import make_staff
from workflow.models import ruleset_params_in_force
from workflow.rules.authority import route_steps, steps_key
from workflow.rules.params import as_param_set
from workflow.rules.timing import schedule

URL = "/danh-ba/buoc-chua-co-nguoi/"


def test_every_route_of_the_matrix_has_a_holder_at_every_step_in_the_demo(demo: None) -> None:
    today = timezone.localdate()
    _version, params = ruleset_params_in_force(today)
    values = as_param_set(params).values
    units = Unit.objects.filter(is_active=True, kind__in=FILING_UNIT_KINDS).order_by("code")
    walked: set[str] = set()
    for unit in units:
        managed_by = unit_facts(unit).managed_by
        for route in reachable_routes(values, managed_by):
            kinds = route_steps(values["authority"]["steps"], route, managed_by, unit.kind)
            steps = schedule(
                kinds, start=today, timing=values["timing"], calendar=WorkingCalendar()
            )
            for item in resolve_approvers(steps, unit=unit, on=today):
                assert item.approvers, (unit.code, str(route), item.step.kind)
            walked.add(steps_key(route, managed_by, unit.kind))
    # Every step list of the matrix was walked: the schools' and wards' routes, the Sở's own.
    assert walked == set(values["authority"]["steps"]) | {
        "DEPT_DEPARTMENT",
        "CITY_DEPARTMENT",
        "DEPT_OFFICE",
        "CITY_OFFICE",
    }
    assert unheld_steps(today) == []


def test_administrator_sees_that_every_step_is_held_in_the_demo(demo: None) -> None:
    admin = Person.objects.get(user__username="admin")
    response = login(admin).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mọi bước của mọi tuyến đều đã có người giữ" in html
    assert f'href="{URL}"' in html  # the menu links to it


def test_a_school_without_a_head_and_a_department_without_a_director_are_listed(org) -> None:
    RoleAssignment.objects.filter(role__in=(Role.UNIT_HEAD, Role.DIRECTOR)).delete()
    admin = make_staff("quantri", org.department, Role.ADMIN, full_name="Quản Trị Viên")
    response = login(admin).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    table = html[html.index('id="unheld-steps"') :]
    rows = [
        (row.unit.code, row.step.key, row.where.code if row.where else None)
        for row in unheld_steps()
    ]
    assert ("THPT-A", "unit_head", "THPT-A") in rows
    assert ("THPT-A", "director", org.department.code) in rows
    assert "Trường THPT A" in table and "Thủ trưởng đơn vị cho ý kiến" in table
    assert "Giám đốc Sở quyết định" in table and "Giám đốc Sở / Phó Giám đốc Sở" in table
    # The deputy director acting or holding the role is enough: the Director's step is held.
    make_staff("pgd", org.department, Role.DEPUTY_DIRECTOR, full_name="Phó Giám Đốc")
    assert not [r for r in unheld_steps() if r.step.key == "director"]


def test_the_reviewers_step_is_held_from_an_office_of_the_department(org) -> None:
    assert not [r for r in unheld_steps() if r.step.key == "dept_review"]
    RoleAssignment.objects.filter(role=Role.DEPT_REVIEWER).delete()
    missing = [r for r in unheld_steps() if r.step.key == "dept_review"]
    assert {r.unit.code for r in missing} >= {"THPT-A", "THPT-B"}


@pytest.mark.parametrize("username", ["teacher_a", "head_a", "director", "auditor"])
def test_anyone_but_an_administrator_gets_a_404(org, username: str, request: Any) -> None:
    person = request.getfixturevalue(username)
    response = login(person).get(URL)
    assert response.status_code == 404
    assert URL not in login(person).get("/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in(db: None, client: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
