"""A city-sized, committed and analysed database for the benchmarks (``make bench``).

On PostgreSQL the rows go in with ``COPY`` (several times faster than ``INSERT``), with their
primary keys chosen here and the sequences moved past them afterwards; elsewhere with
``bulk_create``. Rows are ordinary model instances, so defaults, ``auto_now_add`` fields and
custom fields (viewflow's flow and task references) are written exactly as the ORM writes them.

The default shape is the one of QUALITY.md: 2,000 schools, 10,000 users, 200,000 outbound
requests each with a process and five tasks (1,000,000 tasks, one open per request), one member
each, and an inbox entry per task. ``tasks`` scales all of it down for a quick run.
"""

from __future__ import annotations

import datetime
import itertools
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone
from viewflow.workflow.models import Process, Task

from delegations.models import OutboundMember, OutboundRequest
from org.models import Person, Role, RoleAssignment, Unit, UnitKind
from workflow.flows.outbound import OutboundFlow
from workflow.models import InboxEntry

#: The done steps of every seeded request, then its open one (department review).
DONE_STEPS = ("start", "check_route", "check_unit_head_needed", "review_by_unit_head")
OPEN_STEP = "review_by_department"
TASKS_PER_REQUEST = len(DONE_STEPS) + 1
USERS_PER_SCHOOL = 5


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def insert(model: type[models.Model], instances: Iterable[models.Model]) -> int:
    """Insert unsaved instances whose primary keys are set; returns how many."""
    count = 0
    if connection.vendor != "postgresql":
        for batch in _batched(instances, 2_000):
            model.objects.bulk_create(batch)  # type: ignore[attr-defined]
            count += len(batch)
        return count
    fields = list(model._meta.concrete_fields)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor
        with raw.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in instances:
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                )
                count += 1
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)
    return count


def analyse() -> None:
    """Fresh planner statistics, as autovacuum would have them on a running server."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@dataclass(frozen=True)
class Seeded:
    schools: int
    users: int
    requests: int
    tasks: int
    seconds: float
    first_school: Unit


def seed_city(*, department: Unit, tasks: int = 1_000_000, schools: int = 2_000) -> Seeded:
    """Schools, staff, requests, processes, tasks and inbox entries, committed in bulk."""
    started = time.perf_counter()
    User = get_user_model()
    requests = max(1, tasks // TASKS_PER_REQUEST)
    schools = min(schools, requests)
    today = timezone.localdate()
    now = timezone.now()

    unit_id = next_id(Unit)
    units = [
        Unit(
            pk=unit_id + i, code=f"BS{i:05d}", name=f"Trường THPT số {i}", kind=UnitKind.SCHOOL,
            parent=department, managing_authority=department,
        )
        for i in range(schools)
    ]  # fmt: skip
    insert(Unit, units)

    user_id, person_id = next_id(User), next_id(Person)
    users = schools * USERS_PER_SCHOOL
    insert(
        User,
        (User(pk=user_id + i, username=f"bench{i:06d}", password="!") for i in range(users)),
    )
    insert(
        Person,
        (
            Person(
                pk=person_id + i, user_id=user_id + i, staff_code=f"BENCH{i:06d}",
                full_name=f"Nguyễn Văn {i}", unit_id=unit_id + i // USERS_PER_SCHOOL,
                position="Giáo viên",
            )
            for i in range(users)
        ),
    )  # fmt: skip
    # Each school's first person is its head. (Ids are read before a COPY starts: the
    # connection cannot run another query while one is in progress.)
    role_id = next_id(RoleAssignment)
    insert(
        RoleAssignment,
        (
            RoleAssignment(
                pk=role_id + s, user_id=user_id + s * USERS_PER_SCHOOL,
                role=Role.UNIT_HEAD, unit_id=unit_id + s,
            )
            for s in range(schools)
        ),
    )  # fmt: skip

    request_id, process_id, task_id = next_id(OutboundRequest), next_id(Process), next_id(Task)
    member_id = next_id(OutboundMember)

    def author(i: int) -> int:
        """A teacher (not the head) of the request's school."""
        return (i % schools) * USERS_PER_SCHOOL + 1 + (i // schools) % (USERS_PER_SCHOOL - 1)

    day = today + datetime.timedelta(days=60)
    insert(
        OutboundRequest,
        (
            OutboundRequest(
                pk=request_id + i, unit_id=unit_id + i % schools, created_by_id=user_id + author(i),
                kind="official", purpose_category="study", purpose=f"Khảo sát giáo dục, đợt {i}",
                funding_source="self", status="submitted", route="DEPT",
                reference=f"BENCH/ĐR/{today.year}/{i:07d}", departure_date=day, return_date=day,
            )
            for i in range(requests)
        ),
    )  # fmt: skip
    insert(
        OutboundMember,
        (
            OutboundMember(
                pk=member_id + i, request_id=request_id + i, person_id=person_id + author(i),
                role="head",
            )
            for i in range(requests)
        ),
    )  # fmt: skip
    content_type = ContentType.objects.get_for_model(OutboundRequest)
    insert(
        Process,
        (
            Process(
                pk=process_id + i, flow_class=OutboundFlow, status="NEW",
                artifact_content_type=content_type, artifact_object_id=request_id + i,
            )
            for i in range(requests)
        ),
    )  # fmt: skip

    def task_rows() -> Iterator[Task]:
        for i in range(requests):
            for step, name in enumerate((*DONE_STEPS, OPEN_STEP)):
                done = name != OPEN_STEP
                yield Task(
                    pk=task_id + i * TASKS_PER_REQUEST + step, process_id=process_id + i,
                    flow_task=getattr(OutboundFlow, name),
                    flow_task_type="HUMAN" if name.startswith("review") else "FUNCTION",
                    status="DONE" if done else "NEW", created=now, finished=now if done else None,
                    owner_permission="" if done else "org.review_for_department",
                    owner_permission_obj_pk="" if done else str(department.pk),
                )  # fmt: skip

    insert(Task, task_rows())

    def entry_rows() -> Iterator[InboxEntry]:
        for i in range(requests):
            for step, name in enumerate((*DONE_STEPS, OPEN_STEP)):
                done = name != OPEN_STEP
                yield InboxEntry(
                    task_id=task_id + i * TASKS_PER_REQUEST + step,
                    status="DONE" if done else "NEW",
                    owner_id=(user_id + (i % schools) * USERS_PER_SCHOOL) if done else None,
                    owner_permission="" if done else "org.review_for_department",
                    permission_unit_id=None if done else department.pk, step=name,
                    request_kind="outbound", request_id=request_id + i,
                    reference=f"BENCH/ĐR/{today.year}/{i:07d}", unit_id=unit_id + i % schools,
                    applicant_name=f"Nguyễn Văn {author(i)}",
                    due=today + datetime.timedelta(days=i % 7), created=now,
                    finished=now if done else None,
                )  # fmt: skip

    insert(InboxEntry, entry_rows())
    analyse()
    return Seeded(
        schools=schools,
        users=users,
        requests=requests,
        tasks=requests * TASKS_PER_REQUEST,
        seconds=time.perf_counter() - started,
        first_school=Unit.objects.get(pk=unit_id),
    )


def assign_to(user: Any, count: int) -> None:
    """Give ``user`` ``count`` of the open department-review tasks (their inbox)."""
    open_tasks = list(
        Task.objects.filter(status="NEW", flow_task=OutboundFlow.review_by_department)
        .order_by("-pk")
        .values_list("pk", flat=True)[:count]
    )
    Task.objects.filter(pk__in=open_tasks).update(status="ASSIGNED", owner=user)
    InboxEntry.objects.filter(task_id__in=open_tasks).update(status="ASSIGNED", owner=user)
