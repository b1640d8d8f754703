"""Checking the rows of an organisation import against each other and the database.

Produces typed rows ready to save, or errors by row and column; it never writes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from org.importing.files import Table
from org.importing.rows import Choices, Column, RowError, RowReader, map_headers
from org.models import (
    Gender,
    Passport,
    PassportKind,
    Person,
    SchoolLevel,
    StaffCategory,
    Unit,
    UnitKind,
)

UNIT_COLUMNS = (
    Column("ma_don_vi", _l("Mã đơn vị"), required=True),
    Column("ten_don_vi", _l("Tên đơn vị"), required=True),
    Column("ten_tieng_anh", _l("Tên tiếng Anh")),
    Column("loai", _l("Loại"), ("loai_don_vi",)),
    Column("cap_hoc", _l("Cấp học")),
    Column("ma_don_vi_cap_tren", _l("Mã đơn vị cấp trên")),
    Column("ma_co_quan_quan_ly", _l("Mã cơ quan quản lý")),
    Column("email", _l("Email"), ("thu_dien_tu", "e_mail")),
    Column("dia_chi", _l("Địa chỉ")),
)
STAFF_COLUMNS = (
    Column("ma_can_bo", _l("Mã cán bộ"), required=True),
    Column("ho_ten", _l("Họ tên"), ("ho_va_ten",), required=True),
    Column("ngay_sinh", _l("Ngày sinh")),
    Column("gioi_tinh", _l("Giới tính"), ("phai",)),
    Column("ma_don_vi", _l("Mã đơn vị"), required=True),
    Column("chuc_vu", _l("Chức vụ")),
    Column("ngach", _l("Ngạch"), ("ngach_loai_can_bo", "loai_can_bo")),
    Column("lanh_dao_chu_chot", _l("Lãnh đạo chủ chốt")),
    Column("dien_btv_quan_ly", _l("Diện BTV quản lý"), ("dien_ban_thuong_vu_quan_ly",)),
    Column("email", _l("Email"), ("thu_dien_tu", "e_mail")),
    Column("dien_thoai", _l("Điện thoại"), ("so_dien_thoai",)),
    Column("so_ho_chieu", _l("Số hộ chiếu")),
    Column("loai_ho_chieu", _l("Loại hộ chiếu")),
    Column("ngay_het_han_ho_chieu", _l("Ngày hết hạn hộ chiếu")),
    Column("ten_dang_nhap", _l("Tên đăng nhập")),
)
PASSPORT_KEYS = ("so_ho_chieu", "loai_ho_chieu", "ngay_het_han_ho_chieu")
# Column key → Unit field of the references a unit row may make to other units.
UNIT_REFS = (("ma_don_vi_cap_tren", "parent"), ("ma_co_quan_quan_ly", "managing_authority"))
# SQLite refuses statements with too many parameters; long code lists are queried in chunks.
CHUNK = 500

T = TypeVar("T")


@dataclass
class UnitRow:
    number: int
    code: str
    fields: dict[str, Any]
    refs: dict[str, str]  # "parent" / "managing_authority" → unit code, "" to clear


@dataclass
class StaffRow:
    number: int
    code: str
    unit_code: str
    fields: dict[str, Any]
    passport: tuple[str, str, datetime.date] | None
    username: str


def chunks(items: Iterable[T]) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _max_length(model: type[models.Model], name: str) -> int | None:
    return getattr(model._meta.get_field(name), "max_length", None)


def _once(r: RowReader, key: str, value: str, seen: dict[str, int], message: str) -> None:
    """Remember the row where ``value`` first stands; a later row with it gets ``message``.

    ``message`` names the earlier row as ``%(row)s``. Blank values are not compared.
    """
    if value in seen:
        r.error(key, message % {"row": seen[value]})
    elif value:
        seen[value] = r.number


def _check_unit_known(r: RowReader, key: str, code: str, known: set[str]) -> None:
    if code and code not in known:
        r.error(
            key,
            _("Không có đơn vị mã “%(code)s” trong hệ thống hay trong tệp.") % {"code": code},
        )


def _rows(table: Table, columns: tuple[Column, ...], errors: list[RowError]) -> Iterator[RowReader]:
    mapping = map_headers(table, columns, errors)
    if mapping is None:
        return
    labels = {c.key: c.label for c in columns}
    for number, cells in table.rows:
        yield RowReader(table, number, cells, mapping, labels, errors)


def read_units(tables: list[Table], errors: list[RowError]) -> list[UnitRow]:
    kinds, levels = Choices.of(UnitKind), Choices.of(SchoolLevel)
    existing_codes = set(Unit.objects.values_list("code", flat=True))
    seen: dict[str, int] = {}
    rows: list[tuple[RowReader, UnitRow]] = []
    for table in tables:
        for r in _rows(table, UNIT_COLUMNS, errors):
            code = r.text("ma_don_vi", max_length=_max_length(Unit, "code"), required=True)
            _once(r, "ma_don_vi", code, seen, _("Mã đơn vị trùng với dòng %(row)s."))
            fields: dict[str, Any] = {
                "name": r.text("ten_don_vi", max_length=_max_length(Unit, "name"), required=True)
            }
            for key, name in (("ten_tieng_anh", "name_en"), ("dia_chi", "address")):
                if r.has(key):
                    fields[name] = r.text(key, max_length=_max_length(Unit, name))
            if r.has("email"):
                fields["email"] = r.email("email")
            kind = r.choice("loai", kinds) if r.has("loai") else ""
            if kind:
                fields["kind"] = kind
            elif kind == "" and code and code not in existing_codes:
                r.error("loai", _("Cần ghi loại đơn vị khi tạo đơn vị mới."))
            if r.has("cap_hoc"):
                fields["school_level"] = r.choice("cap_hoc", levels) or ""
            refs = {}
            for key, name in UNIT_REFS:
                if r.has(key):
                    refs[name] = r.text(key)
            rows.append((r, UnitRow(r.number, code, fields, refs)))
    known = existing_codes | set(seen)
    parents: dict[str, str | None] = dict(Unit.objects.values_list("code", "parent__code"))
    parents.update(
        {row.code: row.refs["parent"] or None for _r, row in rows if "parent" in row.refs}
    )
    for r, row in rows:
        for key, name in UNIT_REFS:
            _check_unit_known(r, key, row.refs.get(name, ""), known)
        parent = row.refs.get("parent")
        if parent and parent == row.code:
            r.error("ma_don_vi_cap_tren", _("Đơn vị không thể là cấp trên của chính nó."))
        elif parent and _in_cycle(row.code, parents):
            r.error("ma_don_vi_cap_tren", _("Quan hệ cấp trên tạo thành vòng lặp."))
    return [row for _r, row in rows]


def _in_cycle(code: str, parents: dict[str, str | None]) -> bool:
    seen: set[str] = set()
    current = parents.get(code)
    while current and current not in seen:
        if current == code:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def read_staff(tables: list[Table], unit_codes: set[str], errors: list[RowError]) -> list[StaffRow]:
    categories, passport_kinds = Choices.of(StaffCategory), Choices.of(PassportKind)
    genders = Choices.of(Gender)
    known_units = set(Unit.objects.values_list("code", flat=True)) | unit_codes
    readers: list[tuple[RowReader, StaffRow]] = []
    seen: dict[str, int] = {}
    seen_usernames: dict[str, int] = {}
    seen_passports: dict[str, tuple[int, str]] = {}
    today = timezone.localdate()
    for table in tables:
        for r in _rows(table, STAFF_COLUMNS, errors):
            code = r.text("ma_can_bo", max_length=_max_length(Person, "staff_code"), required=True)
            _once(r, "ma_can_bo", code, seen, _("Mã cán bộ trùng với dòng %(row)s."))
            unit_code = r.text("ma_don_vi", required=True)
            _check_unit_known(r, "ma_don_vi", unit_code, known_units)
            fields: dict[str, Any] = {
                "full_name": r.text(
                    "ho_ten", max_length=_max_length(Person, "full_name"), required=True
                )
            }
            if r.has("ngay_sinh"):
                born = r.date("ngay_sinh")
                if born and born > today:
                    r.error("ngay_sinh", _("Ngày sinh không thể sau hôm nay."))
                fields["date_of_birth"] = born
            for key, name in (("chuc_vu", "position"), ("dien_thoai", "phone")):
                if r.has(key):
                    fields[name] = r.text(key, max_length=_max_length(Person, name))
            if r.has("gioi_tinh"):
                fields["gender"] = r.choice("gioi_tinh", genders) or ""
            if r.has("ngach"):
                fields["category"] = r.choice("ngach", categories) or StaffCategory.VIEN_CHUC
            for key, name in (
                ("lanh_dao_chu_chot", "is_key_leader"),
                ("dien_btv_quan_ly", "is_party_managed"),
            ):
                if r.has(key):
                    fields[name] = r.boolean(key)
            if r.has("email"):
                fields["email"] = r.email("email")
            username = r.username("ten_dang_nhap") if r.has("ten_dang_nhap") else ""
            _once(
                r,
                "ten_dang_nhap",
                username,
                seen_usernames,
                _("Tên đăng nhập trùng với dòng %(row)s."),
            )
            passport = _read_passport(r, passport_kinds)
            if passport:
                earlier = seen_passports.get(passport[1])
                if earlier and earlier[1] != code:
                    r.error(
                        "so_ho_chieu",
                        _("Số hộ chiếu trùng với dòng %(row)s.") % {"row": earlier[0]},
                    )
                seen_passports.setdefault(passport[1], (r.number, code))
            readers.append((r, StaffRow(r.number, code, unit_code, fields, passport, username)))
    _check_staff_against_database(readers)
    return [row for _r, row in readers]


def _read_passport(r: RowReader, kinds: Choices) -> tuple[str, str, datetime.date] | None:
    present = [k for k in PASSPORT_KEYS if r.text(k)]
    if not present:
        return None
    if len(present) < len(PASSPORT_KEYS):
        for key in PASSPORT_KEYS:
            if key not in present:
                r.error(key, _("Ghi đủ số, loại và ngày hết hạn hộ chiếu, hoặc để trống cả ba."))
        return None
    number = r.text("so_ho_chieu", max_length=_max_length(Passport, "number")).upper()
    kind = r.choice("loai_ho_chieu", kinds)
    expires = r.date("ngay_het_han_ho_chieu")
    return (kind, number, expires) if kind and expires else None


def _check_staff_against_database(readers: list[tuple[RowReader, StaffRow]]) -> None:
    """Passports and log-ins named in the file must not belong to someone else."""
    numbers = {row.passport[1] for _r, row in readers if row.passport}
    passports: dict[str, list[tuple[str, datetime.date | None]]] = {}
    for batch in chunks(numbers):
        for number, staff_code, issued_on in Passport.objects.filter(number__in=batch).values_list(
            "number", "person__staff_code", "issued_on"
        ):
            passports.setdefault(number, []).append((staff_code, issued_on))
    usernames = {row.username for _r, row in readers if row.username}
    owners: dict[str, str | None] = {}
    for batch in chunks(usernames):
        owners.update(
            get_user_model()
            .objects.filter(username__in=batch)
            .values_list("username", "person__staff_code")
        )
    for r, row in readers:
        if row.passport:
            _kind, number, expires = row.passport
            for staff_code, issued_on in passports.get(number, []):
                if staff_code != row.code:
                    r.error(
                        "so_ho_chieu",
                        _("Số hộ chiếu đã thuộc về cán bộ mã “%(code)s”.") % {"code": staff_code},
                    )
                elif issued_on and expires <= issued_on:
                    r.error(
                        "ngay_het_han_ho_chieu",
                        _("Ngày hết hạn phải sau ngày cấp %(date)s.")
                        % {"date": f"{issued_on:%d/%m/%Y}"},
                    )
        owner = owners.get(row.username)
        if owner and owner != row.code:
            r.error(
                "ten_dang_nhap",
                _("Tên đăng nhập đã gắn với cán bộ mã “%(code)s”.") % {"code": owner},
            )
