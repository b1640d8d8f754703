"""The load run's database: a department, schools with their heads, and submitted requests.

Run by ``tests/load/run.py`` through ``manage.py shell`` against the load database. Every request
is a real one (drafted and submitted through the services, rule checks and all), on the DEPT
route: unit head → department review → Director, who issues the documents and notifies the
agencies; a third of them already wait at the department, a third at the Director. Writes the
work list the Locust users share.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.test import override_settings

from approvals.models import MessageStatus, OutboxMessage
from org.models import Role, UnitKind
from tests.conftest import PERSONAS
from tests.factories import DepartmentFactory, SchoolFactory, UnitFactory, make_staff
from tests.flows import open_task, submitted
from workflow.services import task_complete

#: The DEPT route's decisions, in the order of each request's chain of approvers.
STEPS = ("review_by_unit_head", "review_by_department", "decide_by_director")
#: The people seeded never sign in with the factories' password: hashing it with production's
#: PBKDF2 took a third of a second per person, most of the seed's time.
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(requests: int, schools: int, password: str, out: Path) -> None:
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        people, work = _requests(requests, schools)
    # The approvers sign in during the run: their password is hashed as production does.
    for person in people.values():
        person.user.set_password(password)
        person.user.save(update_fields=["password"])
    out.write_text(json.dumps({
        "users": {key: p.user.username for key, p in people.items()},
        "work": work,
    }))  # fmt: skip


def _requests(requests: int, schools: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The units, the approvers (by key) and the submitted requests (the work list)."""
    department = DepartmentFactory()
    office = UnitFactory(code="SGDDT-VP", name="Văn phòng Sở", kind=UnitKind.DEPARTMENT_OFFICE,
                         parent=department, managing_authority=department)  # fmt: skip
    UnitFactory(code="CATP", name="Công an Thành phố", kind="agency", email="pa08@ca.test")
    UnitFactory(code="SNGV", name="Sở Ngoại vụ", kind="agency", email="songv@sngv.test")
    director_fields = PERSONAS["director"][3]
    people = {
        "reviewer": make_staff("load_reviewer", office, Role.DEPT_REVIEWER),
        "director": make_staff("load_director", department, Role.DIRECTOR, **director_fields),
    }
    work = []
    for s in range(schools):
        school = SchoolFactory(code=f"LOAD-{s:03d}", name=f"Trường THPT tải {s}",
                               parent=department, managing_authority=department)  # fmt: skip
        people[f"head{s}"] = make_staff(f"load_head{s}", school, Role.UNIT_HEAD,
                                        position="Hiệu trưởng", is_key_leader=True)  # fmt: skip
        for t in range(requests // schools + (s < requests % schools)):
            # One traveller per request: a person cannot be on two trips at once (OUT-OVERLAP).
            teacher = make_staff(f"load_teacher{s}_{t}", school, Role.APPLICANT)
            request = submitted(teacher)
            chain = [f"head{s}", "reviewer", "director"]
            # A third of the requests wait at each step, so that every stretch of the run mixes
            # the three (the Director's approvals spread over it, not in one wave at the end).
            start = len(work) % len(chain)
            for key, step in zip(chain[:start], STEPS, strict=False):
                task_complete(task_id=open_task(request, step).pk, user=people[key].user,
                              action="approve")  # fmt: skip
            work.append({"id": request.pk, "chain": chain, "start": start})
    # The seed's own notices (new tasks for the heads and the reviewer) are not the run's: left
    # pending, the first outbox sweep would hand them to the mail worker during the run.
    OutboxMessage.objects.filter(status=MessageStatus.PENDING).update(
        status=MessageStatus.FAILED, last_error="seeded before the load run: not sent"
    )
    return people, work
