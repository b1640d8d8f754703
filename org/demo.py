"""Demo directory: units, people, log-ins, roles, partners and MOUs, upserted idempotently.

Every row is found by a natural key (unit code, staff code, username, passport kind and number,
partner name and country, agreement partner/unit/date) and only the fields that differ are
written, so a second run creates nothing and changes nothing. Names are invented; e-mail
addresses use the reserved ``.example`` domain so that no demo mail can reach a real inbox.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from delegations.models import (
    Agreement,
    InboundVisit,
    OutboundMember,
    OutboundRequest,
    OutboundStop,
    Partner,
    ReferenceCounter,
    Visitor,
)
from org.models import (
    RESTRICTION_FLAGS,
    Gender,
    Jurisdiction,
    PassportCustody,
    PassportKind,
    Person,
    Role,
    RoleAssignment,
    SchoolLevel,
    StaffCategory,
    Unit,
    UnitKind,
)
from org.models import Passport as PassportRow

M = TypeVar("M", bound=models.Model)
D = datetime.date
MAIL_DOMAIN = "hcm.edu.example"

SO = "SGDDT"
VP = "SGDDT-VP"

# code, name, name_en, kind, school level, parent code, managing authority code
UNITS: list[tuple[str, str, str, str, str, str | None, str | None]] = [
    ("UBND-TP", "Ủy ban nhân dân Thành phố Hồ Chí Minh", "Ho Chi Minh City People's Committee",
     UnitKind.CITY, "", None, None),
    (SO, "Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh",
     "Ho Chi Minh City Department of Education and Training",
     UnitKind.DEPARTMENT, "", "UBND-TP", "UBND-TP"),
    (VP, "Văn phòng Sở", "Department Office", UnitKind.DEPARTMENT_OFFICE, "", SO, SO),
    ("SGDDT-TCCB", "Phòng Tổ chức cán bộ", "Personnel Division",
     UnitKind.DEPARTMENT_OFFICE, "", SO, SO),
    ("THPT1", "Trường THPT Nguyễn Thị Minh Khai", "Nguyen Thi Minh Khai High School",
     UnitKind.SCHOOL, SchoolLevel.UPPER_SECONDARY, SO, SO),
    ("THPT2", "Trường THPT Lê Quý Đôn", "Le Quy Don High School",
     UnitKind.SCHOOL, SchoolLevel.UPPER_SECONDARY, SO, SO),
    ("THPT3", "Trường THPT chuyên Trần Đại Nghĩa", "Tran Dai Nghia High School for the Gifted",
     UnitKind.SCHOOL, SchoolLevel.UPPER_SECONDARY, SO, SO),
    ("P-SAIGON", "UBND phường Sài Gòn", "Sai Gon Ward People's Committee",
     UnitKind.WARD, "", "UBND-TP", "UBND-TP"),
    ("TH-SAIGON", "Trường Tiểu học Trần Hưng Đạo", "Tran Hung Dao Primary School",
     UnitKind.SCHOOL, SchoolLevel.PRIMARY, "P-SAIGON", "P-SAIGON"),
    ("THCS-SAIGON", "Trường THCS Minh Đức", "Minh Duc Lower Secondary School",
     UnitKind.SCHOOL, SchoolLevel.LOWER_SECONDARY, "P-SAIGON", "P-SAIGON"),
    ("P-BENTHANH", "UBND phường Bến Thành", "Ben Thanh Ward People's Committee",
     UnitKind.WARD, "", "UBND-TP", "UBND-TP"),
    ("TH-BENTHANH", "Trường Tiểu học Kết Đoàn", "Ket Doan Primary School",
     UnitKind.SCHOOL, SchoolLevel.PRIMARY, "P-BENTHANH", "P-BENTHANH"),
    ("THCS-BENTHANH", "Trường THCS Văn Lang", "Van Lang Lower Secondary School",
     UnitKind.SCHOOL, SchoolLevel.LOWER_SECONDARY, "P-BENTHANH", "P-BENTHANH"),
    # External recipients of notifications: outside the tree, managed by nobody here.
    ("CATP-PA08", "Công an Thành phố Hồ Chí Minh – Phòng Quản lý xuất nhập cảnh (PA08)",
     "Ho Chi Minh City Police – Immigration Division (PA08)", UnitKind.AGENCY, "", None, None),
    ("SNGV", "Sở Ngoại vụ Thành phố Hồ Chí Minh", "Ho Chi Minh City Department of Foreign Affairs",
     UnitKind.AGENCY, "", None, None),
]  # fmt: skip

AGENCY_EMAILS = {
    "CATP-PA08": "pa08@congan.hcm.example",
    "SNGV": "vanthu@songoaivu.hcm.example",
}

CC, VC = StaffCategory.CONG_CHUC, StaffCategory.VIEN_CHUC
F = Gender.FEMALE


@dataclass(frozen=True)
class Staff:
    """One member of staff; ``username`` empty means no log-in."""

    staff_code: str
    full_name: str
    unit: str
    position: str
    born: D
    category: str = VC
    #: Blank: read from the name (a middle name "Thị" is a woman's); set where it is not.
    gender: str = ""
    username: str = ""
    who: str | Promise = ""
    roles: tuple[str, ...] = ()
    key_leader: bool = False
    party_managed: bool = False
    official_passport: bool = False
    flags: dict[str, bool] = field(default_factory=dict)


LOGINS: list[Staff] = [
    Staff("HCM000101", "Trần Thị Ngọc Hân", "THPT1", "Giáo viên Tiếng Anh", D(1988, 4, 12),
          username="gv.thpt1", who=_("Giáo viên (teacher)"), roles=(Role.APPLICANT,)),
    Staff("HCM000102", "Lê Minh Khoa", "THPT1", "Giáo viên Toán", D(1990, 9, 3),
          username="gv2.thpt1", who=_("Giáo viên (teacher)"), roles=(Role.APPLICANT,)),
    Staff("HCM000103", "Nguyễn Thị Thanh Hương", "THPT1", "Hiệu trưởng", D(1972, 2, 20),
          username="ht.thpt1", who=_("Hiệu trưởng (principal)"),
          roles=(Role.UNIT_HEAD, Role.APPLICANT), key_leader=True, official_passport=True),
    Staff("HCM000104", "Phạm Quốc Dũng", "THPT1", "Phó Hiệu trưởng, Bí thư Chi bộ",
          D(1976, 11, 8), username="pht.thpt1",
          who=_("Phó Hiệu trưởng, Bí thư Chi bộ (deputy principal, Party cell secretary)"),
          roles=(Role.APPLICANT,), key_leader=True),
    Staff("HCM000105", "Võ Thị Kim Oanh", "THPT1", "Văn thư", D(1985, 6, 17),
          username="vt.thpt1", who=_("Văn thư (clerk)"), roles=(Role.CLERK,)),
    Staff("HCM000201", "Đỗ Hoàng Nam", "THPT2", "Giáo viên Vật lý", D(1987, 1, 25),
          username="gv.thpt2", who=_("Giáo viên (teacher)"), roles=(Role.APPLICANT,)),
    Staff("HCM000202", "Huỳnh Thị Bích Ngọc", "THPT2", "Hiệu trưởng", D(1970, 7, 30),
          username="ht.thpt2", who=_("Hiệu trưởng (principal)"),
          roles=(Role.UNIT_HEAD, Role.APPLICANT), key_leader=True, official_passport=True),
    Staff("HCM000401", "Lý Thị Thu Trang", "TH-SAIGON", "Giáo viên tiểu học", D(1992, 3, 14),
          username="gv.th1", who=_("Giáo viên tiểu học (primary teacher)"),
          roles=(Role.APPLICANT,)),
    Staff("HCM000402", "Bùi Văn Thành", "TH-SAIGON", "Hiệu trưởng", D(1974, 12, 1),
          username="ht.th1", who=_("Hiệu trưởng tiểu học (primary principal)"),
          roles=(Role.UNIT_HEAD, Role.APPLICANT), key_leader=True),
    # Every unit's head and every ward's chair, so that every step of every route has a holder.
    Staff("HCM000301", "Châu Ngọc Bảo Trân", "THPT3", "Hiệu trưởng", D(1971, 8, 14),
          username="ht.thpt3", who=_("Hiệu trưởng (principal)"), gender=F,
          roles=(Role.UNIT_HEAD, Role.APPLICANT), key_leader=True, official_passport=True),
    Staff("HCM000411", "Quách Văn Hải", "THCS-SAIGON", "Hiệu trưởng", D(1975, 1, 18),
          username="ht.thcs1", who=_("Hiệu trưởng (principal)"),
          roles=(Role.UNIT_HEAD, Role.APPLICANT), key_leader=True),
    Staff("HCM000602", "Nguyễn Văn Lực", "TH-BENTHANH", "Hiệu trưởng", D(1973, 4, 9),
          username="ht.th2", who=_("Hiệu trưởng tiểu học (primary principal)"),
          roles=(Role.UNIT_HEAD, Role.APPLICANT), key_leader=True),
    Staff("HCM000612", "Hà Thị Kim Chi", "THCS-BENTHANH", "Hiệu trưởng", D(1977, 10, 2),
          username="ht.thcs2", who=_("Hiệu trưởng (principal)"),
          roles=(Role.UNIT_HEAD, Role.APPLICANT), key_leader=True),
    Staff("HCM000502", "Lê Thị Phương Thảo", "P-BENTHANH", "Chủ tịch UBND phường",
          D(1976, 2, 11), category=StaffCategory.CAN_BO, username="ct.phuong2",
          who=_("Chủ tịch UBND phường (ward chair)"), roles=(Role.WARD_CHAIR,), key_leader=True),
    Staff("HCM000021", "Vũ Đình Khang", "SGDDT-TCCB", "Trưởng phòng Tổ chức cán bộ",
          D(1974, 7, 15), category=CC, username="tp.tccb",
          who=_("Trưởng phòng thuộc Sở (head of a division)"), roles=(Role.UNIT_HEAD,),
          key_leader=True),
    Staff("HCM000501", "Trương Minh Tuấn", "P-SAIGON", "Chủ tịch UBND phường", D(1975, 5, 19),
          category=StaffCategory.CAN_BO, username="ct.phuong1",
          who=_("Chủ tịch UBND phường (ward chair)"), roles=(Role.WARD_CHAIR,), key_leader=True),
    Staff("HCM000011", "Đặng Thị Mỹ Linh", VP, "Chuyên viên", D(1986, 8, 22), category=CC,
          username="cv.vp", who=_("Chuyên viên thẩm định (department reviewer)"),
          roles=(Role.DEPT_REVIEWER,)),
    Staff("HCM000012", "Hồ Văn Phúc", VP, "Chánh Văn phòng", D(1973, 10, 5), category=CC,
          username="cvp.vp", who=_("Chánh Văn phòng Sở (head of the office)"),
          roles=(Role.DEPT_OFFICE_HEAD, Role.UNIT_HEAD), key_leader=True,
          official_passport=True),
    Staff("HCM000001", "Lâm Quang Vinh", SO, "Giám đốc Sở", D(1968, 3, 9), category=CC,
          username="gd", who=_("Giám đốc Sở (director)"), roles=(Role.DIRECTOR,),
          key_leader=True, party_managed=True, official_passport=True),
    Staff("HCM000002", "Dương Thị Hồng Nhung", SO, "Phó Giám đốc Sở", D(1971, 9, 27),
          category=CC, username="pgd", who=_("Phó Giám đốc Sở (deputy director)"),
          roles=(Role.DEPUTY_DIRECTOR,), key_leader=True, party_managed=True,
          official_passport=True),
    Staff("HCM000003", "Mai Xuân Trường", SO, "Thanh tra viên", D(1979, 4, 2), category=CC,
          username="thanhtra", who=_("Thanh tra (auditor)"), roles=(Role.AUDITOR,)),
    Staff("HCM000013", "Phan Thanh Sơn", VP, "Quản trị hệ thống", D(1989, 1, 16), category=CC,
          username="admin", who=_("Quản trị hệ thống (administrator)"), roles=(Role.ADMIN,)),
]  # fmt: skip

#: The admin's Role.ADMIN is held in the Sở, whatever unit the person sits in.
ROLE_UNIT_OVERRIDES = {"admin": SO}
SUPERUSERS = {"admin"}

# Staff without log-ins, so that member search and the restriction rule have someone to show.
STAFF: list[Staff] = [
    Staff("HCM000106", "Nguyễn Hoàng Phúc", "THPT1", "Giáo viên Ngữ văn", D(1983, 5, 6)),
    Staff("HCM000107", "Trịnh Thị Mai Anh", "THPT1", "Giáo viên Hóa học", D(1991, 10, 21)),
    Staff("HCM000108", "Cao Văn Lộc", "THPT1", "Giáo viên Tin học", D(1984, 2, 11),
          flags={"exit_banned": True}),
    Staff("HCM000203", "Tạ Thị Thanh Thủy", "THPT2", "Phó Hiệu trưởng", D(1978, 6, 29)),
    Staff("HCM000204", "Lưu Đức Anh", "THPT2", "Giáo viên Sinh học", D(1993, 12, 9)),
    Staff("HCM000302", "Kiều Minh Tâm", "THPT3", "Giáo viên Tiếng Pháp", D(1989, 7, 7)),
    Staff("HCM000403", "Phan Thị Diệu", "TH-SAIGON", "Giáo viên tiểu học", D(1994, 11, 30)),
    Staff("HCM000412", "Tôn Nữ Minh Thư", "THCS-SAIGON", "Giáo viên Tiếng Anh", D(1990, 4, 4),
          gender=F),
    Staff("HCM000601", "Đinh Thị Hạnh", "TH-BENTHANH", "Giáo viên tiểu học", D(1986, 9, 12)),
    Staff("HCM000611", "La Quốc Cường", "THCS-BENTHANH", "Giáo viên Toán", D(1982, 3, 23)),
]  # fmt: skip

CAMBRIDGE = (
    "The Chancellor, Masters and Scholars of the University of Cambridge acting through "
    "Cambridge University Press & Assessment"
)

# Footnote 1 of the 2026 foreign-affairs plan: name (as in the plan), name_en, ISO country,
# enterprise. EMG Education is a Vietnamese company, Pearson's partner in Vietnam.
PARTNERS: list[tuple[str, str, str, bool]] = [
    ("Đại học Bang Arizona", "Arizona State University", "US", False),
    ("EMG Education", "EMG Education", "VN", True),
    ("Pearson Education", "Pearson Education", "GB", True),
    ("Sở Giáo dục tỉnh Incheon", "Incheon Metropolitan City Office of Education", "KR", False),
    ("Sở Giáo dục tỉnh Jeollanamdo", "Jeollanam-do Office of Education", "KR", False),
    ("Sở Giáo dục và Thể thao Thủ đô Viêng Chăn",
     "Vientiane Capital Department of Education and Sports", "LA", False),
    ("Thành phố Palmerston North", "Palmerston North City Council", "NZ", False),
    ("Tổng hiệu trưởng, Các Hiệu trưởng và Học giả của Đại học Cambridge thông qua đơn vị "
     "trực thuộc - Nhà Xuất bản và Hội đồng Khảo thí Đại học Cambridge",
     CAMBRIDGE, "GB", False),
    ("Cơ quan Giáo dục New Zealand", "Education New Zealand", "NZ", False),
    ("Sở Giáo dục tỉnh Gyeongsangbuk", "Gyeongsangbuk-do Office of Education", "KR", False),
]  # fmt: skip

# (partner of record, co-signatories, signed on). An Agreement has one partner, and reports
# count agreements as MOUs, so the joint EMG/Pearson MOU is one row held by Pearson (the
# foreign signatory) and names EMG in its title and scope.
MOUS: list[tuple[str, tuple[str, ...], D]] = [
    ("Arizona State University", (), D(2021, 10, 28)),
    ("Pearson Education", ("EMG Education",), D(2023, 3, 23)),
    ("Incheon Metropolitan City Office of Education", (), D(2024, 4, 4)),
    ("Jeollanam-do Office of Education", (), D(2023, 6, 20)),
    ("Vientiane Capital Department of Education and Sports", (), D(2024, 5, 24)),
    ("Palmerston North City Council", (), D(2022, 6, 23)),
    (CAMBRIDGE, (), D(2023, 2, 13)),
    # The plan gives only the month ("01/2019"); the first of the month stands in for the day.
    ("Education New Zealand", (), D(2019, 1, 1)),
    ("Gyeongsangbuk-do Office of Education", (), D(2025, 11, 24)),
]


@dataclass
class Tally:
    """How many rows a run created and updated (both zero on a re-run)."""

    created: int = 0
    updated: int = 0

    def count(self, created: bool, updated: bool) -> None:
        self.created += int(created)
        self.updated += int(updated)


def upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any], tally: Tally) -> M:
    """Find the row by ``lookup``; create it, or write only the fields that differ."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model._default_manager.create(**lookup, **values)
        tally.count(created=True, updated=False)
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    tally.count(created=False, updated=bool(changed))
    return obj


def seed_units(
    tally: Tally,
    rows: list[tuple[str, str, str, str, str, str | None, str | None]] | None = None,
    domain: str = MAIL_DOMAIN,
) -> dict[str, Unit]:
    """The unit tree, parents before children (``rows``: another city's tree)."""
    units: dict[str, Unit] = {}
    for code, name, name_en, kind, level, parent, authority in rows or UNITS:
        units[code] = upsert(
            Unit,
            {"code": code},
            {
                "name": name,
                "name_en": name_en,
                "kind": kind,
                "school_level": level,
                "parent": units[parent] if parent else None,
                "managing_authority": units[authority] if authority else None,
                "email": AGENCY_EMAILS.get(code, f"{code.lower()}@{domain}"),
                "is_active": True,
            },
            tally,
        )
    return units


class DemoPassword:
    """The demo password, hashed at most once per run.

    Hashing is deliberately slow, so every demo user gets the same hash (one salt: harmless for
    a password printed on the console) and each distinct stored hash is checked only once.
    """

    def __init__(self) -> None:
        self.raw = settings.DEMO_PASSWORD
        self._hash: str | None = None
        self._matches: dict[str, bool] = {}

    def matches(self, stored: str) -> bool:
        if stored not in self._matches:
            self._matches[stored] = bool(stored) and check_password(self.raw, stored)
        return self._matches[stored]

    def hash(self) -> str:
        if self._hash is None:
            self._hash = make_password(self.raw)
        return self._hash


def seed_user(
    staff: Staff, tally: Tally, password: DemoPassword, domain: str = MAIL_DOMAIN
) -> User:
    """The log-in for ``staff``, with the demo password and only the admin as staff."""
    user_model = get_user_model()
    existing = user_model._default_manager.filter(username=staff.username).first()
    values: dict[str, Any] = {
        "email": f"{staff.username}@{domain}",
        "is_active": True,
        "is_staff": staff.username in SUPERUSERS,
        "is_superuser": staff.username in SUPERUSERS,
    }
    if existing is None or not password.matches(existing.password):
        values["password"] = password.hash()
    return upsert(user_model, {"username": staff.username}, values, tally)


def _passports(staff: Staff) -> list[tuple[str, str, D, D, str]]:
    """(kind, number, issued, expires, custody), derived from the staff code so reruns match."""
    serial = int(staff.staff_code[-4:])
    issued = D(2020 + serial % 5, 1 + serial % 12, 1 + serial % 28)
    rows: list[tuple[str, str, D, D, str]] = [
        (
            PassportKind.ORDINARY,
            f"C{7_100_000 + serial:07d}",
            issued,
            issued.replace(year=issued.year + 10),
            PassportCustody.HOLDER,
        )
    ]
    if staff.official_passport:
        official_issued = D(2024, 1 + serial % 12, 1 + serial % 28)
        rows.append(
            (
                PassportKind.OFFICIAL,
                f"B{2_400_000 + serial:07d}",
                official_issued,
                official_issued.replace(year=2029),
                # Official passports are kept by the Sở and handed out per trip.
                PassportCustody.DEPARTMENT,
            )
        )
    return rows


def seed_person(
    staff: Staff,
    units: dict[str, Unit],
    user: User | None,
    tally: Tally,
    domain: str = MAIL_DOMAIN,
) -> Person:
    """The person, their restriction flags and passports."""
    values: dict[str, Any] = {
        "user": user,
        "full_name": staff.full_name,
        "date_of_birth": staff.born,
        "gender": staff.gender
        or (Gender.FEMALE if " Thị " in f" {staff.full_name} " else Gender.MALE),
        "unit": units[staff.unit],
        "position": staff.position,
        "category": staff.category,
        "is_key_leader": staff.key_leader,
        "is_party_managed": staff.party_managed,
        "email": f"{staff.username}@{domain}" if staff.username else "",
        "is_active": True,
    }
    for flag in RESTRICTION_FLAGS:
        values[flag] = staff.flags.get(flag, False)
    person = upsert(Person, {"staff_code": staff.staff_code}, values, tally)
    for kind, number, issued, expires, custody in _passports(staff):
        upsert(
            PassportRow,
            {"kind": kind, "number": number},
            {"person": person, "issued_on": issued, "expires_on": expires, "custody": custody},
            tally,
        )
    return person


def seed_roles(staff: Staff, user: User, units: dict[str, Unit], tally: Tally) -> None:
    """Open-ended role assignments; extra roles an administrator added are left alone."""
    unit = units[ROLE_UNIT_OVERRIDES.get(staff.username, staff.unit)]
    for role in staff.roles:
        upsert(
            RoleAssignment,
            {"user": user, "role": role, "unit": unit, "starts_on": None},
            {"ends_on": None},
            tally,
        )


def seed_partners(units: dict[str, Unit], tally: Tally) -> None:
    """The partners and the nine MOUs of footnote 1, signed by the Sở."""
    department = Jurisdiction.effective().department_short
    by_name_en: dict[str, Partner] = {}
    for name, name_en, country, enterprise in PARTNERS:
        by_name_en[name_en] = upsert(
            Partner,
            {"name": name, "country": country},
            {"name_en": name_en, "is_enterprise": enterprise},
            tally,
        )
    for name_en, co_signers, signed_on in MOUS:
        partner = by_name_en[name_en]
        names = " và ".join([by_name_en[n].name for n in co_signers] + [partner.name])
        upsert(
            Agreement,
            {"partner": partner, "unit": units[SO], "signed_on": signed_on},
            {
                "title": f"Biên bản ghi nhớ hợp tác giữa {department} và {names}",
                "expires_on": None,
                "scope": f"Đồng ký kết: {names}." if co_signers else "",
            },
            tally,
        )


# --- A second city: Hải Phòng (seed 004: its Sở reports through Phòng Tổ chức - Hành chính,
# units report by 10 December). ``seed_demo --city haiphong`` loads it, on its own database.

HP_DOMAIN = "haiphong.edu.example"
HP_SO = "HP-SGDDT"
HP_UNITS: list[tuple[str, str, str, str, str, str | None, str | None]] = [
    ("HP-UBND", "Ủy ban nhân dân thành phố Hải Phòng", "Hai Phong City People's Committee",
     UnitKind.CITY, "", None, None),
    (HP_SO, "Sở Giáo dục và Đào tạo thành phố Hải Phòng",
     "Hai Phong Department of Education and Training",
     UnitKind.DEPARTMENT, "", "HP-UBND", "HP-UBND"),
    ("HP-TCHC", "Phòng Tổ chức - Hành chính", "Organisation and Administration Division",
     UnitKind.DEPARTMENT_OFFICE, "", HP_SO, HP_SO),
    ("HP-KHTC", "Phòng Kế hoạch - Tài chính", "Planning and Finance Division",
     UnitKind.DEPARTMENT_OFFICE, "", HP_SO, HP_SO),
    ("HP-THPT1", "Trường THPT chuyên Trần Phú", "Tran Phu High School for the Gifted",
     UnitKind.SCHOOL, SchoolLevel.UPPER_SECONDARY, HP_SO, HP_SO),
    ("HP-THPT2", "Trường THPT Ngô Quyền", "Ngo Quyen High School",
     UnitKind.SCHOOL, SchoolLevel.UPPER_SECONDARY, HP_SO, HP_SO),
    # The agencies its approvals are notified to (outside the tree, as in HCMC's).
    ("HP-CATP", "Công an thành phố Hải Phòng – Phòng Quản lý xuất nhập cảnh",
     "Hai Phong City Police – Immigration Division", UnitKind.AGENCY, "", None, None),
    ("HP-SNGV", "Sở Ngoại vụ thành phố Hải Phòng", "Hai Phong Department of Foreign Affairs",
     UnitKind.AGENCY, "", None, None),
]  # fmt: skip

HP_LOGINS: list[Staff] = [
    Staff("HP000101", "Phạm Thị Thu Hà", "HP-THPT1", "Giáo viên Tiếng Anh", D(1989, 5, 2),
          username="gv.hp1", who=_("Giáo viên (teacher)"), roles=(Role.APPLICANT,)),
    Staff("HP000102", "Nguyễn Văn Hải", "HP-THPT1", "Hiệu trưởng", D(1973, 8, 19),
          username="ht.hp1", who=_("Hiệu trưởng (principal)"),
          roles=(Role.UNIT_HEAD, Role.APPLICANT), key_leader=True, official_passport=True),
    Staff("HP000103", "Trần Thị Lan", "HP-THPT1", "Văn thư", D(1986, 2, 11),
          username="vt.hp1", who=_("Văn thư (clerk)"), roles=(Role.CLERK,)),
    Staff("HP000201", "Lê Thị Minh", "HP-THPT2", "Hiệu trưởng", D(1971, 10, 5),
          username="ht.hp2", who=_("Hiệu trưởng (principal)"),
          roles=(Role.UNIT_HEAD, Role.APPLICANT), key_leader=True),
    Staff("HP000301", "Vũ Đức Thắng", "HP-TCHC", "Chuyên viên Phòng Tổ chức - Hành chính",
          D(1984, 4, 27), category=CC, username="cv.hp",
          who=_("Chuyên viên thẩm định (department reviewer)"), roles=(Role.DEPT_REVIEWER,)),
    Staff("HP000302", "Đặng Thị Hồng", "HP-TCHC", "Trưởng phòng Tổ chức - Hành chính",
          D(1975, 1, 30), category=CC, username="tp.hp",
          who=_("Trưởng phòng Tổ chức - Hành chính (office head)"),
          roles=(Role.DEPT_OFFICE_HEAD,), key_leader=True),
    Staff("HP000303", "Hoàng Văn Long", HP_SO, "Giám đốc Sở", D(1968, 6, 14), category=CC,
          username="gd.hp", who=_("Giám đốc Sở (director)"), roles=(Role.DIRECTOR,),
          key_leader=True, party_managed=True, official_passport=True),
    Staff("HP000304", "Bùi Thị Thanh", HP_SO, "Thanh tra Sở", D(1980, 9, 9), category=CC,
          username="thanhtra.hp", who=_("Thanh tra (auditor)"), roles=(Role.AUDITOR,)),
]  # fmt: skip

#: The city's decision on staff travelling abroad is not named in its plan (seeds/004): the demo
#: cites it without a number, for the Sở to complete in the admin (docs/reporting.md).
HP_JURISDICTION: dict[str, Any] = {
    "city_name": "Thành phố Hải Phòng",
    "city_short": "TP. Hải Phòng",
    "place_name": "Hải Phòng",
    "department_name": "Sở Giáo dục và Đào tạo thành phố Hải Phòng",
    "department_name_en": "Hai Phong Department of Education and Training",
    "department_short": "Sở GDĐT Hải Phòng",
    "reviewing_office": "Phòng Tổ chức - Hành chính",
    "office_head": "Trưởng phòng Tổ chức - Hành chính",
    "office_code": "TCHC",
    "legal_basis": (
        "Căn cứ quy định của Ủy ban nhân dân thành phố Hải Phòng về quản lý cán bộ, công "
        "chức, viên chức và người lao động đi nước ngoài;"
    ),
    "rule_bases": {},
    "agencies_notified": "Công an thành phố Hải Phòng\nSở Ngoại vụ thành phố Hải Phòng",
    "report_deadline": "12-10",
    "report_period_start": "12-11",
}


def seed_haiphong(tally: Tally) -> dict[str, Unit]:
    """Hải Phòng's jurisdiction row, unit tree and log-ins (no HCMC data)."""
    upsert(Jurisdiction, {"key": "current"}, dict(HP_JURISDICTION), tally)
    units = seed_units(tally, HP_UNITS, HP_DOMAIN)
    password = DemoPassword()
    for staff in HP_LOGINS:
        user = seed_user(staff, tally, password, HP_DOMAIN)
        seed_person(staff, units, user, tally, HP_DOMAIN)
        seed_roles(staff, user, units, tally)
    return units


# A past year of trips and visits, so that the reports, the "abroad now" page and the calendar
# do not start empty. Dates are counted from the day of the run (offsets in days); each row is
# found again by its unit and its purpose, which no real dossier repeats, so a re-run on the
# same day changes nothing and a re-run on a later day moves the dates along.
# (purpose, unit, filer, members (head first), country, cities, category, funding, cost,
#  departure offset, days, status, report: "on_time" | "late" | "missing" | "")
TRIPS: list[tuple[str, str, str, tuple[str, ...], str, str, str, str, int, int, int, str, str]] = [
    ("Khảo sát mô hình trường học số tại Singapore", "THPT1", "HCM000103",
     ("HCM000103", "HCM000101"), "SG", "Singapore", "study", "unit_revenue", 96_000_000,
     -320, 5, "closed", "on_time"),
    ("Tập huấn giảng dạy tiếng Anh theo chương trình Cambridge", "THPT1", "HCM000101",
     ("HCM000101", "HCM000106"), "GB", "Cambridge", "training", "foreign_partner", 0,
     -250, 12, "closed", "on_time"),
    ("Dự hội thảo giáo dục STEM khu vực châu Á – Thái Bình Dương", "THPT2", "HCM000202",
     ("HCM000202",), "KR", "Incheon", "conference", "state_budget", 54_000_000,
     -190, 4, "closed", "late"),
    # Back for months, no report yet: the late report the auditors chase (a teacher without a
    # demo log-in, so that no demo persona is held up by the overdue-report rule).
    ("Giao lưu học thuật với Đại học Bang Arizona", "THPT2", "HCM000202",
     ("HCM000204",), "US", "Phoenix, Tempe", "study", "unit_revenue", 110_000_000,
     -120, 7, "returned_home", "missing"),
    ("Trao đổi kinh nghiệm quản lý trường phổ thông với Sở Giáo dục Jeollanam-do", "THPT1",
     "HCM000104", ("HCM000104", "HCM000107"), "KR", "Muan, Mokpo", "study", "foreign_partner",
     0, -60, 5, "closed", "on_time"),
    ("Bồi dưỡng phương pháp dạy học Toán tại Palmerston North", "THPT1", "HCM000102",
     ("HCM000102",), "NZ", "Palmerston North", "training", "foreign_partner", 0,
     -3, 8, "travelling", ""),
    ("Tham dự diễn đàn giáo dục ASEAN tại Viêng Chăn", "SGDDT", "HCM000001",
     ("HCM000001", "HCM000012"), "LA", "Viêng Chăn", "conference", "state_budget", 72_000_000,
     30, 3, "approved", ""),
]  # fmt: skip

# (purpose, host unit, filer, organisation, country, category, arrival offset, days, status,
#  report, visitors as (name, nationality))
Guests = tuple[tuple[str, str], ...]
VISITS: list[tuple[str, str, str, str, str, str, int, int, str, str, Guests]] = [
    ("Đoàn Sở Giáo dục Incheon thăm và dự giờ", "THPT1", "HCM000105",
     "Incheon Metropolitan City Office of Education", "KR", "visit", -280, 2, "closed", "on_time",
     (("Kim Min-jun", "KR"), ("Lee Seo-yeon", "KR"))),
    ("Giáo viên bản ngữ Pearson dạy thử chương trình tiếng Anh", "THPT2", "HCM000202",
     "Pearson Education", "GB", "teaching", -200, 5, "closed", "late",
     (("Oliver Smith", "GB"),)),
    ("Đoàn Education New Zealand tìm hiểu hợp tác", "THPT1", "HCM000105",
     "Education New Zealand", "NZ", "cooperation", -90, 1, "visit_ended", "missing",
     (("Aroha Williams", "NZ"), ("James Taylor", "NZ"))),
    ("Đoàn Sở Giáo dục Gyeongsangbuk giao lưu học sinh", "THPT1", "HCM000105",
     "Gyeongsangbuk-do Office of Education", "KR", "visit", -1, 3, "visiting", "",
     (("Park Ji-ho", "KR"), ("Choi Yu-na", "KR"), ("Jung Woo-sung", "KR"))),
    ("Đoàn Đại học Bang Arizona giới thiệu chương trình STEM", "THPT2", "HCM000202",
     "Arizona State University", "US", "cooperation", 14, 2, "approved", "",
     (("Emily Johnson", "US"),)),
    ("Đoàn Sở Giáo dục và Thể thao Viêng Chăn trao đổi kinh nghiệm", "THPT1", "HCM000105",
     "Vientiane Capital Department of Education and Sports", "LA", "visit", 20, 2, "approved",
     "", (("Souksavanh Phommachanh", "LA"), ("Bounmy Keovongsa", "LA"))),
]  # fmt: skip

REPORT_DAYS = 15


def _at(day: D) -> datetime.datetime:
    """Nine in the morning of ``day``, in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def _record_dates(start: D, end: D, status: str, report: str) -> dict[str, Any]:
    """Submission, decision and report dates of a dossier running from ``start`` to ``end``."""
    submitted = start - datetime.timedelta(days=35)
    decided = start - datetime.timedelta(days=14)
    due = end + datetime.timedelta(days=REPORT_DAYS)
    values: dict[str, Any] = {
        "status": status,
        "route": "DEPT",
        "submitted_at": _at(submitted),
        "decided_at": _at(decided),
        "decision_date": decided,
        "report_due": due if status not in {"approved", "travelling", "visiting"} else None,
        "report_text": "",
        "report_submitted_at": None,
        "report_accepted_at": None,
    }
    if report in {"on_time", "late"}:
        handed_in = (
            due - datetime.timedelta(days=4)
            if report == "on_time"
            else due + (datetime.timedelta(days=9))
        )
        values["report_text"] = "Đoàn đã hoàn thành chương trình; báo cáo kết quả kèm theo."
        values["report_submitted_at"] = _at(handed_in)
        values["report_accepted_at"] = _at(handed_in + datetime.timedelta(days=2))
    return values


def _reference(obj: Any, kind: str, year: int) -> None:
    if obj.reference is None:
        obj.reference = ReferenceCounter.next_reference(unit=obj.unit, kind=kind, year=year)
        obj.decision_number = f"{obj.reference.rsplit('/', 1)[-1]}/QĐ-SGDĐT"
        obj.save(update_fields=["reference", "decision_number"])


def _this_year(today: D, start: D, days: int) -> bool:
    """Whether a dossier of ``days`` days from ``start`` ends this year.

    Dossiers to come are seeded only when they end within the current year, so that next
    year's figures (and the tests that build them by hand) start from nothing.
    """
    return (start + datetime.timedelta(days=days - 1)).year <= today.year


def seed_history(units: dict[str, Unit], tally: Tally, today: D | None = None) -> None:
    """A past year of trips and visits (see ``TRIPS`` and ``VISITS``), plus a few to come."""
    today = today or timezone.localdate()
    people = {p.staff_code: p for p in Person.objects.select_related("user")}
    for (purpose, unit, filer, members, country, cities, category, funding, cost, offset, days,
         status, report) in TRIPS:  # fmt: skip
        start = today + datetime.timedelta(days=offset)
        end = start + datetime.timedelta(days=days - 1)
        if not _this_year(today, start, days):
            continue
        back = status in {"returned_home", "closed"}
        trip = upsert(
            OutboundRequest,
            {"unit": units[unit], "purpose": purpose},
            {
                "created_by": people[filer].user or people[members[0]].user,
                "kind": "official",
                "purpose_category": category,
                "departure_date": start,
                "return_date": end,
                "inviter_name": purpose.split(" tại ")[-1] if " tại " in purpose else "",
                "inviter_country": country,
                "funding_source": funding,
                "estimated_cost": cost,
                "actual_departure": start if back or status == "travelling" else None,
                "actual_return": end if back else None,
                **_record_dates(start, end, status, report),
            },
            tally,
        )
        _reference(trip, "outbound", start.year)
        for index, code in enumerate(members):
            upsert(
                OutboundMember,
                {"request": trip, "person": people[code]},
                {"role": "head" if index == 0 else "member"},
                tally,
            )
        upsert(
            OutboundStop,
            {"request": trip, "order": 0},
            {"country": country, "days": days, "cities": cities},
            tally,
        )
    for (purpose, unit, filer, organisation, country, category, offset, days, status, report,
         visitors) in VISITS:  # fmt: skip
        start = today + datetime.timedelta(days=offset)
        end = start + datetime.timedelta(days=days - 1)
        if not _this_year(today, start, days):
            continue
        over = status in {"visit_ended", "closed"}
        visit = upsert(
            InboundVisit,
            {"unit": units[unit], "purpose": purpose},
            {
                "created_by": people[filer].user,
                "organisation": organisation,
                "country": country,
                "purpose_category": category,
                "arrival_date": start,
                "departure_date": end,
                "programme": "08:30 đón đoàn; 09:00 dự giờ; 10:30 trao đổi chuyên môn",
                "interpreter": "Giáo viên Tiếng Anh của trường",
                "accommodation_kind": "hotel",
                "accommodation_address": "Khách sạn Rex, 141 Nguyễn Huệ, Quận 1",
                "actual_arrival": start if over or status == "visiting" else None,
                "actual_departure": end if over else None,
                **_record_dates(start, end, status, report),
            },
            tally,
        )
        _reference(visit, "inbound", start.year)
        for order, (name, nationality) in enumerate(visitors):
            upsert(
                Visitor,
                {"visit": visit, "order": order},
                {
                    "full_name": name,
                    "nationality": nationality,
                    "passport_number": f"{nationality}{7_000_000 + order * 1_111 + len(name):07d}",
                    "passport_expiry": D(2033, 6, 30),
                    "organisation": organisation,
                },
                tally,
            )
