"""factory_boy factories for the directory."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User
from django.utils import timezone

from org.models import (
    ActingAssignment,
    Passport,
    PassportKind,
    Person,
    Role,
    RoleAssignment,
    SchoolLevel,
    Unit,
    UnitKind,
)

TEST_PASSWORD = "pw-for-tests-only"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.django.Password(TEST_PASSWORD)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = UnitKind.SCHOOL


class DepartmentFactory(UnitFactory):
    code = "SGDDT"
    name = "Sở Giáo dục và Đào tạo"
    name_en = "Department of Education and Training"
    kind = UnitKind.DEPARTMENT


class SchoolFactory(UnitFactory):
    kind = UnitKind.SCHOOL
    school_level = SchoolLevel.UPPER_SECONDARY
    name = factory.Sequence(lambda n: f"Trường THPT số {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    staff_code = factory.Sequence(lambda n: f"CB{n:05d}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    unit = factory.SubFactory(SchoolFactory)
    position = "Giáo viên"


class PassportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Passport

    person = factory.SubFactory(PersonFactory)
    kind = PassportKind.ORDINARY
    number = factory.Sequence(lambda n: f"P{n:07d}")
    expires_on = datetime.date(2035, 1, 1)


def make_staff(
    username: str,
    unit: Unit,
    role: str | None = Role.APPLICANT,
    *,
    full_name: str | None = None,
    position: str = "Giáo viên",
    role_unit: Unit | None = None,
    **person_fields: object,
) -> Person:
    """A person with a log-in holding ``role`` in ``role_unit`` (default: their own unit)."""
    user = UserFactory(username=username)
    person = PersonFactory(
        user=user,
        unit=unit,
        full_name=full_name or username,
        position=position,
        **person_fields,
    )
    if role:
        RoleAssignment.objects.create(user=user, role=role, unit=role_unit or unit)
    return person


def make_acting(
    acting_user: AbstractBaseUser | None,
    holder: AbstractBaseUser | None,
    unit: Unit,
    role: str = Role.UNIT_HEAD,
    *,
    on: datetime.date | None = None,
    until: datetime.date | None = None,
) -> ActingAssignment:
    """``acting_user`` holds ``holder``'s ``role`` in ``unit`` (a vacant post without ``holder``)
    from the day ``on`` (today) to ``until`` (that same day)."""
    day = on or timezone.localdate()
    assert isinstance(acting_user, User) and (holder is None or isinstance(holder, User))
    return ActingAssignment.objects.create(
        acting_user=acting_user,
        holder=holder,
        role=role,
        unit=unit,
        starts_on=day,
        ends_on=until or day,
    )
