"""Inbound visit pages: the form with the visitor sheet, the visit page, approvals, the calendar."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from delegations.models import InboundStatus, InboundVisit
from org.models import Person
from tests.conftest import login
from tests.delegations.inbound_helpers import exam_day, far_arrival, visit_basics
from tests.delegations.page_helpers import decide
from tests.flows import open_task
from workflow.models import RuleSetVersion

pytestmark = pytest.mark.django_db

GOOD_SHEET = (
    "Họ tên,Quốc tịch,Số hộ chiếu,Ngày hết hạn,Ngày sinh,Tổ chức,Chức danh\n"
    "Tanaka Hiroshi,JP,TK1234567,01/01/2035,02/04/1975,Osaka Board of Education,Director\n"
    "Sato Yuki,JP,TK7654321,2034-06-30,1980-09-12,Osaka Board of Education,Teacher\n"
)
BAD_SHEET = (
    "Họ tên,Quốc tịch,Số hộ chiếu,Ngày hết hạn\n"
    "Tanaka Hiroshi,JP,TK1234567,01/01/2035\n"
    "Park Soo,Korea,M1,31/02/2031\n"
)


def sheet(text: str = GOOD_SHEET, name: str = "khach.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), "text/csv")


def form_data(arrival: datetime.date | None = None, days: int = 3, **extra: object) -> dict:
    data: dict[str, object] = {
        **visit_basics(arrival, days),
        "venues": "Hội trường A",
        "interpreter": "Nguyễn Thị Thu",
        "accommodation_kind": "hotel",
        "accommodation_address": "Khách sạn Rex, 141 Nguyễn Huệ",
        "view": "1",
    }
    data.update(extra)
    return data


def file_visit(client: Client, **extra: object) -> InboundVisit:
    response = client.post("/doan-vao/moi/", {**form_data(**extra), "visitor_file": sheet()})
    assert response.status_code == 302, response.content.decode()[:3000]
    pk = int(re.search(r"/doan-vao/(\d+)/", response["Location"]).group(1))  # type: ignore[union-attr]
    return InboundVisit.objects.get(pk=pk)


def submit(client: Client, visit: InboundVisit) -> None:
    response = client.post(f"/doan-vao/{visit.pk}/trinh/", {})
    assert response.status_code == 302, response.content.decode()[:3000]


def approved_visit(clerk_a: Person, head_a: Person, reviewer: Person, director: Person, **kw):
    client = login(clerk_a)
    visit = file_visit(client, **kw)
    submit(client, visit)
    for person, step in (
        (head_a, "review_by_unit_head"),
        (reviewer, "review_by_department"),
        (director, "decide_by_director"),
    ):
        response = decide(login(person), open_task(visit, step))
        assert response.status_code == 302, response.content.decode()[:3000]
    visit.refresh_from_db()
    return visit


def test_clerk_files_a_visit_with_a_visitor_sheet_and_sees_the_roster(clerk_a):
    client = login(clerk_a)
    visit = file_visit(client)
    assert visit.status == InboundStatus.DRAFT and visit.unit.code == "THPT-A"
    assert [v.full_name for v in visit.visitors.order_by("order")] == [
        "Tanaka Hiroshi",
        "Sato Yuki",
    ]
    page = client.get(f"/doan-vao/{visit.pk}/").content.decode()
    assert "Sato Yuki" in page and "Trình hồ sơ" in page
    assert "TK1234567" not in page  # passport numbers are masked


def test_bad_sheet_shows_row_and_column_errors_and_keeps_typed_fields(clerk_a):
    client = login(clerk_a)
    data = form_data(purpose="Giao lưu với trường kết nghĩa Osaka")
    response = client.post("/doan-vao/moi/", {**data, "visitor_file": sheet(BAD_SHEET)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dòng 3, cột &quot;Quốc tịch&quot;" in page
    assert "Dòng 3, cột &quot;Ngày hết hạn&quot;" in page
    assert "Giao lưu với trường kết nghĩa Osaka" in page
    assert 'value="Khách sạn Rex, 141 Nguyễn Huệ"' in page
    assert not InboundVisit.objects.exists()


def test_departure_before_arrival_is_refused_in_vietnamese(clerk_a):
    arrival = far_arrival()
    data = form_data(arrival=arrival, departure_date=(arrival - datetime.timedelta(days=1)))
    response = login(clerk_a).post("/doan-vao/moi/", data)
    assert response.status_code == 400
    assert "Ngày đoàn về phải sau hoặc trùng ngày đoàn đến." in response.content.decode()


def test_new_sheet_on_edit_replaces_the_roster_and_no_sheet_keeps_it(clerk_a):
    client = login(clerk_a)
    visit = file_visit(client)
    one = "Họ tên,Quốc tịch,Số hộ chiếu,Ngày hết hạn\nLee Ji-eun,KR,M12345678,31/12/2031\n"
    data = form_data(version=str(visit.version), purpose="Nội dung mới")
    response = client.post(f"/doan-vao/{visit.pk}/sua/", {**data, "visitor_file": sheet(one)})
    assert response.status_code == 302
    assert [v.full_name for v in visit.visitors.all()] == ["Lee Ji-eun"]
    visit.refresh_from_db()
    response = client.post(f"/doan-vao/{visit.pk}/sua/", form_data(version=str(visit.version)))
    assert response.status_code == 302
    assert [v.full_name for v in visit.visitors.all()] == ["Lee Ji-eun"]


def test_visit_is_approved_through_the_task_pages_and_the_page_shows_the_timeline(
    org, clerk_a, head_a, dept_reviewer, director
):
    client = login(clerk_a)
    visit = file_visit(client)
    submit(client, visit)
    visit.refresh_from_db()
    assert visit.status == InboundStatus.SUBMITTED and visit.reference

    task = open_task(visit, "review_by_unit_head")
    task_page = login(head_a).get(f"/viec/{task.pk}/").content.decode()
    assert "Tanaka Hiroshi" in task_page and f"/doan-vao/{visit.pk}/" in task_page
    assert decide(login(head_a), task).status_code == 302
    assert decide(login(dept_reviewer), open_task(visit, "review_by_department")).status_code == 302
    assert decide(login(director), open_task(visit, "decide_by_director")).status_code == 302

    page = client.get(f"/doan-vao/{visit.pk}/").content.decode()
    assert "Đã phê duyệt" in page
    assert 'id="timeline"' in page
    for name in (head_a.full_name, dept_reviewer.full_name, director.full_name):
        assert name in page
    assert "Xác nhận đã khai báo tạm trú" in page


def test_head_of_other_school_gets_404_for_the_visit_and_its_task(clerk_a, head_a, head_b):
    client = login(clerk_a)
    visit = file_visit(client)
    submit(client, visit)
    other = login(head_b)
    assert other.get(f"/doan-vao/{visit.pk}/").status_code == 404
    assert other.get(f"/viec/{open_task(visit, 'review_by_unit_head').pk}/").status_code == 404
    assert other.post(f"/doan-vao/{visit.pk}/rut/", {"withdraw-reason": "x"}).status_code == 404


def test_calendar_shows_the_approved_visit_in_its_week_only_to_those_who_may_see_it(
    clerk_a, head_a, head_b, dept_reviewer, director
):
    visit = approved_visit(clerk_a, head_a, dept_reviewer, director)
    year, week, _day = visit.arrival_date.isocalendar()
    url = f"/doan-vao/lich/?week={year}-W{week:02d}"
    page = login(head_a).get(url).content.decode()
    assert visit.reference in page and "Osaka Board of Education" in page
    assert visit.reference not in login(head_b).get(url).content.decode()
    earlier = visit.arrival_date - datetime.timedelta(days=21)
    year, week, _day = earlier.isocalendar()
    assert (
        visit.reference
        not in login(head_a).get(f"/doan-vao/lich/?week={year}-W{week:02d}").content.decode()
    )


def test_calendar_survives_a_nonsense_week(clerk_a):
    response = login(clerk_a).get("/doan-vao/lich/?week=2027-W99")
    assert response.status_code == 200
    assert "Tuần sau" in response.content.decode()


def test_blackout_ranges_and_holidays_appear_on_the_form(clerk_a):
    exam = far_arrival(10)
    RuleSetVersion.objects.create(
        effective_from=datetime.date.today(),
        params={
            "IN-BLACKOUT": {"calendar": [
                {"start": exam.isoformat(), "end": exam.isoformat(),
                 "label": "Kỳ thi tốt nghiệp THPT"},
            ]},
            "IN-FREEZE": {"windows": [
                {"start": exam.isoformat(), "end": (exam + datetime.timedelta(days=5)).isoformat(),
                 "label": "Tạm dừng đón khách dịp Tết"},
            ]},
        },
    )  # fmt: skip
    page = login(clerk_a).get("/doan-vao/moi/").content.decode()
    assert "Kỳ thi tốt nghiệp THPT" in page and "Tạm dừng đón khách dịp Tết" in page
    assert exam.strftime("%d/%m/%Y") in page
    assert 'id="blackout-calendar"' in page


def test_visit_on_an_exam_day_is_blocked_with_the_reason_on_the_page(clerk_a):
    arrival = far_arrival()
    exam_day(arrival)
    client = login(clerk_a)
    visit = file_visit(client, arrival=arrival)
    response = client.post(f"/doan-vao/{visit.pk}/trinh/", {})
    assert response.status_code == 422
    assert "Kỳ thi tốt nghiệp THPT" in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == InboundStatus.DRAFT


def test_clerk_withdraws_a_submitted_visit_from_its_page(clerk_a):
    client = login(clerk_a)
    visit = file_visit(client)
    submit(client, visit)
    response = client.post(f"/doan-vao/{visit.pk}/rut/", {"withdraw-reason": "Đối tác hoãn"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == InboundStatus.WITHDRAWN


def test_list_shows_the_visit_and_links_the_calendar(clerk_a):
    client = login(clerk_a)
    file_visit(client)
    page = client.get("/doan-vao/").content.decode()
    assert "Osaka Board of Education" in page and "/doan-vao/lich/" in page
    assert "Đoàn vào" in page
