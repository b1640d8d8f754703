"""The inbound documents: the approval letter to the host and the agencies' notification.

Same snapshot shape as the outbound ones (:mod:`approvals.documents.content_common`).
"""

from __future__ import annotations

from typing import Any

from approvals.documents.content_common import (
    Issuer,
    agency_names,
    city_committee_short,
    city_proposal,
    filing_line,
    para,
    short_date,
    table,
)
from approvals.documents.countries import country_name
from workflow.models import timing_params

VISITOR_COLUMNS = [
    "STT",
    "Họ và tên",
    "Quốc tịch",
    "Số hộ chiếu",
    "Ngày sinh",
    "Cơ quan, chức danh",
]
VISITOR_WIDTHS = [10, 36, 20, 26, 22, 40]


def visitor_rows(visit: Any) -> list[list[str]]:
    """The guests with their full passport numbers (for the police's residence records)."""
    return [
        [
            str(i),
            v.full_name,
            country_name(v.nationality),
            v.passport_number,
            short_date(v.date_of_birth),
            ", ".join(p for p in (v.title, v.organisation) if p),
        ]
        for i, v in enumerate(visit.visitors.order_by("order", "pk"), start=1)
    ]


def _delegation(visit: Any) -> str:
    count = visit.visitors.count()
    return (
        f"đoàn {visit.organisation} ({country_name(visit.country)}) gồm {count} khách "
        f"(danh sách kèm theo) đến làm việc tại {visit.unit.name} từ ngày "
        f"{short_date(visit.arrival_date)} đến ngày {short_date(visit.departure_date)}"
    )


def approval_content(visit: Any, *, issuer: Issuer) -> dict[str, Any]:
    """Công văn to the host unit: the visit is approved, and what the host must do."""

    report_days = timing_params()["report_days"]
    purpose = visit.purpose.strip().rstrip(".")
    return {
        "title": "",
        "summary": "V/v đồng ý đón đoàn khách nước ngoài",
        "kinh_gui": [visit.unit.name],
        "bases": [],
        "body": [
            para(
                f"Xét đề nghị của {visit.unit.name} (hồ sơ số {visit.reference or visit.pk}), "
                f"{issuer.short_name} có ý kiến như sau:"
            ),
            para(
                f"Đồng ý để {visit.unit.name} đón {_delegation(visit)}. Nội dung: {purpose}.",
                lead="1.",
            ),
            para(
                f"{visit.unit.name} có trách nhiệm: thực hiện đúng chương trình đã đăng ký; "
                "bảo đảm khai báo tạm trú cho khách theo quy định; không để khách tư vấn du học, "
                "quảng bá học bổng cho học sinh hoặc quảng cáo thương mại; báo cáo kết quả đón "
                f"đoàn về {issuer.short_name} trong thời hạn {report_days} ngày kể từ ngày "
                "đoàn rời đơn vị.",
                lead="2.",
            ),
            table(VISITOR_COLUMNS, VISITOR_WIDTHS, visitor_rows(visit)),
        ],
        "recipients": [
            "Như trên;",
            *[f"{name};" for name in agency_names()],
            filing_line(issuer),
        ],
        "annex": None,
    }


def notice_content(visit: Any, *, issuer: Issuer) -> dict[str, Any]:
    """Công văn to Công an TP (PA08) and Sở Ngoại vụ: who comes, when, where they stay."""
    purpose = visit.purpose.strip().rstrip(".")
    stay = visit.accommodation_address or "đơn vị đón bố trí"
    body = [
        para(f"{issuer.short_name} đã đồng ý để {visit.unit.name} đón {_delegation(visit)}."),
        para(f"Nội dung làm việc: {purpose}. Nơi lưu trú của khách: {stay}."),
    ]
    if visit.venues:
        body.append(para(f"Địa điểm làm việc: {visit.venues.strip().rstrip('.')}."))
    body += [
        table(VISITOR_COLUMNS, VISITOR_WIDTHS, visitor_rows(visit)),
        para(
            f"{issuer.short_name} trân trọng thông báo để Quý cơ quan biết, phối hợp quản lý "
            "theo quy định./."
        ),
    ]
    return {
        "title": "",
        "summary": "V/v thông báo đoàn khách nước ngoài đến làm việc",
        "kinh_gui": agency_names(),
        "bases": [],
        "body": body,
        "recipients": ["Như trên;", f"{visit.unit.name};", filing_line(issuer)],
        "annex": None,
    }


def proposal_content(visit: Any, *, issuer: Issuer) -> dict[str, Any]:
    """Tờ trình: the Director proposes to the City People's Committee (route CITY)."""
    purpose = visit.purpose.strip().rstrip(".")
    return city_proposal(
        issuer,
        summary="Về việc đón đoàn khách nước ngoài",
        body=[
            para(
                f"Xét đề nghị của {visit.unit.name} (hồ sơ số {visit.reference or visit.pk}), "
                f"{issuer.short_name} kính trình {city_committee_short()} xem xét, cho phép "
                f"{visit.unit.name} đón {_delegation(visit)}."
            ),
            para(f"Nội dung làm việc: {purpose}."),
            table(VISITOR_COLUMNS, VISITOR_WIDTHS, visitor_rows(visit)),
        ],
    )
