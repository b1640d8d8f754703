"""Reading one spreadsheet row into typed values, collecting errors by row and column.

Every checker records its error and returns a placeholder, so that a row is read to the end and
the user sees all its problems at once; a file with any error is never written.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from org.importing.files import Table, normalise

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
TRUE_WORDS = {"co", "x", "1", "true", "yes", "dung"}
FALSE_WORDS = {"", "khong", "0", "false", "no", "sai"}


@dataclass(frozen=True)
class Column:
    """A column of an import table: its key (the label without diacritics) and its label."""

    key: str
    label: str | Promise
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class RowError:
    """One problem in the file, where the user will look for it."""

    source: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _('Dòng %(row)s, cột "%(column)s": %(message)s') % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


def map_headers(
    table: Table, columns: tuple[Column, ...], errors: list[RowError]
) -> dict[str, int] | None:
    """Column key → cell index; None when a required column is missing (rows are not read)."""
    by_name = {name: col for col in columns for name in (col.key, *col.aliases)}
    found: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        name = normalise(header)
        if not name or name == "stt":  # the row-number column every Vietnamese sheet has
            continue
        column = by_name.get(name)
        if column is None:
            accepted = ", ".join(f"“{c.label}”" for c in columns)
            message = _("Cột không được hỗ trợ. Các cột được nhận: %(columns)s.")
            errors.append(
                RowError(table.source, table.header_row, header, message % {"columns": accepted})
            )
        elif column.key in found:
            errors.append(RowError(table.source, table.header_row, header, _("Cột bị lặp lại.")))
        else:
            found[column.key] = index
    missing = [c for c in columns if c.required and c.key not in found]
    for column in missing:
        errors.append(
            RowError(table.source, table.header_row, str(column.label), _("Thiếu cột bắt buộc."))
        )
    return None if missing else found


@dataclass(frozen=True)
class Choices:
    """Normalised code or label (Vietnamese and the active language) → stored value."""

    lookup: dict[str, str]
    accepted: str

    @classmethod
    def of(cls, choices: type[models.TextChoices]) -> Choices:
        lookup: dict[str, str] = {}
        for language in ("vi", translation.get_language() or "vi"):
            with translation.override(language):
                for value, label in choices.choices:
                    for name in (normalise(str(value)), normalise(str(label))):
                        if name:
                            lookup[name] = str(value)
        accepted = "; ".join(f"{value} ({label})" for value, label in choices.choices if value)
        return cls(lookup, accepted)


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return str(value).strip()


class RowReader:
    """The cells of one row by column key, with checkers that record errors."""

    def __init__(
        self,
        table: Table,
        number: int,
        cells: list[object],
        columns: dict[str, int],
        labels: dict[str, str | Promise],
        errors: list[RowError],
    ) -> None:
        self.table = table
        self.number = number
        self.cells = cells
        self.columns = columns
        self.labels = labels
        self.errors = errors
        self.error_count = 0

    def has(self, key: str) -> bool:
        return key in self.columns

    def raw(self, key: str) -> object:
        index = self.columns.get(key)
        return self.cells[index] if index is not None and index < len(self.cells) else None

    def header(self, key: str) -> str:
        index = self.columns.get(key)
        return self.table.headers[index] if index is not None else str(self.labels[key])

    def error(self, key: str, message: str) -> None:
        self.error_count += 1
        self.errors.append(RowError(self.table.source, self.number, self.header(key), message))

    def text(self, key: str, *, max_length: int | None = None, required: bool = False) -> str:
        value = cell_text(self.raw(key))
        if required and not value:
            self.error(key, _("Không được để trống."))
        elif max_length is not None and len(value) > max_length:
            self.error(
                key,
                _("Dài quá %(max)s ký tự (hiện có %(count)s).")
                % {"max": max_length, "count": len(value)},
            )
        return value

    def choice(self, key: str, choices: Choices) -> str | None:
        """The stored value of a code or label; "" when blank, None when not a choice."""
        value = self.text(key)
        if not value:
            return ""
        stored = choices.lookup.get(normalise(value))
        if stored is None:
            self.error(
                key,
                _("Giá trị “%(value)s” không hợp lệ; ghi mã hoặc tên của một trong: %(accepted)s.")
                % {"value": value, "accepted": choices.accepted},
            )
        return stored

    def date(self, key: str) -> datetime.date | None:
        value = self.raw(key)
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        if not text:
            return None
        for fmt in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        self.error(
            key,
            _("Ngày “%(value)s” không hợp lệ; dùng dạng dd/mm/yyyy hoặc yyyy-mm-dd.")
            % {"value": text},
        )
        return None

    def boolean(self, key: str) -> bool:
        text = normalise(cell_text(self.raw(key)))
        if text in TRUE_WORDS:
            return True
        if text not in FALSE_WORDS:
            self.error(
                key,
                _("Giá trị “%(value)s” không hợp lệ; dùng “có”/“không”, “x”, 1/0.")
                % {"value": cell_text(self.raw(key))},
            )
        return False

    def email(self, key: str) -> str:
        value = self.text(key, max_length=254)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.error(
                    key, _("Địa chỉ thư điện tử “%(value)s” không hợp lệ.") % {"value": value}
                )
        return value

    def username(self, key: str) -> str:
        value = self.text(key, max_length=150)
        if value:
            try:
                UnicodeUsernameValidator()(value)
            except ValidationError:
                self.error(
                    key,
                    _("Tên đăng nhập chỉ gồm chữ, số và các ký tự @ . + - _ (không dấu cách)."),
                )
        return value
