"""The columns of each export and how one chunk of ``values_list`` rows becomes sheet rows.

Each ``*_rows`` function receives up to ``exports.CHUNK`` tuples (primary key first, then the
dataset's ``*_FIELDS``) and makes at most a few extra queries for the whole chunk.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from approvals.documents.countries import country_name
from approvals.models import Document, DocumentKind
from delegations.models import (
    FundingSource,
    InboundPurpose,
    InboundStatus,
    InboundVisit,
    MemberRole,
    OutboundMember,
    OutboundRequest,
    OutboundStop,
    PurposeCategory,
    RequestStatus,
    TripKind,
    Visitor,
)
from org.models import PassportKind

Rows = list[list[Any]]


@dataclass(frozen=True)
class Sheet:
    """A dataset's sheet: its headings, the fields read per row, how a chunk becomes rows."""

    columns: tuple[Promise, ...]
    fields: tuple[str, ...]
    to_rows: Callable[[list[tuple[Any, ...]]], Rows]


def _labels(choices: Any) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _countries(request_ids: list[int]) -> dict[int, str]:
    found: dict[int, list[str]] = defaultdict(list)
    for request_id, country in (
        OutboundStop.objects.filter(request_id__in=request_ids)
        .order_by("request_id", "order", "pk")
        .values_list("request_id", "country")
    ):
        if country not in found[request_id]:
            found[request_id].append(country)
    # Names, as the office writes them (Vietnamese); the API keeps the ISO codes.
    return {k: ", ".join(country_name(c) for c in v) for k, v in found.items()}


def _decision_numbers(kind: str, request_ids: list[int]) -> dict[int, str]:
    numbers: dict[int, str] = {}
    for request_id, number in (
        Document.objects.filter(
            request_kind=kind, request_id__in=request_ids,
            kind__in=[DocumentKind.OUTBOUND_DECISION, DocumentKind.INBOUND_APPROVAL],
        )
        .order_by("request_id", "version")
        .values_list("request_id", "number_text")
    ):  # fmt: skip
        numbers[request_id] = number  # the latest version wins
    return numbers


OUTBOUND_FIELDS = (
    "reference", "unit__code", "unit__name", "kind", "purpose_category", "purpose", "status",
    "route", "departure_date", "return_date", "funding_source", "estimated_cost",
    "decision_number", "decision_date", "created_at", "submitted_at", "decided_at",
    "actual_departure", "actual_return", "report_due", "report_submitted_at",
)  # fmt: skip
OUTBOUND_COLUMNS: tuple[Promise, ...] = (
    _("Mã"), _("Số hồ sơ"), _("Mã đơn vị"), _("Đơn vị"), _("Loại chuyến đi"), _("Mục đích"),
    _("Nội dung"), _("Trạng thái"), _("Thẩm quyền"), _("Ngày đi"), _("Ngày về"), _("Quốc gia"),
    _("Số thành viên"), _("Trưởng đoàn"), _("Nguồn kinh phí"), _("Dự toán (đồng)"),
    _("Số quyết định"), _("Ngày quyết định của UBND TP"), _("Ngày lập"), _("Ngày trình"),
    _("Ngày phê duyệt"), _("Ngày xuất cảnh"), _("Ngày nhập cảnh"), _("Hạn báo cáo"),
    _("Ngày nộp báo cáo"),
)  # fmt: skip


def outbound_rows(chunk: list[tuple[Any, ...]]) -> Rows:
    ids = [row[0] for row in chunk]
    countries = _countries(ids)
    numbers = _decision_numbers("outbound", ids)
    sizes: dict[int, int] = defaultdict(int)
    heads: dict[int, str] = {}
    for request_id, role, name in OutboundMember.objects.filter(request_id__in=ids).values_list(
        "request_id", "role", "person__full_name"
    ):
        sizes[request_id] += 1
        if role == "head":
            heads[request_id] = name
    kinds, purposes = _labels(TripKind.choices), _labels(PurposeCategory.choices)
    statuses, funding = _labels(RequestStatus.choices), _labels(FundingSource.choices)
    rows = []
    for (pk, ref, code, unit, kind, category, purpose, status, route, dep, ret, source, cost,
         city_number, city_date, created, submitted, decided, out, back, due,
         reported) in chunk:  # fmt: skip
        rows.append(
            [
                pk, ref, code, unit, kinds.get(kind, kind), purposes.get(category, category),
                purpose, statuses.get(status, status), route, dep, ret, countries.get(pk, ""),
                sizes.get(pk, 0), heads.get(pk, ""), funding.get(source, source), cost,
                numbers.get(pk) or city_number, city_date, created, submitted, decided, out,
                back, due, reported,
            ]
        )  # fmt: skip
    return rows


MEMBER_FIELDS = (
    "request_id", "request__reference", "request__unit__code", "person__full_name",
    "person__staff_code", "person__unit__code", "person__position", "role", "passport__kind",
    "passport_due_on", "passport_returned_on", "request__status", "request__kind",
    "request__departure_date", "request__return_date",
)  # fmt: skip
MEMBER_COLUMNS: tuple[Promise, ...] = (
    _("Mã"), _("Mã hồ sơ"), _("Số hồ sơ"), _("Đơn vị lập hồ sơ"), _("Họ và tên"),
    _("Mã cán bộ"), _("Đơn vị công tác"), _("Chức vụ"), _("Vai trò"), _("Loại hộ chiếu"),
    _("Hạn nộp lại hộ chiếu"), _("Ngày nộp lại hộ chiếu"), _("Trạng thái hồ sơ"),
    _("Loại chuyến đi"), _("Ngày đi"), _("Ngày về"), _("Quốc gia"),
)  # fmt: skip


def member_rows(chunk: list[tuple[Any, ...]]) -> Rows:
    countries = _countries(sorted({row[1] for row in chunk}))
    roles, statuses = _labels(MemberRole.choices), _labels(RequestStatus.choices)
    kinds, passports = _labels(TripKind.choices), _labels(PassportKind.choices)
    rows = []
    for (pk, request_id, ref, request_unit, name, staff_code, unit, position, role, passport,
         due, returned, status, kind, dep, ret) in chunk:  # fmt: skip
        rows.append(
            [
                pk, request_id, ref, request_unit, name, staff_code, unit, position,
                roles.get(role, role), passports.get(passport, passport or ""), due, returned,
                statuses.get(status, status), kinds.get(kind, kind), dep, ret,
                countries.get(request_id, ""),
            ]
        )  # fmt: skip
    return rows


INBOUND_FIELDS = (
    "reference", "unit__code", "unit__name", "organisation", "country", "purpose_category",
    "purpose", "status", "route", "arrival_date", "departure_date", "is_conference", "sponsor",
    "created_at", "submitted_at", "decided_at",
)  # fmt: skip
INBOUND_COLUMNS: tuple[Promise, ...] = (
    _("Mã"), _("Số hồ sơ"), _("Mã đơn vị"), _("Đơn vị đón"), _("Cơ quan, tổ chức nước ngoài"),
    _("Quốc gia"), _("Mục đích"), _("Nội dung"), _("Trạng thái"), _("Thẩm quyền"),
    _("Ngày đến"), _("Ngày về"), _("Số khách"), _("Hội nghị, hội thảo quốc tế"),
    _("Nhà tài trợ"), _("Số văn bản đồng ý"), _("Ngày lập"), _("Ngày trình"), _("Ngày phê duyệt"),
)  # fmt: skip


def inbound_rows(chunk: list[tuple[Any, ...]]) -> Rows:
    ids = [row[0] for row in chunk]
    visitors: dict[int, int] = defaultdict(int)
    for visit_id in Visitor.objects.filter(visit_id__in=ids).values_list("visit_id", flat=True):
        visitors[visit_id] += 1
    numbers = _decision_numbers("inbound", ids)
    purposes, statuses = _labels(InboundPurpose.choices), _labels(InboundStatus.choices)
    rows = []
    for (pk, ref, code, unit, organisation, country, category, purpose, status, route, arrival,
         departure, conference, sponsor, created, submitted, decided) in chunk:  # fmt: skip
        rows.append(
            [
                pk, ref, code, unit, organisation, country_name(country),
                purposes.get(category, category),
                purpose, statuses.get(status, status), route, arrival, departure,
                visitors.get(pk, 0), conference, sponsor, numbers.get(pk, ""), created,
                submitted, decided,
            ]
        )  # fmt: skip
    return rows


DECISION_FIELDS = (
    "request_kind", "request_id", "step", "action", "actor__username", "acting_for__username",
    "comment", "created_at",
)  # fmt: skip
DECISION_COLUMNS: tuple[Promise, ...] = (
    _("Mã"), _("Loại hồ sơ"), _("Mã hồ sơ"), _("Số hồ sơ"), _("Đơn vị"), _("Bước"),
    _("Quyết định"), _("Người quyết định"), _("Thay mặt"), _("Ý kiến"), _("Thời điểm"),
)  # fmt: skip


def decision_rows(chunk: list[tuple[Any, ...]]) -> Rows:
    refs: dict[tuple[str, int], tuple[str | None, str]] = {}
    for kind, model in (("outbound", OutboundRequest), ("inbound", InboundVisit)):
        ids = {row[2] for row in chunk if row[1] == kind}
        for pk, ref, unit in model.objects.filter(pk__in=ids).values_list(
            "pk", "reference", "unit__code"
        ):
            refs[(kind, pk)] = (ref, unit)
    rows = []
    for pk, kind, request_id, step, action, actor, acting_for, comment, at in chunk:
        ref, unit = refs.get((kind, request_id), (None, ""))
        rows.append([pk, kind, request_id, ref, unit, step, action, actor, acting_for, comment, at])
    return rows


AUDIT_FIELDS = (
    "seq", "occurred_at", "actor_username", "acting_for", "action", "object_type", "object_id",
    "object_repr", "before", "after", "comment", "ip", "request_id", "hash",
)  # fmt: skip
AUDIT_COLUMNS: tuple[Promise, ...] = (
    _("Mã"), _("Số thứ tự"), _("Thời điểm"), _("Tài khoản"), _("Thay mặt"), _("Hành động"),
    _("Loại đối tượng"), _("Mã đối tượng"), _("Đối tượng"), _("Trước"), _("Sau"), _("Ghi chú"),
    _("Địa chỉ IP"), _("Mã yêu cầu"), _("Mã băm"),
)  # fmt: skip


def audit_rows(chunk: list[tuple[Any, ...]]) -> Rows:
    def as_json(value: Any) -> str:
        return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    return [
        [pk, seq, at, actor, acting, action, otype, oid, orepr, as_json(before), as_json(after),
         comment, ip, request_id, digest]
        for (pk, seq, at, actor, acting, action, otype, oid, orepr, before, after, comment, ip,
             request_id, digest) in chunk
    ]  # fmt: skip


#: Each export's sheet, by dataset name (``exports.DATASETS`` adds the title and the rows read).
SHEETS = {
    "outbound": Sheet(OUTBOUND_COLUMNS, OUTBOUND_FIELDS, outbound_rows),
    "members": Sheet(MEMBER_COLUMNS, MEMBER_FIELDS, member_rows),
    "inbound": Sheet(INBOUND_COLUMNS, INBOUND_FIELDS, inbound_rows),
    "decisions": Sheet(DECISION_COLUMNS, DECISION_FIELDS, decision_rows),
    "audit": Sheet(AUDIT_COLUMNS, AUDIT_FIELDS, audit_rows),
}
