import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from guardian.models import UserObjectPermission

from approvals import permissions
from delegations.models import Agreement, Partner
from org.models import Passport, Person, Role, RoleAssignment, Unit, UnitKind

pytestmark = pytest.mark.django_db

USERNAMES = [
    "gv.thpt1", "gv2.thpt1", "ht.thpt1", "pht.thpt1", "vt.thpt1", "gv.thpt2", "ht.thpt2",
    "gv.th1", "ht.th1", "ct.phuong1", "cv.vp", "cvp.vp", "gd", "pgd", "thanhtra", "admin",
]  # fmt: skip
SEEDED_MODELS = [
    Unit, Person, Passport, RoleAssignment, get_user_model(), Partner, Agreement,
    UserObjectPermission,
]  # fmt: skip


@pytest.fixture(autouse=True)
def demo_settings(settings):
    # The command refuses to run without DEBUG; pytest-django turns DEBUG off.
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "demo12345"
    # PBKDF2 at full strength makes 16 log-ins take seconds; the hasher is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[dict]]:
    return {
        model.__name__: list(model._default_manager.order_by("pk").values())
        for model in SEEDED_MODELS
    }


def person(username: str) -> Person:
    return Person.objects.select_related("unit__managing_authority").get(user__username=username)


def test_seeding_twice_creates_and_changes_nothing_the_second_time() -> None:
    seed()
    first = snapshot()
    output = seed()
    assert snapshot() == first
    assert "Đã tạo 0, cập nhật 0 bản ghi" in output
    assert {name: len(rows) for name, rows in first.items()} == {
        "Unit": 15,
        "Person": 32,
        "Passport": 38,
        "RoleAssignment": 30,
        "User": 22,
        "Partner": 10,
        "Agreement": 9,
        "UserObjectPermission": len(first["UserObjectPermission"]),
    }
    assert first["UserObjectPermission"], "role grants were not synced"


def test_every_demo_user_can_log_in_with_the_demo_password() -> None:
    seed()
    for username in USERNAMES:
        assert log_in(username, "demo12345") == 302, username


def test_reseeding_restores_a_changed_demo_password_and_unit() -> None:
    seed()
    user = get_user_model().objects.get(username="gv.thpt1")
    user.set_password("something-else")
    user.save()
    Person.objects.filter(user=user).update(unit=Unit.objects.get(code="THPT3"))
    output = seed()
    assert "Đã tạo 0, cập nhật 2 bản ghi" in output
    assert log_in("gv.thpt1", "demo12345") == 302
    assert person("gv.thpt1").unit.code == "THPT1"


def test_only_admin_is_staff_and_superuser() -> None:
    seed()
    staff = get_user_model().objects.filter(is_staff=True)
    assert list(staff.values_list("username", "is_superuser")) == [("admin", True)]


def test_principal_of_high_school_1_is_unit_head_and_key_leader() -> None:
    seed()
    head = person("ht.thpt1")
    assert head.unit.code == "THPT1" and head.unit.managing_authority.kind == UnitKind.DEPARTMENT
    assert head.is_key_leader
    assert (Role.UNIT_HEAD, head.unit) in [
        (role, unit) for role, unit, _ in permissions.effective_roles(head.user)
    ]
    assert permissions.has_unit_permission(head.user, permissions.APPROVE_AS_UNIT_HEAD, head.unit)


def test_deputy_principal_is_a_second_key_leader_of_the_same_school() -> None:
    seed()
    deputy, head = person("pht.thpt1"), person("ht.thpt1")
    assert deputy.is_key_leader and deputy.unit == head.unit
    assert set(Person.objects.filter(unit=head.unit, is_key_leader=True)) == {deputy, head}


def test_primary_teacher_school_is_managed_by_ward_1_whose_chair_decides() -> None:
    seed()
    teacher, chair = person("gv.th1"), person("ct.phuong1")
    ward = teacher.unit.managing_authority
    assert teacher.unit.is_ward_managed and ward.kind == UnitKind.WARD
    assert ward == Unit.objects.filter(kind=UnitKind.WARD).order_by("pk").first()
    assert chair.unit == ward
    assert RoleAssignment.objects.filter(user=chair.user, role=Role.WARD_CHAIR, unit=ward).exists()
    assert permissions.has_unit_permission(chair.user, permissions.DECIDE_FOR_WARD, teacher.unit)


def test_principal_of_high_school_2_cannot_reach_high_school_1() -> None:
    seed()
    scope = set(permissions.units_in_scope(person("ht.thpt2").user).values_list("code", flat=True))
    assert scope == {"THPT2"}


def test_the_director_sits_in_the_department_and_decides_for_its_schools() -> None:
    seed()
    director = person("gd")
    assert director.unit.kind == UnitKind.DEPARTMENT
    assert director.is_party_managed and person("pgd").is_party_managed
    scope = set(permissions.units_in_scope(director.user, permissions.DECIDE_FOR_DEPARTMENT))
    assert {"THPT1", "THPT2", "THPT3", "SGDDT-VP", "SGDDT-TCCB"} <= {u.code for u in scope}
    assert not any(u.is_ward_managed for u in scope)


def test_demo_has_a_barred_member_and_official_passports_kept_by_the_department() -> None:
    seed()
    barred = Person.objects.filter(exit_banned=True, user__isnull=True)
    assert barred.count() == 1
    official = Passport.objects.filter(kind="official")
    assert official.exists()
    assert set(official.values_list("custody", flat=True)) == {"department"}
    assert not Person.objects.filter(passports__isnull=True).exists()


def test_agencies_have_only_reserved_example_addresses() -> None:
    seed()
    names = list(Unit.objects.filter(kind=UnitKind.AGENCY).values_list("name", flat=True))
    assert len(names) == 2
    assert any("Công an" in n and "PA08" in n for n in names)
    assert any("Sở Ngoại vụ" in n for n in names)
    emails = list(Unit.objects.values_list("email", flat=True)) + list(
        Person.objects.exclude(email="").values_list("email", flat=True)
    )
    assert emails and all(e.endswith((".example", ".test")) for e in emails)


def test_the_nine_mous_of_the_plan_are_signed_by_the_department_on_their_dates() -> None:
    seed()
    signed = {(a.partner.name_en, a.signed_on) for a in Agreement.objects.select_related("partner")}
    assert signed == {
        ("Arizona State University", datetime.date(2021, 10, 28)),
        ("Pearson Education", datetime.date(2023, 3, 23)),
        ("Incheon Metropolitan City Office of Education", datetime.date(2024, 4, 4)),
        ("Jeollanam-do Office of Education", datetime.date(2023, 6, 20)),
        ("Vientiane Capital Department of Education and Sports", datetime.date(2024, 5, 24)),
        ("Palmerston North City Council", datetime.date(2022, 6, 23)),
        (
            "The Chancellor, Masters and Scholars of the University of Cambridge acting through "
            "Cambridge University Press & Assessment",
            datetime.date(2023, 2, 13),
        ),
        ("Education New Zealand", datetime.date(2019, 1, 1)),
        ("Gyeongsangbuk-do Office of Education", datetime.date(2025, 11, 24)),
    }
    assert set(Agreement.objects.values_list("unit__code", flat=True)) == {"SGDDT"}
    joint = Agreement.objects.get(signed_on=datetime.date(2023, 3, 23))
    assert "EMG Education" in joint.title and "Pearson Education" in joint.title
    assert set(Partner.objects.filter(is_enterprise=True).values_list("name_en", flat=True)) == {
        "EMG Education",
        "Pearson Education",
    }


def test_command_output_lists_every_login_and_the_password() -> None:
    output = seed()
    for username in USERNAMES:
        assert f"  {username} " in output
    assert "mật khẩu: demo12345" in output
    assert "http://127.0.0.1:8000" in output


def test_command_refuses_to_create_public_passwords_without_debug(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not get_user_model().objects.exists()
    call_command("seed_demo", "--force", stdout=StringIO())
    assert get_user_model().objects.filter(username="admin").exists()


def log_in(username: str, password: str) -> int:
    """The log-in form's answer: 302 to the home page when the password is right."""
    response = Client().post("/accounts/login/", {"username": username, "password": password})
    return response.status_code
