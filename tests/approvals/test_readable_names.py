"""People read titles, never the code's identifiers: steps, the 409 page, the admin."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from org.models import Person
from tests import flows
from tests.conftest import Org, login
from tests.delegations.page_helpers import decide
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_inbox_step_filter_lists_step_titles(org: Org, head_a: Person) -> None:
    html = login(head_a).get("/viec/").content.decode()
    select = html[html.index('name="step"') : html.index("</select>", html.index('name="step"'))]

    assert '<option value="decide_by_director">Lãnh đạo Sở quyết định</option>' in select
    assert ">decide_by_director<" not in select and ">review_by_unit_head<" not in select


def test_conflict_page_says_who_decided_what_and_when(
    org: Org, teacher_a: Person, head_a: Person
) -> None:
    request = flows.submitted(teacher_a, passports=True)
    task = flows.open_task(request)
    client = login(head_a)
    assert decide(client, task).status_code == 302

    again = decide(client, task, "reject", comment="Không đồng ý")

    assert again.status_code == 409
    html = again.content.decode()
    detail = html[html.index('id="conflict-detail"') :][:300]
    assert "Phạm Minh Hùng đã chọn “Đồng ý”" in detail
    assert re.search(r"lúc \d\d/\d\d/\d{4} \d\d:\d\d", detail)


def test_admin_names_the_product_in_vietnamese() -> None:
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)

    html = client.get("/admin/org/unit/").content.decode()

    assert "Quản trị Đoàn ra – Đoàn vào" in html
    assert "Django" not in html.replace("django", "")
    for english in ("Skip to main content", "Show counts", "Add link", "Toggle navigation"):
        assert english not in html
