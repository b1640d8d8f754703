"""Reporting rounds on the record side: a unit's pre-filled figures, the Sở's live board and the
consolidated city-level report (XLSX and DOCX), summed from the approved reports only."""

from __future__ import annotations

import datetime
import io
from dataclasses import asdict, dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Font
from viewflow.workflow.models import Task

from approvals.models import AlertKind, DeadlineAlert
from approvals.permissions import expand_scope
from approvals.record.reports import annual_report
from delegations.models import ReportingRound, UnitReport, UnitReportStatus
from org.models import Jurisdiction, Unit, UnitKind
from workflow.selectors import tasks_for_request


def figure_labels() -> list[tuple[str, str]]:
    """The figures of a unit's report, in the order the report lists them."""
    return [
        ("outbound_delegations", _("Số đoàn ra (công vụ)")),
        ("outbound_people", _("Số lượt người đi")),
        ("outbound_distinct_people", _("Số người đi (không trùng)")),
        ("outbound_countries", _("Quốc gia đến")),
        ("outbound_person_days", _("Số ngày-người ở nước ngoài")),
        ("outbound_personal", _("Số chuyến đi việc riêng")),
        ("inbound_visits", _("Số đoàn vào")),
        ("inbound_visitors", _("Số lượt khách")),
        ("inbound_countries", _("Quốc gia của đoàn vào")),
        ("mous_in_force", _("Số biên bản ghi nhớ có hiệu lực")),
        ("mous_signed", _("Số biên bản ghi nhớ ký trong kỳ")),
        ("mou_activities", _("Số hoạt động triển khai biên bản ghi nhớ")),
        ("conferences_held", _("Số hội nghị, hội thảo quốc tế tổ chức")),
        ("late_reports", _("Số báo cáo sau chuyến đi nộp trễ hoặc chưa nộp")),
        ("unreturned_passports", _("Số hộ chiếu công vụ chưa nộp lại")),
    ]


def unit_figures(
    round_: ReportingRound, unit: Unit, today: datetime.date | None = None
) -> dict[str, Any]:
    """The unit's figures for the round's period, from the product's own data (the unit and
    the units it manages): trips by kind and purpose, people, countries, person-days, funding;
    visits and visitors; MOUs in force and their activities; late reports, passports."""
    report = annual_report(
        round_.period_to.year,
        unit_ids=expand_scope([unit.pk]),
        period=(round_.period_from, round_.period_to),
        today=today,
    )
    figures = asdict(report.total)
    figures.pop("unit", None)
    figures.pop("unit_name", None)
    return figures


def value_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {value_text(v)}" for k, v in sorted(value.items())) or "—"
    return str(value)


def _add(total: Any, value: Any) -> Any:
    if isinstance(value, bool) or total is None:
        return value if total is None else total
    if isinstance(value, int):
        return int(total or 0) + value
    if isinstance(value, list):
        return sorted({*total, *value})
    if isinstance(value, dict):
        merged = dict(total)
        for key, item in value.items():
            merged[key] = _add(merged.get(key), item)
        return merged
    return total


def sum_figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Numbers summed, lists (countries) united, dicts (by purpose, funding) summed by key."""
    total: dict[str, Any] = {}
    for figures in rows:
        for key, value in figures.items():
            total[key] = _add(total.get(key), value)
    return total


# --- the board ---------------------------------------------------------------------------------

ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
NOT_YET = "not_yet"


def board_state_labels() -> dict[str, str]:
    return {
        ON_TIME: _("Đã nộp đúng hạn"),
        LATE: _("Nộp muộn"),
        MISSING: _("Chưa nộp, đã quá hạn"),
        NOT_YET: _("Chưa nộp, chưa đến hạn"),
    }


@dataclass
class BoardRow:
    report: UnitReport
    state: str
    state_label: str
    reminded: bool
    escalated: bool


def board(round_: ReportingRound, today: datetime.date | None = None) -> list[BoardRow]:
    """Each unit of the round: on time, late, missing or not yet due; reminded, escalated."""
    today = today or timezone.localdate()
    labels = board_state_labels()
    rows: list[BoardRow] = []
    reports = list(round_.reports.select_related("unit", "round").order_by("unit__code"))
    task_ids: dict[int, list[int]] = {r.pk: [t.pk for t in _submit_tasks(r)] for r in reports}
    alerts = set(
        DeadlineAlert.objects.filter(
            task_id__in=[pk for ids in task_ids.values() for pk in ids]
        ).values_list("task_id", "kind")
    )
    for report in reports:
        if report.submitted_at is not None:
            day = timezone.localtime(report.submitted_at).date()
            state = ON_TIME if day <= round_.deadline else LATE
        else:
            state = MISSING if today > round_.deadline else NOT_YET
        kinds = {kind for task_id, kind in alerts if task_id in task_ids[report.pk]}
        rows.append(
            BoardRow(report=report, state=state, state_label=labels[state],
                     reminded=AlertKind.REMINDER in kinds,
                     escalated=AlertKind.ESCALATION in kinds)
        )  # fmt: skip
    return rows


def _submit_tasks(report: UnitReport) -> list[Task]:
    return [
        t for t in tasks_for_request(report, open_only=False)
        if t.flow_task.name == "submit_unit_report"
    ]  # fmt: skip


# --- the consolidated report ------------------------------------------------------------------


def consolidated(round_: ReportingRound) -> tuple[list[UnitReport], dict[str, Any]]:
    """The approved reports and their summed figures."""
    approved = list(
        round_.reports.filter(status=UnitReportStatus.APPROVED)
        .select_related("unit")
        .order_by("unit__code")
    )
    return approved, sum_figures([r.figures for r in approved])


def _department_name() -> str:
    jurisdiction = Jurisdiction.current()
    if jurisdiction is not None:
        return jurisdiction.department_name
    department = Unit.objects.filter(kind=UnitKind.DEPARTMENT).order_by("pk").first()
    return department.name if department else ""


def _narratives() -> list[tuple[str, str]]:
    return [
        ("results", _("Kết quả đạt được")),
        ("difficulties", _("Khó khăn, vướng mắc")),
        ("recommendations", _("Kiến nghị, đề xuất")),
    ]


def consolidated_xlsx(round_: ReportingRound) -> bytes:
    approved, total = consolidated(round_)
    bold = Font(bold=True)
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = _("Tổng hợp")
    summary.append([round_.title])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([_("Kỳ báo cáo từ"), round_.period_from])
    summary.append([_("đến"), round_.period_to])
    summary.append([_("Số đơn vị có báo cáo đã duyệt"), len(approved)])
    summary.append([])
    for key, label in figure_labels():
        value = total.get(key, 0)
        summary.append([label, len(value) if isinstance(value, list) else value])
    summary.column_dimensions["A"].width = 52

    units = workbook.create_sheet(_("Theo đơn vị"))
    keys = [key for key, _label in figure_labels()]
    units.append([_("Mã đơn vị"), _("Đơn vị"), *[label for _key, label in figure_labels()]])
    for report in approved:
        units.append(
            [report.unit.code, report.unit.name,
             *[_cell(report.figures.get(key, 0)) for key in keys]]
        )  # fmt: skip
    units.append(["", _("Tổng cộng"), *[_cell(total.get(key, 0)) for key in keys]])
    for cell in units[1]:
        cell.font = bold

    texts = workbook.create_sheet(_("Nội dung"))
    texts.append([_("Đơn vị"), *[label for _key, label in _narratives()]])
    for cell in texts[1]:
        cell.font = bold
    for report in approved:
        texts.append([report.unit.name, *[getattr(report, key) for key, _label in _narratives()]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    return len(value) if isinstance(value, list) else value


def consolidated_docx(round_: ReportingRound) -> bytes:
    """The city-level report in the administrative layout (Nghị định 30/2020/NĐ-CP): the issuing
    agency and the national motto side by side, the title, the figures, the narratives."""
    approved, total = consolidated(round_)
    document = DocxDocument()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    head = document.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.text = _department_name().upper()
    right.text = _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") + "\n" + _("Độc lập - Tự do - Hạnh phúc")
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in paragraph.runs:
                run.bold = True
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(_("BÁO CÁO")).bold = True
    subtitle = document.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.add_run(
        _("Công tác đối ngoại từ ngày %(start)s đến ngày %(end)s")
        % {"start": f"{round_.period_from:%d/%m/%Y}", "end": f"{round_.period_to:%d/%m/%Y}"}
    ).bold = True
    document.add_paragraph(
        _("Tổng hợp từ báo cáo đã duyệt của %(n)s đơn vị.") % {"n": len(approved)}
    )
    document.add_heading(_("I. Số liệu"), level=2)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for key, label in figure_labels():
        row = table.add_row().cells
        row[0].text = label
        row[1].text = value_text(total.get(key, 0))
    for number, (key, label) in zip(("II", "III", "IV"), _narratives(), strict=True):
        document.add_heading(f"{number}. {label}", level=2)
        for report in approved:
            text = getattr(report, key)
            if text:
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{report.unit.name}: ").bold = True
                paragraph.add_run(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
