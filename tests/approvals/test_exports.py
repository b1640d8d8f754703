"""Exports for auditors: CSV and XLSX content, filters, refusals, and the audit trail."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from approvals.models import AuditEvent
from delegations.models import InboundVisit, Visitor
from org.models import Role
from tests.approvals.record_helpers import approved, make_agencies
from tests.conftest import login
from tests.delegations.outbound_helpers import far_departure
from tests.factories import PersonFactory, make_staff
from tests.flows import draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossiers(org, teacher_a, head_a, dept_reviewer, director, head_b):
    """School A: one approved official trip and one personal draft; school B: one draft."""
    make_agencies()
    colleague = PersonFactory(unit=org.school_a, full_name="Lê Thị Ý")
    trip = approved(teacher_a, head_a, dept_reviewer, director, members=(teacher_a, colleague))
    personal = draft(teacher_a, kind="personal", departure=far_departure(90))
    other = draft(head_b, departure=far_departure(60))
    return {"trip": trip, "personal": personal, "other": other}


def csv_rows(response):
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(response):
    body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_auditor_exports_outbound_requests_as_streamed_csv(dossiers, auditor):
    response = login(auditor).get("/api/v1/exports/outbound.csv")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="outbound-')
    rows = csv_rows(response)
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Mã", "Số hồ sơ", "Mã đơn vị", "Đơn vị"]
    assert len(body) == 3
    trip = next(r for r in body if r[0] == str(dossiers["trip"].pk))
    column = dict(zip(header, trip, strict=True))
    assert column["Số hồ sơ"] == dossiers["trip"].reference
    assert column["Trạng thái"] == "Đã phê duyệt"
    assert column["Quốc gia"] == "Nhật Bản"
    assert column["Số thành viên"] == "2"
    assert column["Trưởng đoàn"] == "Trần Thị Lan"
    assert column["Số quyết định"] == "01/QĐ-SGDĐT"


def test_filters_by_unit_kind_status_and_departure_period(dossiers, auditor, org):
    client = login(auditor)

    def ids(query):
        return {row[0] for row in csv_rows(client.get(f"/api/v1/exports/outbound.csv?{query}"))[1:]}

    trip, personal, other = (str(dossiers[k].pk) for k in ("trip", "personal", "other"))
    assert ids("unit=THPT-A") == {trip, personal}
    assert ids("unit=SGDDT") == {trip, personal, other}  # a unit includes what it manages
    assert ids("kind=personal") == {personal}
    assert ids("status=approved") == {trip}
    start = dossiers["personal"].departure_date
    assert ids(f"from={start.isoformat()}") == {personal}
    assert ids(f"to={(start - datetime.timedelta(days=1)).isoformat()}") == {trip, other}


def test_xlsx_export_opens_with_the_same_rows(dossiers, auditor):
    response = login(auditor).get("/api/v1/exports/outbound.xlsx?unit=THPT-A")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(response)
    assert rows[0][:2] == ["Mã", "Số hồ sơ"]
    assert {row[0] for row in rows[1:]} == {dossiers["trip"].pk, dossiers["personal"].pk}
    trip = next(r for r in rows[1:] if r[0] == dossiers["trip"].pk)
    assert isinstance(trip[9], datetime.datetime)  # dates stay dates in the workbook
    assert trip[9].date() == dossiers["trip"].departure_date


def test_members_export_has_one_row_per_member(dossiers, auditor):
    rows = csv_rows(login(auditor).get("/api/v1/exports/members.csv?status=approved"))
    names = sorted(row[4] for row in rows[1:])
    assert names == ["Lê Thị Ý", "Trần Thị Lan"]


def test_decisions_export_lists_every_step_taken(dossiers, auditor):
    rows = xlsx_rows(login(auditor).get("/api/v1/exports/decisions.xlsx?kind=outbound"))
    steps = [row[5] for row in rows[1:]]
    assert steps == ["review_by_unit_head", "review_by_department", "decide_by_director"]
    assert {row[7] for row in rows[1:]} == {"head_a", "dept_reviewer", "director"}


def test_inbound_export_counts_visitors(org, clerk_a, auditor):
    visit = InboundVisit.objects.create(
        unit=org.school_a, created_by=clerk_a.user, organisation="Osaka Board of Education",
        country="JP", purpose_category="visit", purpose="Giao lưu",
        arrival_date=far_departure(), departure_date=far_departure(),
    )  # fmt: skip
    Visitor.objects.create(visit=visit, full_name="Tanaka Hiroshi", nationality="JP")
    Visitor.objects.create(visit=visit, full_name="Sato Yuki", nationality="JP")
    rows = csv_rows(login(auditor).get("/api/v1/exports/inbound.csv"))
    column = dict(zip(rows[0], rows[1], strict=True))
    assert column["Cơ quan, tổ chức nước ngoài"] == "Osaka Board of Education"
    assert column["Số khách"] == "2"


def test_audit_export_filters_events_by_request_kind_and_unit(dossiers, auditor):
    rows = csv_rows(login(auditor).get("/api/v1/exports/audit.csv?kind=outbound&unit=THPT-B"))
    assert rows[1:], "the draft of school B has a creation event"
    assert {row[7] for row in rows[1:]} == {str(dossiers["other"].pk)}


def test_every_export_is_itself_an_audit_event(dossiers, auditor):
    response = login(auditor).get("/api/v1/exports/outbound.csv?unit=THPT-A&status=approved")
    b"".join(response.streaming_content)
    event = AuditEvent.objects.filter(action="export.downloaded").get()
    assert event.actor_username == "auditor"
    assert event.after == {
        "dataset": "outbound",
        "format": "csv",
        "filters": {"from": None, "to": None, "unit": "THPT-A", "kind": None, "status": "approved"},
        "rows": 1,
    }


def test_administrator_may_export(dossiers, org):
    admin = make_staff("quantri", org.office, Role.ADMIN, role_unit=org.department)
    assert login(admin).get("/api/v1/exports/members.xlsx").status_code == 200


def test_others_are_refused_and_nothing_is_recorded(dossiers, head_a, director, client):
    for person in (head_a, director):
        response = login(person).get("/api/v1/exports/outbound.csv")
        assert response.status_code == 403
        assert response.json()["detail"] == "Chỉ thanh tra và quản trị được xem dữ liệu này."
    assert client.get("/api/v1/exports/outbound.csv").status_code == 401
    assert login(head_a).get("/xuat-du-lieu/").status_code == 403
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()


def test_bad_filters_are_400_with_vietnamese_messages(auditor, org):
    response = login(auditor).get("/api/v1/exports/outbound.csv?from=2026-13-01&unit=NOPE")
    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "from": ["Ngày không hợp lệ, dùng dạng YYYY-MM-DD."],
            "unit": ["Không có đơn vị mã “NOPE”."],
        }
    }
    assert login(auditor).get("/api/v1/exports/secrets.csv").status_code == 404


@pytest.mark.parametrize("start", ["=", "+", "-", "@", ";"])
def test_text_that_looks_like_a_formula_is_quoted(org, teacher_a, auditor, start):
    draft(teacher_a, purpose=start + 'HYPERLINK("http://evil.example")')
    rows = csv_rows(login(auditor).get("/api/v1/exports/outbound.csv"))
    assert rows[1][6].startswith("'" + start + "HYPERLINK")


def test_export_page_links_every_dataset_with_the_filters(dossiers, auditor):
    page = login(auditor).get("/xuat-du-lieu/?unit=THPT-A")
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("outbound", "members", "inbound", "decisions", "audit"):
        assert f"/api/v1/exports/{name}.xlsx?unit=THPT-A" in html


def test_audit_api_lists_a_requests_events_for_auditors_only(dossiers, auditor, head_a):
    trip = dossiers["trip"]
    response = login(auditor).get(f"/api/v1/audit/?request=outbound:{trip.pk}")
    assert response.status_code == 200
    actions = [e["action"] for e in response.json()["results"]]
    assert "outbound.approved" in actions and "outbound.submitted" in actions
    assert login(head_a).get(f"/api/v1/audit/?request=outbound:{trip.pk}").status_code == 404
    bad = login(auditor).get("/api/v1/audit/?request=outbound:abc")
    assert bad.status_code == 400


def test_formula_like_text_stays_text_in_the_workbook(org, teacher_a, auditor):
    draft(teacher_a, purpose="=1+1")
    body = b"".join(login(auditor).get("/api/v1/exports/outbound.xlsx").streaming_content)
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    cell = sheet.cell(row=2, column=7)
    assert cell.value == "=1+1" and cell.data_type == "s"
