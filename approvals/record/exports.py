"""Exports for auditors and administrators: requests, members, visits, decisions, audit events.

Rows are read in keyset-ordered chunks (``pk > last``, ``LIMIT n``) with ``values_list``, and
what a row needs from other tables (countries, head of delegation, decision number) is fetched
per chunk, so memory stays bounded whatever the row count. CSV is produced by a generator for
a streaming response; XLSX by ``xlsx_stream``, which sends the workbook as it writes it.

Filters: ``from``/``to`` (the trip's departure date, the visit's arrival date, the decision's
or event's day), ``unit`` (a unit code; the units it manages are included), ``kind`` (trip
kind, visit purpose, or request kind for decisions and audit events) and ``status`` (request
status, or the decision's action). The audit log also takes ``actor`` (a user name), ``action``
(an action or its prefix, ``outbound.``) and ``object`` (``outbound:12``, ``<type>:<id>`` or a
type), the filters of the auditor's screen (``/nhat-ky/``).
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.models import AuditEvent, Decision
from approvals.permissions import expand_scope
from approvals.record import export_rows
from approvals.record.xlsx_stream import xlsx_stream
from config.db.replica import replica_reads
from config.query import filter_given
from delegations.models import InboundVisit, OutboundMember, OutboundRequest
from org.models import Unit

CHUNK = 2000
# ";" too: a spreadsheet set to ";" as separator reads ";=…" as a new cell holding a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", ";")
FORMULA_CHARS = frozenset(FORMULA_START)


class FilterError(ValueError):
    """Bad filter input: ``errors`` maps a parameter to Vietnamese messages (HTTP 400)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(str(errors))
        self.errors = errors


@dataclass(frozen=True)
class ExportFilters:
    start: datetime.date | None = None
    end: datetime.date | None = None
    unit: Unit | None = None
    kind: str = ""
    status: str = ""
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    actor: str = ""
    action: str = ""
    object: str = ""
    #: Set by the caller, never from the query: an administrator reads only their own actions.
    only_actor_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "unit": self.unit.code if self.unit else None,
            "kind": self.kind or None,
            "status": self.status or None,
        }
        # The audit log's own filters, only when given (the other datasets ignore them).
        audit = {"actor": self.actor, "action": self.action, "object": self.object}
        result.update({key: value for key, value in audit.items() if value})
        if self.only_actor_id is not None:
            result["only_actor_id"] = self.only_actor_id
        return result


def _date(raw: str, name: str, errors: dict[str, list[str]]) -> datetime.date | None:
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        errors[name] = [_("Ngày không hợp lệ, dùng dạng YYYY-MM-DD.")]
        return None


def parse_filters(params: Any) -> ExportFilters:
    """Read ``from``, ``to``, ``unit``, ``kind``, ``status`` from query parameters."""
    errors: dict[str, list[str]] = {}
    start = _date((params.get("from") or "").strip(), "from", errors)
    end = _date((params.get("to") or "").strip(), "to", errors)
    if start and end and end < start:
        errors["to"] = [_("Ngày kết thúc phải sau ngày bắt đầu.")]
    unit = None
    code = (params.get("unit") or "").strip()
    if code:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            errors["unit"] = [_("Không có đơn vị mã “%(code)s”.") % {"code": code}]
    if errors:
        raise FilterError(errors)
    return ExportFilters(
        start=start,
        end=end,
        unit=unit,
        kind=(params.get("kind") or "").strip()[:32],
        status=(params.get("status") or "").strip()[:32],
        unit_ids=frozenset(expand_scope([unit.pk])) if unit else frozenset(),
        actor=(params.get("actor") or "").strip()[:150],
        action=(params.get("action") or "").strip()[:64],
        object=(params.get("object") or "").strip()[:130],
    )


@dataclass(frozen=True)
class Dataset:
    """One export: its columns, its filtered queryset and how a chunk becomes rows."""

    name: str
    title: Promise
    queryset: Callable[[ExportFilters], QuerySet[Any]]
    sheet: export_rows.Sheet

    def headers(self) -> list[str]:
        return [str(c) for c in self.sheet.columns]

    def count(self, filters: ExportFilters) -> int:
        with replica_reads():
            return self.queryset(filters).count()

    def rows(self, filters: ExportFilters) -> Iterator[list[Any]]:
        """Every row, read ``CHUNK`` at a time in primary-key order (from the read replica when
        there is one: each chunk's queries, not the time between them)."""
        base = self.queryset(filters).order_by("pk")
        last = 0
        while True:
            with replica_reads():
                chunk = list(base.filter(pk__gt=last).values_list("pk", *self.sheet.fields)[:CHUNK])
                if not chunk:
                    return
                rows = self.sheet.to_rows(chunk)
            yield from rows
            last = chunk[-1][0]


def _between(qs: QuerySet[Any], name: str, f: ExportFilters) -> QuerySet[Any]:
    if f.start:
        qs = qs.filter(**{f"{name}__gte": f.start})
    if f.end:
        qs = qs.filter(**{f"{name}__lte": f.end})
    return qs


def outbound_filter(f: ExportFilters, prefix: str = "") -> Q:
    q = Q()
    if f.start:
        q &= Q(**{f"{prefix}departure_date__gte": f.start})
    if f.end:
        q &= Q(**{f"{prefix}departure_date__lte": f.end})
    if f.unit:
        q &= Q(**{f"{prefix}unit_id__in": f.unit_ids})
    if f.kind:
        q &= Q(**{f"{prefix}kind": f.kind})
    if f.status:
        q &= Q(**{f"{prefix}status": f.status})
    return q


def _outbound(f: ExportFilters) -> QuerySet[Any]:
    return OutboundRequest.objects.filter(outbound_filter(f))


def _members(f: ExportFilters) -> QuerySet[Any]:
    return OutboundMember.objects.filter(outbound_filter(f, "request__"))


def _inbound(f: ExportFilters) -> QuerySet[Any]:
    qs = _between(InboundVisit.objects.all(), "arrival_date", f)
    if f.unit:
        qs = qs.filter(unit_id__in=f.unit_ids)
    return filter_given(qs, purpose_category=f.kind, status=f.status)


def _requests_of_units(f: ExportFilters) -> Q:
    outbound = OutboundRequest.objects.filter(unit_id__in=f.unit_ids).values("pk")
    inbound = InboundVisit.objects.filter(unit_id__in=f.unit_ids).values("pk")
    return Q(request_kind="outbound", request_id__in=outbound) | Q(
        request_kind="inbound", request_id__in=inbound
    )


def _decisions(f: ExportFilters) -> QuerySet[Any]:
    qs = _between(Decision.objects.all(), "created_at__date", f)
    if f.unit:
        qs = qs.filter(_requests_of_units(f))
    return filter_given(qs, request_kind=f.kind, action=f.status)


AUDIT_TYPES = {
    "outbound": ("delegations.outboundrequest", "outbound"),
    "inbound": ("delegations.inboundvisit", "inbound"),
}


def _audit_object(qs: QuerySet[Any], target: str) -> QuerySet[Any]:
    """``outbound:12`` (either spelling of a request's type), ``<type>:<id>`` or a type."""
    kind, sep, object_id = target.partition(":")
    types = AUDIT_TYPES.get(kind, (kind,))
    qs = qs.filter(object_type__in=types)
    return qs.filter(object_id=object_id) if sep else qs


def audit_filter(qs: QuerySet[Any], f: ExportFilters) -> QuerySet[Any]:
    """The audit log's own filters: who, which action, which object, and the caller's scope."""
    if f.only_actor_id is not None:
        qs = qs.filter(actor_id=f.only_actor_id)
    qs = filter_given(qs, actor_username=f.actor, action__startswith=f.action)
    if f.object:
        qs = _audit_object(qs, f.object)
    return qs


def _audit(f: ExportFilters) -> QuerySet[Any]:
    qs = audit_filter(_between(AuditEvent.objects.all(), "occurred_at__date", f), f)
    if f.kind in AUDIT_TYPES:
        qs = qs.filter(object_type__in=AUDIT_TYPES[f.kind])
    if f.unit:
        as_text = Cast("pk", output_field=CharField())
        outbound = OutboundRequest.objects.filter(unit_id__in=f.unit_ids).values(sid=as_text)
        inbound = InboundVisit.objects.filter(unit_id__in=f.unit_ids).values(sid=as_text)
        qs = qs.filter(
            Q(object_type__in=AUDIT_TYPES["outbound"], object_id__in=outbound)
            | Q(object_type__in=AUDIT_TYPES["inbound"], object_id__in=inbound)
        )
    return qs


L = gettext_lazy
DATASETS: dict[str, Dataset] = {
    name: Dataset(name, title, queryset, export_rows.SHEETS[name])
    for name, title, queryset in (
        ("outbound", L("Đoàn ra"), _outbound),
        ("members", L("Thành viên đoàn ra"), _members),
        ("inbound", L("Đoàn vào"), _inbound),
        ("decisions", L("Quyết định"), _decisions),
        ("audit", L("Nhật ký hệ thống"), _audit),
    )
}


def _text(value: Any, tz: datetime.tzinfo | None = None) -> Any:
    """Values as a spreadsheet shows them; text that would run as a formula is quoted.

    Called for every cell of every row: dispatches on the exact type, commonest first.
    """
    kind = type(value)
    if kind is str:
        return "'" + value if value and value[0] in FORMULA_CHARS else value
    if kind is int or value is None:
        return "" if value is None else value
    if kind is datetime.datetime:
        return value.astimezone(tz or timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M:%S")
    if kind is datetime.date:
        return value.isoformat()
    if kind is bool:
        return _("Có") if value else _("Không")
    return value


class _Echo:
    """A file-like object whose ``write`` returns what it is given (for ``csv.writer``)."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(dataset: Dataset, filters: ExportFilters, batch: int = 500) -> Iterator[bytes]:
    """UTF-8 with a BOM (so Excel reads the diacritics), header first, ``batch`` rows a chunk."""
    writer = csv.writer(_Echo())
    yield ("\ufeff" + writer.writerow(dataset.headers())).encode()
    tz = timezone.get_current_timezone()
    lines: list[str] = []
    for row in dataset.rows(filters):
        lines.append(writer.writerow([_text(v, tz) for v in row]))
        if len(lines) >= batch:
            yield "".join(lines).encode()
            lines.clear()
    if lines:
        yield "".join(lines).encode()


def _xlsx_value(value: Any, tz: datetime.tzinfo) -> Any:
    kind = type(value)
    if kind is datetime.datetime:
        return value.astimezone(tz).replace(tzinfo=None)
    if kind is bool:
        return _text(value)
    return value


def xlsx_chunks(dataset: Dataset, filters: ExportFilters) -> Iterator[bytes]:
    """The workbook, streamed as it is written (first bytes at once, memory of one batch)."""
    tz = timezone.get_current_timezone()
    rows = ([_xlsx_value(v, tz) for v in row] for row in dataset.rows(filters))
    return xlsx_stream(str(dataset.title), dataset.headers(), rows)


def file_name(dataset: Dataset, fmt: str, filters: ExportFilters) -> str:
    stamp = timezone.localdate().strftime("%Y%m%d")
    unit = f"-{filters.unit.code}" if filters.unit else ""
    return f"{dataset.name}{unit}-{stamp}.{fmt}"
