"""Inbound visits through the HTTP API: every path a client can walk."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.models import AgencyNotification
from org.calendar import add_working_days, current_calendar
from tests.api_helpers import approve_all
from tests.conftest import login
from tests.delegations.inbound_helpers import (
    complete,
    create,
    detail,
    exam_day,
    far_arrival,
    open_human_task,
    payload,
    post,
    visit,
    visitor,
)
from tests.flows import submitted
from workflow.services import inbound_advance_by_dates

pytestmark = pytest.mark.django_db


def submit(client, visit_id, **body):
    return post(client, f"/api/v1/inbound/{visit_id}/submit/", body)


@pytest.fixture
def approved_vid(org, clerk_a, head_a, dept_reviewer, director, agencies):
    """A visit filed by school A's clerk through the API, approved by head, office and director."""
    client = login(clerk_a)
    vid = create(client)["id"]
    submit(client, vid)
    approve_all(vid, head_a, dept_reviewer, director, kind="inbound")
    return vid


def notices(visit_id, reason):
    return AgencyNotification.objects.filter(
        request_kind="inbound", request_id=visit_id, reason=reason
    )


def test_clerk_files_a_visit_numbered_on_submission_and_approved_by_the_director(
    org, clerk_a, head_a, dept_reviewer, director, agencies
):
    client = login(clerk_a)
    created = create(client)
    assert created["reference"] is None and created["status"] == "draft"
    assert created["host_unit"]["code"] == "THPT-A"
    assert created["visitors"][0]["passport_number"].startswith("•")

    response = submit(client, created["id"])
    assert response.status_code == 200, response.json()
    assert response.json()["reference"] == f"THPT-A/ĐV/{datetime.date.today().year}/0001"
    assert response.json()["route"] == "DEPT"
    approve_all(created["id"], head_a, dept_reviewer, director, kind="inbound")

    body = detail(client, created["id"])
    assert body["status"] == "approved"
    actions = [event["action"] for event in body["history"]]
    assert "inbound.submitted" in actions and "inbound.approved" in actions
    arrival = datetime.date.fromisoformat(body["arrival_date"])
    due = add_working_days(arrival, -4, current_calendar()).isoformat()
    assert sorted(n["agency"] for n in body["notifications"]) == ["Công an TP", "Sở Ngoại vụ"]
    assert {n["due"] for n in body["notifications"]} == {due}


def test_checks_preview_names_the_deciders_of_a_visit(org, clerk_a, head_a, director):
    client = login(clerk_a)
    created = create(client)
    preview = client.get(f"/api/v1/inbound/{created['id']}/checks/").json()
    assert preview["route"] == "DEPT"
    assert preview["approvers"][0]["role"] == "unit_head"
    assert {c["rule"] for c in preview["checks"]} >= {"IN-BLACKOUT", "IN-VISITOR-DATA"}


def test_ward_school_visit_is_decided_by_the_ward_chair_and_the_department_is_informed(
    org, ward_teacher, ward_head, ward_chair, dept_reviewer, agencies
):
    client = login(ward_teacher)
    created = create(client)
    vid = created["id"]
    assert submit(client, vid).json()["route"] == "WARD"
    assert login(dept_reviewer).get(f"/api/v1/inbound/{vid}/").status_code == 404
    assert complete(login(ward_head), vid).status_code == 200
    assert open_human_task(login(ward_chair), vid)["step"] == "decide_by_ward_chair"
    assert complete(login(ward_chair), vid).status_code == 200

    body = detail(login(dept_reviewer), vid)
    assert body["status"] == "approved"
    informed = [e for e in body["history"] if e["action"] == "inbound.department_informed"]
    assert informed and informed[0]["after"]["department"] == "SGDDT"
    assert notices(vid, "approval").count() == 2


def test_conference_goes_to_the_city_and_the_city_decision_is_recorded(
    org, clerk_a, head_a, dept_reviewer, director, agencies
):
    client = login(clerk_a)
    created = create(client, purpose_category="conference", is_conference=True)
    vid = created["id"]
    assert submit(client, vid).json()["route"] == "CITY"
    assert complete(login(head_a), vid).status_code == 200
    assert complete(login(dept_reviewer), vid).status_code == 200
    assert open_human_task(login(director), vid)["step"] == "propose_by_director"
    assert complete(login(director), vid).status_code == 200
    task = open_human_task(login(dept_reviewer), vid)
    assert task["step"] == "record_city_decision"
    response = post(
        login(dept_reviewer),
        f"/api/v1/tasks/{task['id']}/complete/",
        {
            "action": "approve",
            "outcome": "approve",
            "decision_number": "1234/QĐ-UBND",
            "decision_date": datetime.date.today().isoformat(),
        },
    )
    assert response.status_code == 200, response.json()
    body = detail(client, vid)
    assert body["status"] == "approved"
    assert body["decision_number"] == "1234/QĐ-UBND"


def test_unit_head_rejects_with_a_comment(org, clerk_a, head_a):
    vid = create(login(clerk_a))["id"]
    submit(login(clerk_a), vid)
    assert complete(login(head_a), vid, action="reject").status_code == 400
    response = complete(login(head_a), vid, action="reject", comment="Trùng lịch kiểm tra")
    assert response.status_code == 200
    assert detail(login(clerk_a), vid)["status"] == "rejected"


def test_returned_visit_is_edited_resubmitted_and_comes_back_to_the_same_reviewer(
    org, clerk_a, head_a, dept_reviewer, director, agencies
):
    client = login(clerk_a)
    vid = create(client)["id"]
    submit(client, vid)
    complete(login(head_a), vid)
    response = complete(
        login(dept_reviewer),
        vid,
        action="return",
        comment="Thiếu chương trình chi tiết",
        missing_items=["Chương trình làm việc theo giờ"],
    )
    assert response.status_code == 200, response.json()
    assert detail(client, vid)["status"] == "returned"

    edited = client.patch(
        f"/api/v1/inbound/{vid}/",
        {"programme": "08:30 đón khách; 09:00 dự giờ; 11:00 tọa đàm"},
        content_type="application/json",
    )
    assert edited.status_code == 200, edited.json()
    assert edited.json()["visitors"][0]["full_name"] == "Tanaka Hiroshi"
    assert visit(vid).visitors.get().passport_number.startswith("TK")
    assert submit(client, vid).status_code == 200
    # The programme is content the head's approval covered: it lapsed, the head sees it again.
    assert open_human_task(login(head_a), vid)["step"] == "review_by_unit_head"
    assert complete(login(head_a), vid).status_code == 200
    task = open_human_task(login(dept_reviewer), vid)
    assert task["step"] == "review_by_department" and task["assigned_to"] == "dept_reviewer"
    assert complete(login(dept_reviewer), vid).status_code == 200
    assert complete(login(director), vid).status_code == 200
    assert detail(client, vid)["status"] == "approved"


def test_withdraw_before_the_decision_closes_every_open_step(org, clerk_a, head_a):
    client = login(clerk_a)
    vid = create(client)["id"]
    submit(client, vid)
    response = post(client, f"/api/v1/inbound/{vid}/withdraw/", {"reason": "Đối tác hoãn"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "withdrawn"
    assert response.json()["current_tasks"] == []
    assert (
        post(client, f"/api/v1/inbound/{vid}/withdraw/", {"reason": "Lần nữa"}).status_code == 409
    )


def test_cancel_after_approval_tells_the_police_and_foreign_affairs(
    clerk_a, dept_reviewer, approved_vid
):
    client = login(clerk_a)
    vid = approved_vid
    assert post(client, f"/api/v1/inbound/{vid}/cancel/", {"reason": ""}).status_code == 400
    response = post(client, f"/api/v1/inbound/{vid}/cancel/", {"reason": "Đoàn khách hủy chuyến"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "cancelled"
    assert notices(vid, "cancellation").count() == 2


def test_visit_life_residence_amendment_and_report_returned_once_then_accepted(
    clerk_a, dept_reviewer, approved_vid
):
    client = login(clerk_a)
    vid = approved_vid

    response = post(client, f"/api/v1/inbound/{vid}/residence-declared/", {"note": "Khách sạn Rex"})
    assert response.status_code == 200, response.json()
    assert response.json()["residence_declared_at"]
    again = post(client, f"/api/v1/inbound/{vid}/residence-declared/")
    assert again.status_code == 409

    arrival = visit(vid).arrival_date
    assert inbound_advance_by_dates(today=arrival) == 1
    assert detail(client, vid)["status"] == "visiting"

    current = detail(client, vid)
    new_departure = datetime.date.fromisoformat(current["departure_date"]) + datetime.timedelta(1)
    response = post(
        client,
        f"/api/v1/inbound/{vid}/amend/",
        {
            "reason": "Thêm một giáo viên, kéo dài một ngày",
            "visitors": [*current["visitors"], visitor("Sato Yuki")],
            "departure_date": new_departure.isoformat(),
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [v["full_name"] for v in body["visitors"]] == ["Tanaka Hiroshi", "Sato Yuki"]
    assert visit(vid).visitors.first().passport_number.startswith("TK")
    assert notices(vid, "amendment").count() == 2
    amended = [e for e in body["history"] if e["action"] == "inbound.amended"]
    assert len(amended[0]["before"]["visitors"]) == 1 and len(amended[0]["after"]["visitors"]) == 2
    assert amended[0]["after"]["departure_date"] == new_departure.isoformat()
    assert amended[0]["comment"] == "Thêm một giáo viên, kéo dài một ngày"

    assert inbound_advance_by_dates(today=new_departure + datetime.timedelta(1)) == 1
    body = detail(client, vid)
    assert body["status"] == "visit_ended"
    assert body["report_due"] == (new_departure + datetime.timedelta(15)).isoformat()

    assert post(client, f"/api/v1/inbound/{vid}/report/", {"text": "Lần 1"}).status_code == 200
    response = complete(login(dept_reviewer), vid, action="return", comment="Bổ sung kết quả")
    assert response.status_code == 200
    assert post(client, f"/api/v1/inbound/{vid}/report/", {"text": "Lần 2"}).status_code == 200
    assert complete(login(dept_reviewer), vid, action="accept").status_code == 200
    body = detail(client, vid)
    assert body["status"] == "closed" and body["report_text"] == "Lần 2"


def test_amendment_with_an_expiring_passport_is_refused_and_changes_nothing(
    clerk_a, dept_reviewer, approved_vid
):
    client = login(clerk_a)
    vid = approved_vid
    arrival = visit(vid).arrival_date
    response = post(
        client,
        f"/api/v1/inbound/{vid}/amend/",
        {"reason": "Thêm khách", "visitors": [visitor(passport_expiry=arrival.isoformat())]},
    )
    assert response.status_code == 422
    assert "hộ chiếu hết hạn" in response.json()["checks"][0]["message"]
    assert visit(vid).visitors.get().passport_expiry == datetime.date(2035, 1, 1)
    assert notices(vid, "amendment").count() == 0


def test_visit_on_an_exam_day_is_blocked(org, clerk_a):
    arrival = far_arrival()
    exam_day(arrival)
    client = login(clerk_a)
    vid = create(client, arrival=arrival)["id"]
    response = submit(client, vid)
    assert response.status_code == 422
    checks = {c["rule"]: c["message"] for c in response.json()["checks"]}
    assert "trùng Kỳ thi tốt nghiệp THPT" in checks["IN-BLACKOUT"]
    assert detail(client, vid)["status"] == "draft" and detail(client, vid)["reference"] is None


def test_study_abroad_marketing_to_students_is_blocked(org, clerk_a):
    client = login(clerk_a)
    vid = create(client, involves_student_recruitment=True)["id"]
    response = submit(client, vid)
    assert response.status_code == 422
    message = response.json()["checks"][0]["message"]
    assert "Không được đón đoàn có nội dung tư vấn du học" in message


def test_visitor_whose_passport_expires_before_the_visit_ends_is_blocked(org, clerk_a):
    arrival = far_arrival()
    expiring = visitor("Kim Min-jun", passport_expiry=arrival.isoformat())
    client = login(clerk_a)
    vid = create(client, arrival=arrival, visitors=[visitor(), expiring])["id"]
    response = submit(client, vid)
    assert response.status_code == 422
    checks = {c["rule"]: c["message"] for c in response.json()["checks"]}
    assert f"Kim Min-jun: hộ chiếu hết hạn ngày {arrival:%d/%m/%Y}" in checks["IN-VISITOR-DATA"]


def test_head_of_other_school_gets_404_for_the_visit_and_its_task(org, clerk_a, head_a, head_b):
    vid = create(login(clerk_a))["id"]
    submit(login(clerk_a), vid)
    task_id = open_human_task(login(head_a), vid)["id"]
    client = login(head_b)
    assert client.get(f"/api/v1/inbound/{vid}/").status_code == 404
    assert client.get(f"/api/v1/inbound/{vid}/checks/").status_code == 404
    assert post(client, f"/api/v1/inbound/{vid}/withdraw/", {"reason": "x"}).status_code == 404
    assert (
        post(client, f"/api/v1/tasks/{task_id}/complete/", {"action": "approve"}).status_code == 404
    )
    assert client.get("/api/v1/inbound/").json()["results"] == []


def test_auditor_sees_every_visit_and_the_list_filters_by_status(org, clerk_a, auditor):
    create(login(clerk_a))
    results = login(auditor).get("/api/v1/inbound/?status=draft").json()["results"]
    assert [r["host_unit"] for r in results] == ["THPT-A"]
    assert login(auditor).get("/api/v1/inbound/?status=approved").json()["results"] == []


def test_invalid_visit_gets_400_with_field_errors(org, clerk_a):
    response = post(
        login(clerk_a),
        "/api/v1/inbound/",
        payload(country="Japan", purpose_category="tourism", visitors=[{"full_name": ""}]),
    )
    assert response.status_code == 400
    assert {"country", "purpose_category", "visitors"} <= set(response.json()["errors"])


def test_visitor_sheet_upload_replaces_the_draft_roster(org, clerk_a):
    client = login(clerk_a)
    vid = create(client)["id"]
    good = "Họ tên,Quốc tịch,Số hộ chiếu,Ngày hết hạn\nLee Ji-eun,KR,M12345678,31/12/2031\n"
    response = client.post(
        f"/api/v1/inbound/{vid}/visitors/import/",
        {"file": SimpleUploadedFile("khach.csv", good.encode(), "text/csv")},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["imported"] == 1
    assert [v["full_name"] for v in response.json()["visitors"]] == ["Lee Ji-eun"]

    bad = "Họ tên,Quốc tịch,Số hộ chiếu,Ngày hết hạn\nPark Soo,Korea,M1,31/02/2031\n"
    response = client.post(
        f"/api/v1/inbound/{vid}/visitors/import/",
        {"file": SimpleUploadedFile("khach.csv", bad.encode(), "text/csv")},
    )
    assert response.status_code == 400
    messages = response.json()["errors"]["file"]
    assert any(m.startswith('Dòng 2, cột "Quốc tịch"') for m in messages)
    assert any(m.startswith('Dòng 2, cột "Ngày hết hạn"') for m in messages)
    assert [v.full_name for v in visit(vid).visitors.all()] == ["Lee Ji-eun"]


def test_visit_waits_in_the_unit_heads_queue_under_the_inbound_kind(
    org, clerk_a, head_a, teacher_a
):
    submitted(teacher_a)
    vid = create(login(clerk_a))["id"]
    submit(login(clerk_a), vid)
    rows = login(head_a).get("/api/v1/tasks/?scope=queue&kind=inbound").json()["results"]
    assert [(r["request"]["kind"], r["request"]["id"], r["step"]) for r in rows] == [
        ("inbound", vid, "review_by_unit_head")
    ]
