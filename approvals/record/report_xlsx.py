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
        (_("Số đoàn ra"), f.outbound_delegations),
        (_("trong đó: công vụ"), f.outbound_official),
        (_("trong đó: việc riêng"), f.outbound_personal),
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
        (_("Số biên bản ghi nhớ đã ký"), f.mous_signed),
        (_("Số hội nghị, hội thảo quốc tế tổ chức"), f.conferences_held),
        (_("Số đoàn dự hội nghị, hội thảo ở nước ngoài"), f.conferences_abroad),
        (_("Số báo cáo nộp trễ hoặc chưa nộp"), f.late_reports),
        (_("Số hộ chiếu công vụ chưa nộp lại"), f.unreturned_passports),
        (_("Số lượt vi phạm quy tắc"), f.rule_violations),
    ]


UNIT_COLUMNS = (
    "unit", "unit_name", "outbound_delegations", "outbound_official", "outbound_personal",
    "outbound_people", "outbound_distinct_people", "outbound_days", "inbound_visits",
    "inbound_visitors", "mous_signed", "conferences_held", "conferences_abroad", "late_reports",
    "unreturned_passports", "rule_violations",
)  # fmt: skip


def _unit_headers() -> list[str]:
    return [
        _("Mã đơn vị"), _("Đơn vị"), _("Đoàn ra"), _("Công vụ"), _("Việc riêng"),
        _("Lượt người đi"), _("Người đi"), _("Ngày ở nước ngoài"), _("Đoàn vào"),
        _("Lượt khách"), _("MOU đã ký"), _("Hội nghị tổ chức"), _("Hội nghị ở nước ngoài"),
        _("Báo cáo trễ"), _("Hộ chiếu chưa nộp"), _("Vi phạm quy tắc"),
    ]  # fmt: skip


def report_workbook(report: AnnualReport, funding_labels: dict[str, str]) -> bytes:
    """The workbook's bytes (the report is small: a normal, not write-only, workbook)."""

    bold = Font(bold=True)
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = _("Tổng hợp")
    summary.append([_("Báo cáo công tác đối ngoại năm %(year)s") % {"year": report.year}])
    summary["A1"].font = Font(bold=True, size=14)
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
