"""Personas shared by the whole suite.

A Sở-managed high school A (teacher, head, clerk) and B (head, who must be refused in every
permission test), a ward with a ward-managed primary school, the department (Văn phòng Sở
reviewer, director) and an auditor.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

import pytest
from django.test import Client
from django.test.utils import override_settings

from org.models import Person, Role, SchoolLevel, Unit, UnitKind
from tests.factories import TEST_PASSWORD, DepartmentFactory, SchoolFactory, UnitFactory, make_staff


# Test speed only: every persona's password is hashed at creation and checked at each log-in;
# PBKDF2's 1,000,000 rounds made that most of the suite's time. Production keeps PBKDF2.
_FAST_HASHER = override_settings(
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
)


def pytest_configure(config: pytest.Config) -> None:
    _FAST_HASHER.enable()


@dataclass
class Org:
    department: Unit
    office: Unit
    school_a: Unit
    school_b: Unit
    ward: Unit
    ward_school: Unit


@pytest.fixture
def org(db: None) -> Org:
    department = DepartmentFactory()
    office = UnitFactory(
        code="SGDDT-VP",
        name="Văn phòng Sở",
        kind=UnitKind.DEPARTMENT_OFFICE,
        parent=department,
        managing_authority=department,
    )
    school_a = SchoolFactory(
        code="THPT-A", name="Trường THPT A", parent=department, managing_authority=department
    )
    school_b = SchoolFactory(
        code="THPT-B", name="Trường THPT B", parent=department, managing_authority=department
    )
    ward = UnitFactory(code="P-1", name="UBND Phường 1", kind=UnitKind.WARD)
    ward_school = UnitFactory(
        code="TH-P1",
        name="Trường Tiểu học Phường 1",
        kind=UnitKind.SCHOOL,
        school_level=SchoolLevel.PRIMARY,
        parent=ward,
        managing_authority=ward,
    )
    return Org(department, office, school_a, school_b, ward, ward_school)


@pytest.fixture
def teacher_a(org: Org) -> Person:
    return make_staff("teacher_a", org.school_a, Role.APPLICANT, full_name="Trần Thị Lan")


@pytest.fixture
def clerk_a(org: Org) -> Person:
    return make_staff(
        "clerk_a", org.school_a, Role.CLERK, full_name="Lê Văn Văn", position="Văn thư"
    )


@pytest.fixture
def head_a(org: Org) -> Person:
    return make_staff(
        "head_a",
        org.school_a,
        Role.UNIT_HEAD,
        full_name="Phạm Minh Hùng",
        position="Hiệu trưởng",
        is_key_leader=True,
    )


@pytest.fixture
def head_b(org: Org) -> Person:
    return make_staff(
        "head_b",
        org.school_b,
        Role.UNIT_HEAD,
        full_name="Võ Thị Hoa",
        position="Hiệu trưởng",
        is_key_leader=True,
    )


@pytest.fixture
def dept_reviewer(org: Org) -> Person:
    return make_staff(
        "dept_reviewer",
        org.office,
        Role.DEPT_REVIEWER,
        full_name="Đặng Quốc Bảo",
        position="Chuyên viên",
    )


@pytest.fixture
def director(org: Org) -> Person:
    return make_staff(
        "director",
        org.department,
        Role.DIRECTOR,
        full_name="Nguyễn Văn Hiếu",
        position="Giám đốc",
        is_key_leader=True,
        is_party_managed=True,
    )


@pytest.fixture
def ward_chair(org: Org) -> Person:
    return make_staff(
        "ward_chair",
        org.ward,
        Role.WARD_CHAIR,
        full_name="Huỳnh Văn Tâm",
        position="Chủ tịch UBND phường",
    )


@pytest.fixture
def ward_teacher(org: Org) -> Person:
    return make_staff("ward_teacher", org.ward_school, Role.APPLICANT, full_name="Lý Thị Mai")


@pytest.fixture
def auditor(org: Org) -> Person:
    return make_staff(
        "auditor", org.department, Role.AUDITOR, full_name="Bùi Thanh Tra", position="Thanh tra"
    )


def login(person: Person) -> Client:
    """A test client logged in as the person."""
    client = Client()
    assert person.user is not None
    assert client.login(username=person.user.username, password=TEST_PASSWORD)
    return client


@pytest.fixture
def chromium_path() -> str:
    """Debian's Chromium for Playwright tests; under CI its absence is a failure, not a skip."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it with apt-get")
        pytest.skip("Debian's chromium is not installed")
    return path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgres`` or ``services`` run only under ``make test-services``."""
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_redis = bool(settings.REDIS_URL)
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (make test-services)"))
        if "services" in item.keywords and not (on_postgres and has_redis):
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL and Redis"))
