"""The home page counts what waits for each role: the same work the inbox shows."""

from __future__ import annotations

import pytest

from org.models import Person, Role
from tests import flows
from tests.conftest import Org, login
from tests.factories import make_staff
from workflow.services import task_complete

pytestmark = pytest.mark.django_db

NOTHING = "Chưa có hồ sơ nào đang chờ bạn."


def _home(person: Person) -> str:
    return login(person).get("/").content.decode()


def test_each_approver_sees_the_request_waiting_for_them_in_turn(
    org: Org, teacher_a: Person, head_a: Person, head_b: Person, dept_reviewer: Person,
    director: Person,
) -> None:  # fmt: skip
    request = flows.submitted(teacher_a, passports=True)

    assert NOTHING in _home(head_b)  # the refused persona: another school's work is not hers
    assert "1 hồ sơ đang chờ bạn xử lý." in _home(head_a)
    assert NOTHING in _home(dept_reviewer)

    flows.approve_all(request, head_a)
    assert NOTHING in _home(head_a)
    assert "1 hồ sơ đang chờ bạn xử lý." in _home(dept_reviewer)

    flows.approve_all(request, dept_reviewer)
    assert "1 hồ sơ đang chờ bạn xử lý." in _home(director)


def test_ward_chair_sees_a_ward_school_request(
    org: Org, ward_teacher: Person, ward_chair: Person
) -> None:
    ward_head = make_staff("ward_head", org.ward_school, Role.UNIT_HEAD, full_name="Đỗ Thị Hạnh")
    request = flows.submitted(ward_teacher, passports=True)
    flows.approve_all(request, ward_head)

    assert "1 hồ sơ đang chờ bạn xử lý." in _home(ward_chair)


def test_teacher_with_a_returned_request_sees_it_waiting(
    org: Org, teacher_a: Person, head_a: Person
) -> None:
    request = flows.submitted(teacher_a, passports=True)
    assert NOTHING in _home(teacher_a)
    assert head_a.user is not None
    task_complete(
        task_id=flows.open_task(request).pk, user=head_a.user, action="return",
        comment="Bổ sung thư mời",
    )  # fmt: skip

    html = _home(teacher_a)
    assert "1 hồ sơ đang chờ bạn xử lý." in html
    assert NOTHING not in html
