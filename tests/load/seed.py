"""The load run's database: a department, schools with their heads, and submitted requests.

Run by ``tests/load/run.py`` through ``manage.py shell`` against the load database. Every request
is a real one (drafted and submitted through the services, rule checks and all), on the DEPT
route: unit head → department review → Director, who issues the documents and notifies the
agencies. Writes the work list the Locust users share.
"""

from __future__ import annotations

import json
from pathlib import Path

from org.models import Role, UnitKind
from tests.conftest import PERSONAS
from tests.factories import DepartmentFactory, SchoolFactory, UnitFactory, make_staff
from tests.flows import submitted


def seed(requests: int, schools: int, password: str, out: Path) -> None:
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
            work.append({"id": request.pk, "chain": [f"head{s}", "reviewer", "director"]})
    for person in people.values():
        person.user.set_password(password)
        person.user.save(update_fields=["password"])
    out.write_text(json.dumps({
        "users": {key: p.user.username for key, p in people.items()},
        "work": work,
    }))  # fmt: skip
