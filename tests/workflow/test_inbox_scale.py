"""The inbox and the queue cost the same number of queries with 10 or 10,000 open tasks."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Process, Task

from delegations.models import OutboundRequest
from org.models import Unit
from tests.conftest import login
from workflow.flows.outbound import OutboundFlow
from workflow.models import InboxEntry

pytestmark = pytest.mark.django_db


def seed_tasks(
    count: int, *, department: Unit, creator, owner=None, units: int = 500, schools=None
) -> list[Unit]:
    """``count`` open department-review tasks on requests of ``units`` schools (bulk, fast).

    Pass the returned ``schools`` back in to add tasks without adding schools.
    """
    if schools is None:
        start = Unit.objects.count()
        schools = Unit.objects.bulk_create(
            [
                Unit(
                    code=f"S{start + i:05d}",
                    name=f"Trường {i}",
                    kind="school",
                    parent=department,
                    managing_authority=department,
                )
                for i in range(min(units, count))
            ]
        )
    today = datetime.date.today()
    first = OutboundRequest.objects.count()  # references stay unique across calls
    requests = OutboundRequest.objects.bulk_create(
        [
            OutboundRequest(
                unit=schools[i % len(schools)],
                created_by=creator,
                kind="official",
                purpose_category="study",
                purpose="x",
                funding_source="self",
                status="submitted",
                route="DEPT",
                reference=f"2026/{first + i:07d}",
                departure_date=today,
                return_date=today,
            )
            for i in range(count)
        ]
    )
    ct = ContentType.objects.get_for_model(OutboundRequest)
    processes = Process.objects.bulk_create(
        [
            Process(flow_class=OutboundFlow, artifact_content_type=ct, artifact_object_id=r.pk)
            for r in requests
        ]
    )
    node = OutboundFlow.review_by_department
    now = timezone.now()
    tasks = Task.objects.bulk_create(
        [
            Task(
                process=p,
                flow_task=node,
                flow_task_type="HUMAN",
                status="ASSIGNED" if owner else "NEW",
                owner=owner,
                owner_permission="org.review_for_department",
                owner_permission_obj_pk=str(department.pk),
                created=now,
            )
            for p in processes
        ]
    )
    InboxEntry.objects.bulk_create(
        [
            InboxEntry(
                task=t,
                status=t.status,
                owner=owner,
                owner_permission=t.owner_permission,
                permission_unit_id=department.pk,
                step=node.name,
                request_kind="outbound",
                request_id=r.pk,
                reference=r.reference,
                unit=r.unit,
                applicant_name="Nguyễn Văn A",
                due=today + datetime.timedelta(days=i % 7),
                created=now,
            )
            for i, (t, r) in enumerate(zip(tasks, requests, strict=True))
        ]
    )
    return schools


def count_queries(client, url: str) -> int:
    client.get(url)  # warm per-process caches (content types), as a running server has them
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) > 0
    return len(ctx.captured_queries)


@pytest.mark.parametrize("scope", ["queue", "inbox"])
def test_task_list_queries_do_not_grow_from_10_to_10000_tasks(org, teacher_a, dept_reviewer, scope):
    owner = dept_reviewer.user if scope == "inbox" else None
    client = login(dept_reviewer)
    seed_tasks(10, department=org.department, creator=teacher_a.user, owner=owner)
    few = count_queries(client, f"/api/v1/tasks/?scope={scope}")
    seed_tasks(9990, department=org.department, creator=teacher_a.user, owner=owner)
    many = count_queries(client, f"/api/v1/tasks/?scope={scope}")
    assert few == many
    assert many <= 12


def test_queue_pages_follow_due_dates_with_a_cursor(org, teacher_a, dept_reviewer):
    seed_tasks(30, department=org.department, creator=teacher_a.user, units=5)
    client = login(dept_reviewer)
    first = client.get("/api/v1/tasks/?scope=queue&page_size=20").json()
    second = client.get(first["next"]).json()
    dues = [t["due"] for t in first["results"] + second["results"]]
    assert len(dues) == 30 and dues == sorted(dues)
    assert second["next"] is None


def test_head_of_other_school_sees_no_department_queue(org, teacher_a, head_b):
    seed_tasks(5, department=org.department, creator=teacher_a.user, units=2)
    assert login(head_b).get("/api/v1/tasks/?scope=queue").json()["results"] == []
