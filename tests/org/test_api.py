import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import Org, login
from tests.factories import (
    TEST_PASSWORD,
    PassportFactory,
    PersonFactory,
    SchoolFactory,
    UserFactory,
    make_acting,
)

pytestmark = pytest.mark.django_db


def _codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


def _people_names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["full_name"] for row in response.json()["results"]}


# --- Token and authentication ------------------------------------------------------------------


def test_token_obtained_with_good_credentials_opens_the_api(head_a) -> None:
    response = Client().post(
        "/api/v1/auth/token/",
        {"username": "head_a", "password": TEST_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]

    me = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200
    assert me.json()["username"] == "head_a"


def test_token_refused_for_wrong_password_with_vietnamese_error(head_a) -> None:
    response = Client().post(
        "/api/v1/auth/token/",
        {"username": "head_a", "password": "wrong"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": {"non_field_errors": ["Tên đăng nhập hoặc mật khẩu không đúng."]}
    }


def test_token_request_without_fields_names_each_missing_field(db) -> None:
    response = Client().post("/api/v1/auth/token/", {}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "username": ["Trường này là bắt buộc."],
            "password": ["Trường này là bắt buộc."],
        }
    }


@pytest.mark.parametrize("path", ["/api/v1/me/", "/api/v1/units/", "/api/v1/people/"])
def test_anonymous_caller_gets_401(db, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Token")


def test_bad_token_gets_401(db) -> None:
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401


# --- Who am I ----------------------------------------------------------------------------------


def test_me_lists_own_roles_and_whom_the_user_is_acting_for(org: Org, head_a, clerk_a) -> None:
    today = timezone.localdate()
    make_acting(
        clerk_a.user, head_a.user, org.school_a, on=today, until=today + datetime.timedelta(days=2)
    )
    response = login(clerk_a).get("/api/v1/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "clerk_a"
    assert body["full_name"] == "Lê Văn Văn"
    assert body["person"] == clerk_a.pk
    unit = {"code": "THPT-A", "name": "Trường THPT A"}
    assert sorted(body["roles"], key=lambda r: r["role"]) == [
        {"role": "clerk", "unit": unit, "acting_for": None},
        {"role": "unit_head", "unit": unit, "acting_for": "head_a"},
    ]


def test_me_for_account_without_person_has_null_person(db) -> None:
    user = UserFactory(username="lonely")
    client = Client()
    client.force_login(user)
    body = client.get("/api/v1/me/").json()
    assert body == {"username": "lonely", "full_name": "lonely", "person": None, "roles": []}


# --- Units -------------------------------------------------------------------------------------


def test_head_of_school_b_cannot_list_or_open_school_a(org: Org, head_a, head_b) -> None:
    client = login(head_b)
    assert _codes(client.get("/api/v1/units/")) == {"THPT-B"}
    assert _codes(client.get("/api/v1/units/?q=THPT-A")) == set()
    assert client.get("/api/v1/units/THPT-A/").status_code == 404
    assert client.get("/api/v1/units/THPT-B/").status_code == 200


def test_head_of_school_a_can_open_school_a(org: Org, head_a) -> None:
    response = login(head_a).get("/api/v1/units/THPT-A/")
    assert response.status_code == 200
    assert response.json() == {
        "code": "THPT-A",
        "name": "Trường THPT A",
        "name_en": "",
        "kind": "school",
        "managing_authority": "SGDDT",
    }


def test_department_reviewer_sees_both_schools_but_not_the_ward(org: Org, dept_reviewer) -> None:
    codes = _codes(login(dept_reviewer).get("/api/v1/units/"))
    assert {"SGDDT", "SGDDT-VP", "THPT-A", "THPT-B"} == codes


def test_ward_chair_sees_the_ward_and_its_school_only(org: Org, ward_chair) -> None:
    assert _codes(login(ward_chair).get("/api/v1/units/")) == {"P-1", "TH-P1"}


def test_auditor_sees_every_unit_wards_included(org: Org, auditor) -> None:
    codes = _codes(login(auditor).get("/api/v1/units/?page_size=200"))
    assert codes == {"SGDDT", "SGDDT-VP", "THPT-A", "THPT-B", "P-1", "TH-P1"}


def test_teacher_sees_only_own_unit(org: Org, teacher_a) -> None:
    assert _codes(login(teacher_a).get("/api/v1/units/")) == {"THPT-A"}


def test_units_filter_by_kind_and_search(org: Org, dept_reviewer) -> None:
    client = login(dept_reviewer)
    assert _codes(client.get("/api/v1/units/?kind=school")) == {"THPT-A", "THPT-B"}
    assert _codes(client.get("/api/v1/units/?q=văn phòng")) == {"SGDDT-VP"}


def test_unknown_unit_kind_is_a_400_naming_the_field(org: Org, dept_reviewer) -> None:
    response = login(dept_reviewer).get("/api/v1/units/?kind=castle")
    assert response.status_code == 400
    assert response.json() == {"errors": {"kind": ["Loại đơn vị “castle” không hợp lệ."]}}


def test_null_character_in_search_is_a_400_not_a_crash(org: Org, dept_reviewer) -> None:
    response = login(dept_reviewer).get("/api/v1/people/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert response.json() == {"errors": {"q": ["Không được chứa ký tự rỗng (NUL)."]}}


def test_overlong_search_is_a_400_in_vietnamese(org: Org, dept_reviewer) -> None:
    response = login(dept_reviewer).get("/api/v1/units/", {"q": "x" * 101})
    assert response.status_code == 400
    assert response.json() == {"errors": {"q": ["Tối đa 100 ký tự."]}}


def test_forged_cursor_is_refused_in_vietnamese(org: Org, dept_reviewer) -> None:
    response = login(dept_reviewer).get("/api/v1/people/", {"cursor": "forged"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Con trỏ phân trang không hợp lệ."}


def test_missing_and_invisible_units_give_the_same_404(org: Org, head_b) -> None:
    client = login(head_b)
    invisible = client.get("/api/v1/units/THPT-A/")
    missing = client.get("/api/v1/units/NOPE/")
    assert invisible.status_code == missing.status_code == 404
    assert invisible.json() == missing.json() == {"detail": "Không tìm thấy."}


def test_unit_list_pages_with_a_next_cursor(org: Org, dept_reviewer) -> None:
    client = login(dept_reviewer)
    first = client.get("/api/v1/units/?page_size=1").json()
    assert set(first) == {"results", "next"}
    assert [u["code"] for u in first["results"]] == ["SGDDT"]
    assert first["next"]
    next_url = urlsplit(first["next"])
    second = client.get(f"{next_url.path}?{next_url.query}").json()
    assert [u["code"] for u in second["results"]] == ["SGDDT-VP"]


def test_last_page_has_no_next(org: Org, head_b) -> None:
    assert login(head_b).get("/api/v1/units/").json()["next"] is None


# --- People ------------------------------------------------------------------------------------


def test_head_of_school_b_cannot_list_or_open_people_of_school_a(
    org: Org, teacher_a, head_a, head_b
) -> None:
    client = login(head_b)
    assert _people_names(client.get("/api/v1/people/")) == {"Võ Thị Hoa"}
    assert _people_names(client.get("/api/v1/people/?unit=THPT-A")) == set()
    assert _people_names(client.get("/api/v1/people/?username=teacher_a")) == set()
    assert client.get(f"/api/v1/people/{teacher_a.pk}/").status_code == 404
    assert client.get(f"/api/v1/people/{head_a.pk}/").status_code == 404


def test_head_of_school_a_lists_and_opens_people_of_school_a(
    org: Org, teacher_a, head_a, head_b
) -> None:
    client = login(head_a)
    assert _people_names(client.get("/api/v1/people/")) == {"Trần Thị Lan", "Phạm Minh Hùng"}
    response = client.get(f"/api/v1/people/{teacher_a.pk}/")
    assert response.status_code == 200
    assert response.json() == {
        "id": teacher_a.pk,
        "full_name": "Trần Thị Lan",
        "username": "teacher_a",
        "staff_code": teacher_a.staff_code,
        "unit": "THPT-A",
        "position": "Giáo viên",
        "category": "vien_chuc",
        "key_leader": False,
    }
    assert client.get(f"/api/v1/people/{head_b.pk}/").status_code == 404


def test_teacher_sees_only_themself_among_people(org: Org, teacher_a, head_a) -> None:
    client = login(teacher_a)
    assert _people_names(client.get("/api/v1/people/")) == {"Trần Thị Lan"}
    assert client.get(f"/api/v1/people/{head_a.pk}/").status_code == 404


def test_department_reviewer_sees_people_of_both_schools(
    org: Org, teacher_a, head_b, ward_teacher, dept_reviewer
) -> None:
    names = _people_names(login(dept_reviewer).get("/api/v1/people/"))
    # School A's head and the Director come with ``org`` (every step has its holder).
    assert {"Trần Thị Lan", "Võ Thị Hoa", "Đặng Quốc Bảo", "Phạm Minh Hùng", "Nguyễn Văn Hiếu"} == (
        names
    )


def test_auditor_sees_people_across_the_department(
    org: Org, teacher_a, head_b, director, auditor
) -> None:
    names = _people_names(login(auditor).get("/api/v1/people/"))
    # School A's head and the reviewer come with ``org`` (every step has its holder).
    assert names == {
        "Trần Thị Lan",
        "Võ Thị Hoa",
        "Nguyễn Văn Hiếu",
        "Bùi Thanh Tra",
        "Phạm Minh Hùng",
        "Đặng Quốc Bảo",
    }


def test_people_filters_by_unit_username_and_search(
    org: Org, teacher_a, head_a, head_b, dept_reviewer
) -> None:
    client = login(dept_reviewer)
    assert _people_names(client.get("/api/v1/people/?unit=THPT-B")) == {"Võ Thị Hoa"}
    assert _people_names(client.get("/api/v1/people/?username=head_a")) == {"Phạm Minh Hùng"}
    assert _people_names(client.get("/api/v1/people/?q=lan")) == {"Trần Thị Lan"}
    assert _people_names(client.get(f"/api/v1/people/?q={head_b.staff_code}")) == {"Võ Thị Hoa"}


def test_people_api_never_exposes_passport_numbers(org: Org, head_a, teacher_a) -> None:
    passport = PassportFactory(person=teacher_a, number="B1234567")
    client = login(head_a)
    listing = client.get("/api/v1/people/")
    detail = client.get(f"/api/v1/people/{teacher_a.pk}/")
    assert passport.number not in listing.content.decode()
    assert passport.number not in detail.content.decode()


def _people_list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/people/?page_size=200")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_people_list_query_count_does_not_grow_with_rows(org: Org, head_a) -> None:
    client = login(head_a)
    PersonFactory.create_batch(2, unit=org.school_a)
    few = _people_list_queries(client)
    for _ in range(27):
        PersonFactory(unit=org.school_a, user=UserFactory())
    many = _people_list_queries(client)
    assert len(client.get("/api/v1/people/?page_size=200").json()["results"]) == 30
    assert few == many


def test_unit_list_query_count_does_not_grow_with_rows(org: Org, auditor) -> None:
    client = login(auditor)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/units/")
    SchoolFactory.create_batch(30, parent=org.department, managing_authority=org.department)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/units/")
    assert len(response.json()["results"]) == 36  # 6 units of the personas + 30 schools
    assert len(few.captured_queries) == len(many.captured_queries)


# --- Schema and docs ---------------------------------------------------------------------------


def test_openapi_schema_is_served(db) -> None:
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/me/", "/api/v1/units/", "/api/v1/people/{id}/"} <= set(paths)


def test_docs_page_loads_nothing_from_another_host(db) -> None:
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    assert re.search(r"https?://", html) is None
