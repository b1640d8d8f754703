"""A reporting round end to end: the Sở opens it for three units; school A submits on time,
school B late (reminded, then escalated), the ward never; each head approves; the board shows
each state; the consolidated XLSX and DOCX sum exactly the approved reports."""

import datetime
import io

import pytest
from django.utils import timezone
from docx import Document as DocxDocument
from openpyxl import load_workbook

from approvals.models import AuditEvent, DeadlineAlert, OutboxMessage
from approvals.record.rounds import MISSING, NOT_YET, ON_TIME, board, unit_figures
from config.errors import PermissionDenied, ValidationError
from delegations.models import Agreement, Partner, UnitReport, UnitReportStatus
from org.calendar import add_working_days, current_calendar
from org.models import Role
from tests.conftest import login
from tests.factories import make_staff
from tests.flows import approved, open_task
from workflow.models import timing_params
from workflow.reminders import deadline_alerts_send
from workflow.services import reporting_round_open, task_complete, unit_report_submit

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def scenario(org, teacher_a, clerk_a, head_a, head_b, dept_reviewer, director):
    clerk_b = make_staff("clerk_b", org.school_b, Role.CLERK, full_name="Ngô Văn Bình")
    make_staff("cvp", org.office, Role.DEPT_OFFICE_HEAD, full_name="Trương Chánh Văn")
    trip = approved(teacher_a, head_a, dept_reviewer, director)
    partner = Partner.objects.create(name="Trường Busan", name_en="Busan School", country="KR")
    Agreement.objects.create(
        partner=partner, unit=org.school_b, title="MOU Busan", signed_on=D(2024, 3, 1)
    )
    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=10)
    round_ = reporting_round_open(
        actor=dept_reviewer.user, title="Báo cáo công tác đối ngoại năm",
        period_from=today - datetime.timedelta(days=30),
        period_to=trip.return_date + datetime.timedelta(days=1), deadline=deadline,
        units=[org.school_a, org.school_b, org.ward],
    )  # fmt: skip
    return round_, clerk_b, trip


def report_of(round_, unit):
    return UnitReport.objects.select_related("round", "unit").get(round=round_, unit=unit)


def submit(round_, unit, clerk, results, at=None):
    report = report_of(round_, unit)
    unit_report_submit(
        actor=clerk.user, report=report, figures=unit_figures(round_, unit),
        narrative={"results": results, "difficulties": f"Khó khăn của {unit.code}",
                   "recommendations": ""},
        at=at,
    )  # fmt: skip
    return report


def test_a_round_end_to_end(scenario, org, clerk_a, head_a, head_b, dept_reviewer):
    round_, clerk_b, _trip = scenario
    deadline = round_.deadline
    # School A: on time, figures pre-filled from its data (the approved trip); head approves.
    a = submit(round_, org.school_a, clerk_a, "Kết quả của trường A")
    task_complete(task_id=open_task(a).pk, user=head_a.user, action="approve")
    a.refresh_from_db()
    assert a.status == UnitReportStatus.APPROVED and a.figures["outbound_delegations"] == 1
    # Before the deadline B and the ward are reminded; after it, escalated (once each).
    timing = timing_params(deadline)
    calendar = current_calendar()
    before = add_working_days(deadline, -1, calendar)
    after = add_working_days(deadline, int(timing["escalation_days_after"]) + 1, calendar)
    assert deadline_alerts_send(today=before)["reminder"] == 2
    assert deadline_alerts_send(today=before)["reminder"] == 0
    assert deadline_alerts_send(today=after)["escalation"] == 2
    told = OutboxMessage.objects.filter(to_address=clerk_b.user.email).order_by("pk")
    assert [m.subject.split("] ")[1].split(" ")[0:2] for m in told] == [
        ["Việc", "mới:"],
        ["Sắp", "đến"],
        ["Quá", "hạn"],
    ]
    # Its head (who may also file) is told it is overdue; the Sở's office is asked to follow
    # up both units; school B then submits late; its head returns it once, then approves.
    assert OutboxMessage.objects.filter(
        to_address=head_b.user.email, subject__contains="Quá hạn"
    ).exists()
    assert (
        OutboxMessage.objects.filter(
            to_address="cvp@example.test", subject__contains="Đề nghị đôn đốc"
        ).count()
        == 2
    )
    late = timezone.make_aware(datetime.datetime.combine(after, datetime.time(9)))
    b = submit(round_, org.school_b, clerk_b, "Kết quả của trường B", at=late)
    with pytest.raises(ValidationError):
        task_complete(task_id=open_task(b).pk, user=head_b.user, action="return")
    task_complete(task_id=open_task(b).pk, user=head_b.user, action="return", comment="Bổ sung")
    b.refresh_from_db()
    assert b.status == UnitReportStatus.RETURNED
    b = submit(round_, org.school_b, clerk_b, "Kết quả của trường B", at=late)
    task_complete(task_id=open_task(b).pk, user=head_b.user, action="approve")
    b.refresh_from_db()
    assert b.figures["mous_in_force"] == 1 and b.figures["outbound_delegations"] == 0

    # The board: A on time, B late (reminded, escalated), the ward missing.
    rows = {row.report.unit.code: row for row in board(round_, today=after)}
    assert rows["THPT-A"].state == ON_TIME and not rows["THPT-A"].reminded
    assert rows["THPT-B"].state == "late" and rows["THPT-B"].reminded and rows["THPT-B"].escalated
    assert rows["P-1"].state == MISSING and rows["P-1"].escalated
    page = login(dept_reviewer).get(f"/bao-cao/dot/{round_.pk}/").content.decode()
    assert 'data-unit="THPT-A" data-state="on_time"' in page
    assert 'data-unit="THPT-B" data-state="late"' in page
    assert f'data-unit="P-1" data-state="{NOT_YET}"' in page  # today is before the deadline

    # The consolidated XLSX sums A and B, nothing of the ward.
    client = login(dept_reviewer)
    workbook = load_workbook(
        io.BytesIO(client.get(f"/bao-cao/dot/{round_.pk}/tong-hop.xlsx").content)
    )
    summary = {row[0]: row[1] for row in workbook["Tổng hợp"].iter_rows(values_only=True)}
    assert summary["Số đơn vị có báo cáo đã duyệt"] == 2
    assert (
        summary["Số đoàn ra (công vụ)"]
        == a.figures["outbound_delegations"] + b.figures["outbound_delegations"]
    )
    assert summary["Số biên bản ghi nhớ có hiệu lực"] == 1
    assert (
        summary["Số lượt người đi"] == a.figures["outbound_people"] + b.figures["outbound_people"]
    )
    units = [row[0] for row in workbook["Theo đơn vị"].iter_rows(values_only=True)][1:]
    assert units == ["THPT-A", "THPT-B", None]  # then the total line
    # The DOCX: the figures and both approved narratives, the agency's name from the data.
    document = DocxDocument(
        io.BytesIO(client.get(f"/bao-cao/dot/{round_.pk}/tong-hop.docx").content)
    )
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Kết quả của trường A" in text and "Kết quả của trường B" in text
    assert "Khó khăn của P-1" not in text
    assert org.department.name.upper() in cells
    assert cells[cells.index("Số đoàn ra (công vụ)") + 1] == "1"
    assert AuditEvent.objects.filter(action="unit_report.approved").count() == 2


def test_only_the_department_opens_a_round_and_reads_the_board(
    scenario, org, head_a, clerk_a, dept_reviewer
):
    round_, _clerk_b, _trip = scenario
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        reporting_round_open(actor=head_a.user, title="x", period_from=today, period_to=today,
                             deadline=today, units=[org.school_a])  # fmt: skip
    with pytest.raises(ValidationError) as error:
        reporting_round_open(actor=dept_reviewer.user, title="x", period_from=today,
                             period_to=today - datetime.timedelta(days=1),
                             deadline=today - datetime.timedelta(days=1), units=[])  # fmt: skip
    assert set(error.value.message_dict) == {"period_to", "deadline", "units"}
    assert login(head_a).get(f"/bao-cao/dot/{round_.pk}/").status_code == 404
    assert login(head_a).get(f"/bao-cao/dot/{round_.pk}/tong-hop.docx").status_code == 404
    # A school sees its own report, not another school's.
    other = report_of(round_, org.school_b)
    assert login(clerk_a).get(f"/bao-cao/don-vi/{other.pk}/").status_code == 404
    mine = report_of(round_, org.school_a)
    page = login(clerk_a).get(f"/bao-cao/don-vi/{mine.pk}/")
    assert page.status_code == 200 and "Nộp báo cáo" in page.content.decode()


def test_the_unit_submits_from_its_page_with_prefilled_figures(scenario, org, clerk_a, head_a):
    round_, _clerk_b, _trip = scenario
    report = report_of(round_, org.school_a)
    client = login(clerk_a)
    empty = client.post(f"/bao-cao/don-vi/{report.pk}/", {"results": ""})
    assert empty.status_code == 400
    done = client.post(f"/bao-cao/don-vi/{report.pk}/", {"results": "Đã hoàn thành kế hoạch"})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.status == UnitReportStatus.SUBMITTED
    assert report.figures["outbound_delegations"] == 1
    # The head's task opens on the task page; the clerk cannot approve.
    task = open_task(report)
    assert login(head_a).get(f"/viec/{task.pk}/").status_code == 200
    with pytest.raises(PermissionDenied):
        task_complete(task_id=task.pk, user=clerk_a.user, action="approve")
    assert DeadlineAlert.objects.count() == 0
