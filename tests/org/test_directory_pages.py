import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from org import views
from tests.conftest import Org, login
from tests.factories import PassportFactory, PersonFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_log_in(org: Org) -> None:
    response = Client().get("/danh-ba/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_head_of_school_b_cannot_list_or_open_school_a(org: Org, teacher_a, head_a, head_b) -> None:
    client = login(head_b)
    listing = client.get("/danh-ba/").content.decode()
    assert "Trường THPT B" in listing
    assert "Trường THPT A" not in listing
    assert "Trường THPT A" not in client.get("/danh-ba/?q=THPT-A").content.decode()
    assert client.get("/danh-ba/don-vi/THPT-A/").status_code == 404
    assert client.get(f"/danh-ba/can-bo/{teacher_a.pk}/").status_code == 404
    assert client.get(f"/danh-ba/can-bo/{head_a.pk}/").status_code == 404


def test_head_of_school_a_sees_the_school_and_its_staff(org: Org, teacher_a, head_a) -> None:
    client = login(head_a)
    assert "Trường THPT A" in client.get("/danh-ba/").content.decode()
    unit_page = client.get("/danh-ba/don-vi/THPT-A/")
    assert unit_page.status_code == 200
    assert "Trần Thị Lan" in unit_page.content.decode()
    person_page = client.get(f"/danh-ba/can-bo/{teacher_a.pk}/")
    assert person_page.status_code == 200
    assert "Trần Thị Lan" in person_page.content.decode()


def test_department_reviewer_lists_both_schools(org: Org, dept_reviewer) -> None:
    html = login(dept_reviewer).get("/danh-ba/").content.decode()
    assert "Trường THPT A" in html
    assert "Trường THPT B" in html
    assert "UBND Phường 1" not in html


def test_auditor_opens_people_of_any_department_school(org: Org, head_b, auditor) -> None:
    client = login(auditor)
    assert client.get("/danh-ba/don-vi/THPT-B/").status_code == 200
    assert client.get(f"/danh-ba/can-bo/{head_b.pk}/").status_code == 200


def test_teacher_sees_own_school_but_only_themself_in_it(org: Org, teacher_a, head_a) -> None:
    client = login(teacher_a)
    html = client.get("/danh-ba/don-vi/THPT-A/").content.decode()
    assert "Trần Thị Lan" in html
    assert "Phạm Minh Hùng" not in html
    assert client.get(f"/danh-ba/can-bo/{head_a.pk}/").status_code == 404


def test_search_narrows_the_unit_list(org: Org, dept_reviewer) -> None:
    html = login(dept_reviewer).get("/danh-ba/", {"q": "văn phòng"}).content.decode()
    assert "Văn phòng Sở" in html
    assert "Trường THPT A" not in html


def test_invalid_search_shows_a_vietnamese_error_not_a_crash(org: Org, dept_reviewer) -> None:
    response = login(dept_reviewer).get("/danh-ba/", {"kind": "castle", "q": "x" * 101})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ. castle" in html
    assert "tối đa 100 kí tự" in html
    assert "Trường THPT A" not in html


def test_person_page_does_not_show_passport_numbers(org: Org, head_a, teacher_a) -> None:
    PassportFactory(person=teacher_a, number="B7654321")
    html = login(head_a).get(f"/danh-ba/can-bo/{teacher_a.pk}/").content.decode()
    assert "B7654321" not in html


def test_unit_list_pages_by_code(org: Org, dept_reviewer, monkeypatch) -> None:
    monkeypatch.setattr(views, "UNITS_PER_PAGE", 2)
    client = login(dept_reviewer)
    first = client.get("/danh-ba/")
    assert [u.code for u in first.context["units"]] == ["SGDDT", "SGDDT-VP"]
    second = client.get(first.context["next_url"])
    assert [u.code for u in second.context["units"]] == ["THPT-A", "THPT-B"]
    assert second.context["next_url"] is None


def test_unit_page_caps_the_people_list_with_a_note(org: Org, head_a, monkeypatch) -> None:
    monkeypatch.setattr(views, "PEOPLE_PER_UNIT", 2)
    PersonFactory.create_batch(3, unit=org.school_a)
    response = login(head_a).get("/danh-ba/don-vi/THPT-A/")
    assert len(response.context["people"]) == 2
    assert "Chỉ hiển thị 2 người đầu tiên" in response.content.decode()


def _page_queries(client: Client, path: str) -> int:
    client.get(path)  # warm the caches (content types, the jurisdiction), as a running server has
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_directory_page_queries_do_not_grow_with_rows(org: Org, auditor) -> None:
    client = login(auditor)
    few = _page_queries(client, "/danh-ba/")
    SchoolFactory.create_batch(30, parent=org.department, managing_authority=org.department)
    assert _page_queries(client, "/danh-ba/") == few


def test_unit_page_queries_do_not_grow_with_people(org: Org, head_a) -> None:
    client = login(head_a)
    PersonFactory.create_batch(2, unit=org.school_a)
    few = _page_queries(client, "/danh-ba/don-vi/THPT-A/")
    PersonFactory.create_batch(27, unit=org.school_a)
    assert _page_queries(client, "/danh-ba/don-vi/THPT-A/") == few
