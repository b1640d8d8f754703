"""The inbox page: filters, search, keyset pages and "assign to me" for several tasks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Task

from tests.conftest import login
from tests.workflow.test_inbox_scale import seed_tasks
from workflow import views
from workflow.services import task_ids_visible_to

pytestmark = pytest.mark.django_db


def references(response) -> list[str]:
    html = response.content.decode()
    return [part.split("<")[0] for part in html.split(">2026/")[1:]]


def test_queue_filters_by_reference_and_unit(org, teacher_a, dept_reviewer):
    seed_tasks(12, department=org.department, creator=teacher_a.user, units=3)
    client = login(dept_reviewer)
    response = client.get("/viec/?tab=queue&q=2026/0000005")
    assert response.status_code == 200
    assert references(response) == ["0000005"]
    unit_code = Task.objects.first().inbox_entry.unit.code
    response = client.get(f"/viec/?tab=queue&unit={unit_code}")
    assert len(references(response)) == 4
    assert client.get("/viec/?tab=queue&kind=inbound").content.decode().count("2026/") == 0


def test_queue_pages_follow_the_due_date(org, teacher_a, dept_reviewer, monkeypatch):
    monkeypatch.setattr(views, "TAB_LIMIT", 5)
    seed_tasks(12, department=org.department, creator=teacher_a.user, units=3)
    client = login(dept_reviewer)
    seen: list[str] = []
    url = "/viec/?tab=queue"
    for _ in range(3):
        response = client.get(url)
        seen += references(response)
        marker = 'href="?'
        html = response.content.decode()
        if 'rel="next"' not in html:
            break
        start = html.index(marker, html.index("Trang sau") - 200) + len(marker)
        url = "/viec/?" + html[start : html.index('"', start)].replace("&amp;", "&")
    assert len(seen) == 12 and len(set(seen)) == 12


def test_department_reviewer_assigns_several_queued_tasks_to_self(org, teacher_a, dept_reviewer):
    seed_tasks(4, department=org.department, creator=teacher_a.user, units=2)
    client = login(dept_reviewer)
    ids = list(Task.objects.values_list("pk", flat=True)[:3])
    response = client.post("/viec/nhan-nhieu/", {"task": ids}, follow=True)
    assert response.status_code == 200
    assert "Đã nhận 3 công việc" in response.content.decode()
    assert Task.objects.filter(owner=dept_reviewer.user, status="ASSIGNED").count() == 3
    # Claiming them again: nothing more is taken, and the page says so.
    response = client.post("/viec/nhan-nhieu/", {"task": ids}, follow=True)
    assert "đã có người nhận" in response.content.decode()


def test_head_of_other_school_cannot_claim_department_tasks_in_bulk(org, teacher_a, head_b):
    seed_tasks(2, department=org.department, creator=teacher_a.user, units=1)
    ids = list(Task.objects.values_list("pk", flat=True))
    login(head_b).post("/viec/nhan-nhieu/", {"task": ids})
    assert not Task.objects.filter(owner__isnull=False).exists()


def test_bulk_assign_to_me_through_the_api(org, teacher_a, dept_reviewer, head_b):
    seed_tasks(3, department=org.department, creator=teacher_a.user, units=1)
    ids = list(Task.objects.values_list("pk", flat=True))
    refused = login(head_b).post(
        "/api/v1/tasks/claim/", {"ids": ids}, content_type="application/json"
    )
    assert refused.json() == {"claimed": [], "skipped": ids}
    response = login(dept_reviewer).post(
        "/api/v1/tasks/claim/", {"ids": ids}, content_type="application/json"
    )
    assert response.status_code == 200
    assert sorted(response.json()["claimed"]) == sorted(ids)
    inbox = login(dept_reviewer).get("/api/v1/tasks/?scope=inbox").json()["results"]
    assert len(inbox) == 3


def test_each_row_shows_its_inbox_entry_and_the_page_reads_no_request(
    org, teacher_a, dept_reviewer
):
    """The list shows reference, kind, unit and applicant from the task's inbox entry (copied
    when the task was created): the requests and processes are not read, whatever the rows."""
    seed_tasks(6, department=org.department, creator=teacher_a.user, units=2)
    client = login(dept_reviewer)
    client.get("/viec/?tab=queue")  # warm per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/viec/?tab=queue")
    html = response.content.decode()
    assert len(references(response)) == 6
    assert html.count("Nguyễn Văn A") == 6 and "Trường 0" in html and "Trường 1" in html
    assert html.count(">Đoàn ra</td>") == 6
    tables = " ".join(query["sql"] for query in ctx.captured_queries)
    assert 'FROM "delegations_outboundrequest"' not in tables
    assert 'FROM "viewflow_process"' not in tables


def test_which_tasks_a_bulk_claim_may_take_is_read_in_queries_that_do_not_grow(
    org, teacher_a, dept_reviewer, head_b
):
    """ "Assign to me" takes up to 200 tasks: whether the user may open each one's request is
    asked once per kind of request, not once per task."""
    seed_tasks(12, department=org.department, creator=teacher_a.user, units=3)
    ids = list(Task.objects.order_by("-pk").values_list("pk", flat=True))
    assert dept_reviewer.user is not None and head_b.user is not None
    with CaptureQueriesContext(connection) as two:
        assert task_ids_visible_to(dept_reviewer.user, ids[:2]) == ids[:2]
    with CaptureQueriesContext(connection) as twelve:
        assert task_ids_visible_to(dept_reviewer.user, ids) == ids
    assert len(twelve) == len(two)
    assert task_ids_visible_to(head_b.user, ids) == []  # another school's head sees none
