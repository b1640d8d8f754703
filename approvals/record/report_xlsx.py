"""The annual report as an XLSX workbook: summary, per unit, countries, funding, violations."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from approvals.documents.countries import country_name
from approvals.record.reports import AnnualReport, Figures


def _summary_rows(f: Figures) -> list[tuple[str, Any]]:
    return [
        (_("Số đoàn ra (công vụ)"), f.outbound_delegations),
        (_("Số lượt người đi"), f.outbound_people),
        (_("Số người đi (không trùng)"), f.outbound_distinct_people),
        (_("Số quốc gia đến"), len(f.outbound_countries)),
        (_("Quốc gia đến"), ", ".join(country_name(c) for c in f.outbound_countries)),
        (_("Số ngày ở nước ngoài (theo đoàn)"), f.outbound_days),
        (_("Số ngày-người ở nước ngoài"), f.outbound_person_days),
        (_("Số đoàn vào"), f.inbound_visits),
        (_("Số lượt khách"), f.inbound_visitors),
        (_("Số quốc gia của đoàn vào"), len(f.inbound_countries)),
        (_("Quốc gia của đoàn vào"), ", ".join(country_name(c) for c in f.inbound_countries)),
        (_("Số chuyến đi việc riêng"), f.outbound_personal),
        (_("Số lượt người đi việc riêng"), f.personal_people),
        (_("Số biên bản ghi nhớ có hiệu lực trong kỳ"), f.mous_in_force),
        (_("Số biên bản ghi nhớ đã ký"), f.mous_signed),
        (_("Số biên bản ghi nhớ hết hiệu lực trong kỳ"), f.mous_expired),
        (_("Số hoạt động triển khai biên bản ghi nhớ"), f.mou_activities),
        (_("Số hội nghị, hội thảo quốc tế tổ chức"), f.conferences_held),
        (_("Số đoàn dự hội nghị, hội thảo ở nước ngoài"), f.conferences_abroad),
        (_("Số báo cáo nộp trễ hoặc chưa nộp"), f.late_reports),
        (_("Số hộ chiếu công vụ chưa nộp lại"), f.unreturned_passports),
        (_("Số lượt vi phạm quy tắc"), f.rule_violations),
    ]


UNIT_COLUMNS = (
    "unit", "unit_name", "outbound_delegations", "outbound_official", "outbound_personal",
    "outbound_people", "outbound_distinct_people", "outbound_days", "inbound_visits",
    "inbound_visitors", "mous_in_force", "mous_signed", "conferences_held", "conferences_abroad",
    "late_reports", "unreturned_passports", "rule_violations",
)  # fmt: skip


def _unit_headers() -> list[str]:
    return [
        _("Mã đơn vị"), _("Đơn vị"), _("Đoàn ra"), _("Công vụ"), _("Việc riêng"),
        _("Lượt người đi"), _("Người đi"), _("Ngày ở nước ngoài"), _("Đoàn vào"),
        _("Lượt khách"), _("MOU có hiệu lực"), _("MOU đã ký"), _("Hội nghị tổ chức"),
        _("Hội nghị ở nước ngoài"), _("Báo cáo trễ"), _("Hộ chiếu chưa nộp"), _("Vi phạm quy tắc"),
    ]  # fmt: skip


def report_workbook(
    report: AnnualReport,
    funding_labels: dict[str, str],
    purpose_labels: dict[str, str] | None = None,
) -> bytes:
    """The workbook's bytes (the report is small: a normal, not write-only, workbook)."""

    bold = Font(bold=True)
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = _("Tổng hợp")
    summary.append([_("Báo cáo công tác đối ngoại năm %(year)s") % {"year": report.year}])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([_("Kỳ báo cáo từ"), report.period_from])
    summary.append([_("đến"), report.period_to])
    summary.append([_("Hạn báo cáo"), report.deadline])
    summary.append([_("Số liệu đến ngày"), report.as_of])
    summary.append([_("Đơn vị"), report.unit or _("Toàn ngành")])
    summary.append([])
    for label, value in _summary_rows(report.total):
        summary.append([label, value])
    summary.column_dimensions["A"].width = 48
    summary.column_dimensions["B"].width = 18

    units = workbook.create_sheet(_("Theo đơn vị"))
    units.append(_unit_headers())
    for cell in units[1]:
        cell.font = bold
    for figures in [*report.units, report.total]:
        row = [getattr(figures, name) for name in UNIT_COLUMNS]
        if figures is report.total:
            row[0], row[1] = "", _("Tổng cộng")
        units.append(row)
    units.column_dimensions["B"].width = 40

    countries = workbook.create_sheet(_("Quốc gia"))
    countries.append([_("Mã"), _("Quốc gia"), _("Đoàn ra"), _("Đoàn vào")])
    for code, counts in report.countries.items():
        countries.append([code, country_name(code), counts["outbound"], counts["inbound"]])

    funding = workbook.create_sheet(_("Nguồn kinh phí"))
    funding.append([_("Nguồn kinh phí"), _("Số đoàn"), _("Dự toán (đồng)")])
    for source, values in sorted(report.total.funding.items()):
        funding.append([funding_labels.get(source, source), values["delegations"], values["cost"]])

    labels = purpose_labels or {}
    purposes = workbook.create_sheet(_("Mục đích"))
    purposes.append([_("Mục đích"), _("Đoàn ra (công vụ)"), _("Đoàn vào")])
    for purpose in sorted({*report.total.by_purpose, *report.total.inbound_by_purpose}):
        purposes.append(
            [labels.get(purpose, purpose), report.total.by_purpose.get(purpose, 0),
             report.total.inbound_by_purpose.get(purpose, 0)]
        )  # fmt: skip

    mous = workbook.create_sheet(_("Biên bản ghi nhớ"))
    mous.append(
        [_("Đối tác"), _("Quốc gia"), _("Đơn vị"), _("Tên văn bản"), _("Ngày ký"),
         _("Ngày hết hiệu lực"), _("Ký trong kỳ"), _("Hết hiệu lực trong kỳ"),
         _("Số hoạt động trong kỳ"), _("Hoạt động")]
    )  # fmt: skip
    for line in report.agreements:
        mous.append(
            [line.partner, country_name(line.country), line.unit, line.title, line.signed_on,
             line.expires_on, _("Có") if line.signed_in_period else "",
             _("Có") if line.expired_in_period else "", len(line.activities),
             "; ".join(f"{a['date']} {a['text']}" for a in line.activities)]
        )  # fmt: skip

    violations = workbook.create_sheet(_("Vi phạm quy tắc"))
    violations.append([_("Quy tắc"), _("Số lượt")])
    for rule, count in report.total.violations_by_rule.items():
        violations.append([rule, count])

    months = workbook.create_sheet(_("Theo tháng"))
    months.append([_("Tháng"), _("Số đoàn ra xuất cảnh")])
    for month, count in enumerate(report.by_month, start=1):
        months.append([month, count])

    for sheet in workbook.worksheets[1:]:
        for cell in sheet[1]:
            cell.font = bold
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
