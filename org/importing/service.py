"""Importing units and staff from an XLSX workbook or CSV files: check every row, then save.

Every row is checked first and all errors are returned by row and column; when there is any
error nothing is written. Rows are matched by unit code and staff code, and a row whose values
are already in the database is left untouched, so importing the same file twice changes nothing.
See docs/import.md for the format.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils.translation import gettext as _

from approvals.audit import audit_record
from org.importing.files import read_tables
from org.importing.rows import RowError
from org.importing.validation import StaffRow, UnitRow, chunks, read_staff, read_units
from org.models import Passport, Person, Unit


@dataclass
class KindCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    """What an import found (errors) or did (counts); with errors, nothing was written."""

    errors: list[RowError] = field(default_factory=list)
    units: KindCounts = field(default_factory=KindCounts)
    staff: KindCounts = field(default_factory=KindCounts)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> list[str]:
        """One line per kind: created, updated and unchanged counts."""
        return [
            _("%(kind)s: tạo mới %(created)s, cập nhật %(updated)s, không đổi %(unchanged)s.")
            % {
                "kind": label,
                "created": counts.created,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
            }
            for label, counts in ((_("Đơn vị"), self.units), (_("Cán bộ"), self.staff))
        ]


def _assign(obj: models.Model, values: dict[str, Any]) -> list[str]:
    """Set the values that differ; return the changed field names (empty: nothing to save)."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name.removesuffix("_id"))
    return changed


def _save_units(rows: list[UnitRow]) -> KindCounts:
    existing: dict[str, Unit] = {}
    for batch in chunks(row.code for row in rows):
        existing.update((u.code, u) for u in Unit.objects.filter(code__in=batch))
    status: dict[str, str] = {}
    # First pass: the units themselves, so that the second can point at units of the same file.
    for row in rows:
        unit = existing.get(row.code)
        if unit is None:
            unit = Unit(code=row.code, **row.fields)
            unit.save()
            existing[row.code] = unit
            status[row.code] = "created"
        else:
            changed = _assign(unit, row.fields)
            if changed:
                unit.save(update_fields=changed)
            status[row.code] = "updated" if changed else "unchanged"
    ids = dict(Unit.objects.values_list("code", "id"))
    for row in rows:
        unit = existing[row.code]
        changed = _assign(
            unit, {f"{name}_id": ids[code] if code else None for name, code in row.refs.items()}
        )
        if changed:
            unit.save(update_fields=changed)
            if status[row.code] == "unchanged":
                status[row.code] = "updated"
    return _count(status.values())


def _save_staff(rows: list[StaffRow]) -> KindCounts:
    existing: dict[str, Person] = {}
    for batch in chunks(row.code for row in rows):
        existing.update((p.staff_code, p) for p in Person.objects.filter(staff_code__in=batch))
    unit_ids = dict(Unit.objects.values_list("code", "id"))
    status = []
    for row in rows:
        values = {**row.fields, "unit_id": unit_ids[row.unit_code]}
        person = existing.get(row.code)
        if person is None:
            person = Person(staff_code=row.code, **values)
            person.save()
            outcome = "created"
        else:
            changed = _assign(person, values)
            if changed:
                person.save(update_fields=changed)
            outcome = "updated" if changed else "unchanged"
        linked = _link_user(person, row.username) if row.username else False
        renewed = _save_passport(person, *row.passport) if row.passport else False
        if outcome == "unchanged" and (linked or renewed):
            outcome = "updated"
        status.append(outcome)
    return _count(status)


def _link_user(person: Person, username: str) -> bool:
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        # No password: the account is usable only after a reset or through single sign-on.
        user = user_model.objects.create_user(username=username, email=person.email, password=None)
    if person.user_id == user.pk:
        return False
    person.user = user
    person.save(update_fields=["user"])
    return True


def _save_passport(person: Person, kind: str, number: str, expires: datetime.date) -> bool:
    passport = person.passports.filter(number=number).first()
    if passport is None:
        Passport.objects.create(person=person, kind=kind, number=number, expires_on=expires)
        return True
    changed = _assign(passport, {"kind": kind, "expires_on": expires})
    if changed:
        passport.save(update_fields=changed)
    return bool(changed)


def _count(statuses: Iterable[str]) -> KindCounts:
    counts = KindCounts()
    for outcome in statuses:
        setattr(counts, outcome, getattr(counts, outcome) + 1)
    return counts


@transaction.atomic
def org_import(
    *, data: bytes, filename: str, dry_run: bool = False, actor: User | None = None
) -> ImportResult:
    """Check every row of an XLSX/CSV file of units and staff, then upsert them all or none.

    Row problems are returned in ``ImportResult.errors`` (and nothing is written); a file that
    cannot be read at all raises ImportFileError with a message for the user. With ``dry_run``
    the import runs and is rolled back, so the counts say what would change. An import that
    changed anything is the audit event ``directory.imported`` (``actor``: the administrator;
    none from the command line), naming the file by its name and SHA-256, with the counts.
    """
    tables = read_tables(data, filename)
    errors: list[RowError] = []
    units = read_units([t for t in tables if t.kind == "units"], errors)
    staff = read_staff(
        [t for t in tables if t.kind == "staff"], {row.code for row in units}, errors
    )
    order = {table.source: index for index, table in enumerate(tables)}
    errors.sort(key=lambda e: (order.get(e.source, 0), e.row))
    result = ImportResult(errors=errors, dry_run=dry_run)
    if errors:
        return result
    result.units = _save_units(units)
    result.staff = _save_staff(staff)
    if dry_run:
        transaction.set_rollback(True)
    elif any(c.created or c.updated for c in (result.units, result.staff)):
        audit_record(
            actor=actor,
            action="directory.imported",
            object_type="directory",
            object_id=hashlib.sha256(data).hexdigest(),
            after={"file": filename, "units": asdict(result.units), "staff": asdict(result.staff)},
        )
    return result
