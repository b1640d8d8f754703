"""Task pages: the inbox tabs, one task with its dossier and decision form, 409 on repeats."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from org.models import Person
from tests import flows
from tests.conftest import Org, login
from tests.delegations.page_helpers import create_draft, decide, submit
from tests.factories import make_staff
from tests.flows import open_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(org: Org, clerk_a: Person, head_a: Person):
    client = login(clerk_a)
    request = create_draft(client, clerk_a, make_staff("staff_a1", org.school_a))
    submit(client, request)
    request.refresh_from_db()
    return request


def test_head_approves_through_the_task_page(submitted, head_a, clerk_a):
    task = open_task(submitted, "review_by_unit_head")
    client = login(head_a)

    page = client.get(f"/viec/{task.pk}/")
    response = decide(client, task, "approve", comment="Đồng ý cử đi")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Kết quả kiểm tra theo quy định" in html and 'id="decision-form"' in html
    assert "Lê Văn Văn" in html  # the dossier's members are in view
    assert response.status_code == 302 and response["Location"] == "/viec/"
    detail = login(clerk_a).get(f"/doan-ra/{submitted.pk}/").content.decode()
    assert "Văn phòng Sở thẩm định" in detail  # the next step is current
    assert "Đồng ý cử đi" in detail


def test_second_post_on_a_completed_task_shows_the_409_page(submitted, head_a):
    task = open_task(submitted, "review_by_unit_head")
    client = login(head_a)
    assert decide(client, task).status_code == 302

    again = decide(client, task)

    assert again.status_code == 409
    html = again.content.decode()
    assert "Công việc này đã được xử lý." in html
    assert f'href="/doan-ra/{submitted.pk}/"' in html


def test_return_without_comment_re_renders_with_error_and_keeps_missing_items(
    submitted, head_a, dept_reviewer
):
    decide(login(head_a), open_task(submitted, "review_by_unit_head"))
    task = open_task(submitted, "review_by_department")

    response = decide(login(dept_reviewer), task, "return", missing_items="Bản dịch thư mời")

    html = response.content.decode()
    assert response.status_code == 400
    assert "Vui lòng ghi rõ lý do." in html
    assert "Bản dịch thư mời" in html
    task.refresh_from_db()
    assert task.status in ("NEW", "ASSIGNED")


def test_department_return_without_items_is_refused(submitted, head_a, dept_reviewer):
    decide(login(head_a), open_task(submitted, "review_by_unit_head"))

    response = decide(
        login(dept_reviewer), open_task(submitted, "review_by_department"), "return",
        comment="Thiếu hồ sơ",
    )  # fmt: skip

    assert response.status_code == 400
    assert "Liệt kê các nội dung cần bổ sung." in response.content.decode()


def test_inbox_shows_the_heads_task_and_the_reviewers_queue(submitted, head_a, dept_reviewer):
    head_inbox = login(head_a).get("/viec/").content.decode()
    assert submitted.reference in head_inbox
    assert "Thủ trưởng đơn vị cho ý kiến" in head_inbox

    decide(login(head_a), open_task(submitted, "review_by_unit_head"))
    reviewer = login(dept_reviewer)
    queue = reviewer.get("/viec/", {"tab": "queue"}).content.decode()
    assert submitted.reference in queue and "Nhận việc" in queue
    assert submitted.reference not in reviewer.get("/viec/", {"tab": "inbox"}).content.decode()


def test_claim_moves_the_task_to_my_inbox_and_a_second_claim_is_409(
    submitted, head_a, dept_reviewer
):
    decide(login(head_a), open_task(submitted, "review_by_unit_head"))
    task = open_task(submitted, "review_by_department")
    reviewer = login(dept_reviewer)

    first = reviewer.post(f"/viec/{task.pk}/nhan/")
    second = reviewer.post(f"/viec/{task.pk}/nhan/")

    assert first.status_code == 302
    assert submitted.reference in reviewer.get("/viec/", {"tab": "inbox"}).content.decode()
    assert second.status_code == 409
    assert reviewer.post(f"/viec/{task.pk}/tra-lai-hang-cho/").status_code == 302
    assert submitted.reference in reviewer.get("/viec/", {"tab": "queue"}).content.decode()


def test_applicant_sees_the_task_page_without_a_decision_form(submitted, clerk_a):
    task = open_task(submitted, "review_by_unit_head")

    page = login(clerk_a).get(f"/viec/{task.pk}/")

    assert page.status_code == 200
    assert 'id="decision-form"' not in page.content.decode()
    assert decide(login(clerk_a), task).status_code == 403


def _queue_with(count: int, org: Org) -> None:
    for i in range(count):
        person = make_staff(f"bulk{count}_{i}", org.school_a, full_name=f"Cán bộ {count}-{i}")
        flows.submitted(person)


def _queries_for_inbox(client) -> int:
    client.get("/viec/", {"tab": "queue"})  # warm the caches, as on a running server
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/viec/", {"tab": "queue"})
    assert response.status_code == 200
    return len(queries)


def test_inbox_query_count_does_not_grow_with_the_number_of_tasks(org, head_a):
    client = login(head_a)
    _queue_with(3, org)
    with_three = _queries_for_inbox(client)
    _queue_with(12, org)

    with_fifteen = _queries_for_inbox(client)

    assert client.get("/viec/", {"tab": "queue"}).content.decode().count("Nhận việc") == 15
    assert with_fifteen == with_three
    assert with_three <= 12, with_three  # QUALITY.md P3: inbox ≤ 12 queries
