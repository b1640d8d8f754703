"""Personas shared by the whole suite.

A Sở-managed high school A (teacher, head, clerk) and B (head, who must be refused in every
permission test), a ward with a ward-managed primary school, the department (Văn phòng Sở
reviewer, director) and an auditor.
"""

from __future__ import annotations

import copy
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.test.utils import override_settings
from django.utils import translation

from org.models import Jurisdiction, Person, Role, SchoolLevel, Unit, UnitKind
from tests import db_roles
from tests.factories import DepartmentFactory, SchoolFactory, UnitFactory, make_staff
from tests.signing import Issued, issue, make_ca, pkcs12_file

# Test speed only: every persona's password is hashed at creation and checked at each log-in;
# PBKDF2's 1,000,000 rounds made that most of the suite's time. Production keeps PBKDF2.
_FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


def pytest_configure(config: pytest.Config) -> None:
    _FAST_HASHER.enable()
    # On Redis (make test-services) the xdist workers share one database: each writes its cache
    # keys under its own prefix, so one worker's cached state never shows in another's tests.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"tests-{worker}"
    override_settings(CACHES=caches).enable()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings: None) -> None:
    """On PostgreSQL the owner creates and migrates the test database (``tests/db_roles.py``)."""
    db_roles.put_aside()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """…then the application works as its restricted role, as in production; the owner flushes
    between transactional tests and drops the test database at the end."""
    with django_db_blocker.unblock():
        db_roles.assume()
    with pytest.MonkeyPatch.context() as monkeypatch:
        db_roles.flush_as_owner(monkeypatch)
        yield
    db_roles.put_aside()
    with django_db_blocker.unblock():
        db_roles.end_other_sessions()


@pytest.fixture
def fresh_cache(settings: Any) -> None:
    """A cache namespace of the test's own (counters, job states start empty).

    ``cache.clear()`` would empty the shared Redis database under the other workers' feet.
    """
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"tests-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture(autouse=True)
def _no_cached_jurisdiction() -> Iterator[None]:
    """The cached jurisdiction row outlives a test's rolled-back transaction: drop it around
    every test, as saving or deleting the row does in production."""
    cache.delete(Jurisdiction.CACHE_KEY)
    yield
    cache.delete(Jurisdiction.CACHE_KEY)


@pytest.fixture(autouse=True)
def _replica_only_where_written_for(request: pytest.FixtureRequest, settings: Any) -> None:
    """Lists, exports and reports read the read replica when one is configured (the PostgreSQL
    pass configures the test database itself as one, seen through a second connection). A test
    runs inside a transaction that no second connection sees, so only the tests marked
    ``replica`` (transactional: they commit what they read) read from it."""
    if request.node.get_closest_marker("replica") is None:
        settings.DATABASE_REPLICA_READS = False


@pytest.fixture(autouse=True)
def _site_language() -> Iterator[None]:
    """Each test starts in the site's default language: a request made in English by an earlier
    test on the same worker leaves its language active in the thread otherwise."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_in_tmp_path(settings: Any, tmp_path: Path) -> None:
    """Uploads and rendered documents go to the test's own directory, never ``var/media``.

    Under pytest-xdist two workers would otherwise write the same file names (documents are
    numbered per register) into one shared folder.
    """
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class PKI:
    """A throwaway root, the organisation's certificate under it, and their files."""

    ca: Issued
    organisation: Issued
    p12: Path
    root_pem: Path


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory: pytest.TempPathFactory) -> PKI:
    folder = tmp_path_factory.mktemp("pki")
    ca = make_ca()
    organisation = issue(ca, "Sở Giáo dục và Đào tạo (test)")
    root_pem = folder / "root.pem"
    root_pem.write_bytes(ca.pem())
    p12 = pkcs12_file(organisation, folder / "org.p12", "mat-khau")
    return PKI(ca, organisation, p12, root_pem)


@pytest.fixture(autouse=True)
def _organisation_certificate(settings: Any, test_pki: PKI) -> None:
    """Every test runs with the organisation's certificate configured (docs/record.md), so the
    agencies' e-mails carry signed PDFs as in production."""
    settings.DOCUMENT_SIGNING_P12 = str(test_pki.p12)
    settings.DOCUMENT_SIGNING_P12_PASSWORD = "mat-khau"
    settings.DOCUMENT_SIGNING_TRUST_ROOTS = [str(test_pki.root_pem)]


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
    made = Org(department, office, school_a, school_b, ward, ward_school)
    # Every step of school A's routes has its holder, as production requires at submission:
    # the head, the department's reviewer and the Director exist whether a test names them or
    # not (their fixtures return these same people).
    for username in ROUTE_HOLDERS:
        persona(made, username)
    return made


# Each persona: (username, unit of ``Org``, role, full name, make_staff's other fields).
PERSONAS: dict[str, tuple[str, str, str, dict[str, Any]]] = {
    "teacher_a": ("school_a", Role.APPLICANT, "Trần Thị Lan", {}),
    "clerk_a": ("school_a", Role.CLERK, "Lê Văn Văn", {"position": "Văn thư"}),
    "head_a": (
        "school_a",
        Role.UNIT_HEAD,
        "Phạm Minh Hùng",
        {"position": "Hiệu trưởng", "is_key_leader": True},
    ),
    "head_b": (
        "school_b",
        Role.UNIT_HEAD,
        "Võ Thị Hoa",
        {"position": "Hiệu trưởng", "is_key_leader": True},
    ),
    "dept_reviewer": ("office", Role.DEPT_REVIEWER, "Đặng Quốc Bảo", {"position": "Chuyên viên"}),
    "office_head": (
        "office",
        Role.DEPT_OFFICE_HEAD,
        "Trương Công Minh",
        {"position": "Chánh Văn phòng"},
    ),
    "director": (
        "department",
        Role.DIRECTOR,
        "Nguyễn Văn Hiếu",
        {"position": "Giám đốc", "is_key_leader": True, "is_party_managed": True},
    ),
    "ward_chair": (
        "ward",
        Role.WARD_CHAIR,
        "Huỳnh Văn Tâm",
        {"position": "Chủ tịch UBND phường"},
    ),
    "ward_teacher": ("ward_school", Role.APPLICANT, "Lý Thị Mai", {}),
    # The principal of the ward-managed primary school.
    "ward_head": ("ward_school", Role.UNIT_HEAD, "Đỗ Thị Hạnh", {"position": "Hiệu trưởng"}),
    "auditor": ("department", Role.AUDITOR, "Bùi Thanh Tra", {"position": "Thanh tra"}),
}


#: The personas ``org`` makes at once: the holders of every step of school A's routes.
ROUTE_HOLDERS = ("head_a", "dept_reviewer", "director")


def persona(org: Org, username: str) -> Person:
    """The persona ``username`` of ``PERSONAS``, with their log-in and role (made once)."""
    existing = Person.objects.filter(user__username=username).first()
    if existing is not None:
        return existing
    unit, role, full_name, fields = PERSONAS[username]
    return make_staff(username, getattr(org, unit), role, full_name=full_name, **fields)


def persona_fixture(username: str) -> Any:
    """A fixture named ``username`` that makes that persona (needs ``org``)."""

    def make(org: Org) -> Person:
        return persona(org, username)

    make.__doc__ = f"The persona {username!r} of PERSONAS."
    return pytest.fixture(make, name=username)


# One fixture per persona, named after it (``teacher_a``, ``head_b``, ``auditor``...).
globals().update({username: persona_fixture(username) for username in PERSONAS})


def login(person: Person) -> Client:
    """A test client with the person's session (the log-in paths are tested in test_login.py)."""
    client = Client()
    assert person.user is not None
    client.force_login(person.user)
    return client


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgres`` or ``services`` run only under ``make test-services``.

    ``services`` tests start real Celery workers on the one Redis database and purge its queues:
    they run one after another on a single xdist worker (``--dist loadgroup``), or one test's
    worker would take the other's tasks. ``tryfirst``: xdist names the group from the marker in
    its own hook, which must see the marker added here (without it the group was ignored and
    two real-worker tests could run at once, each worker sending the other's mail).
    """

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_redis = bool(settings.REDIS_URL)
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (make test-services)"))
        if "replica" in item.keywords and "replica" not in settings.DATABASES:
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_REPLICA_URL"))
        if "services" in item.keywords and not (on_postgres and has_redis):
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL and Redis"))
        if "services" in item.keywords:
            item.add_marker(pytest.mark.xdist_group("real_worker"))
