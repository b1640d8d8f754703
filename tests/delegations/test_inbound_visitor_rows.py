"""Typing the visitors of an inbound visit on the form: add, edit and remove rows, read by the
same reader as the partner's sheet; the downloadable sheet template; who may do it."""

from __future__ import annotations

import html
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.models import AuditEvent
from delegations.models import InboundVisit
from delegations.services.visitor_import import (
    VISITOR_COLUMNS,
    VisitorSheetError,
    parse_visitor_sheet,
)
from tests.conftest import login
from tests.delegations.test_inbound_pages import form_data
from tests.flows import draft_visit, submit

pytestmark = pytest.mark.django_db

TANAKA = {
    "full_name": "Tanaka Hiroshi",
    "nationality": "jp",
    "passport_number": "TK1234567",
    "passport_expiry": "2035-01-01",
    "date_of_birth": "1975-04-02",
    "organisation": "Osaka Board of Education",
    "title": "Director",
}
SATO = {**TANAKA, "full_name": "Sato Yuki", "passport_number": "TK7654321", "title": "Teacher"}


def rows(*visitors: dict[str, str], initial: int = 0, deleted: tuple[int, ...] = ()) -> dict:
    data: dict[str, object] = {
        "visitors-TOTAL_FORMS": str(len(visitors)),
        "visitors-INITIAL_FORMS": str(initial),
        "visitors-MIN_NUM_FORMS": "0",
        "visitors-MAX_NUM_FORMS": "500",
    }
    for i, visitor in enumerate(visitors):
        for key, value in visitor.items():
            data[f"visitors-{i}-{key}"] = value
        if i in deleted:
            data[f"visitors-{i}-DELETE"] = "on"
    return data


def create(client, *visitors: dict[str, str]):
    return client.post("/doan-vao/moi/", {**form_data(), **rows(*visitors)})


def created_visit(response) -> InboundVisit:
    assert response.status_code == 302, response.content.decode()[:3000]
    pk = int(re.search(r"/doan-vao/(\d+)/", response["Location"]).group(1))  # type: ignore[union-attr]
    return InboundVisit.objects.get(pk=pk)


def roster(visit: InboundVisit) -> list[tuple[str, str, str]]:
    return [
        (v.full_name, v.nationality, v.passport_number)
        for v in visit.visitors.order_by("order", "pk")
    ]


def test_clerk_types_two_visitors_and_the_blank_row_is_ignored(clerk_a):
    client = login(clerk_a)
    page = client.get("/doan-vao/moi/").content.decode()
    assert 'name="visitors-0-full_name"' in page and "Thêm dòng" in page
    visit = created_visit(create(client, TANAKA, SATO, {"full_name": "", "nationality": ""}))
    assert roster(visit) == [
        ("Tanaka Hiroshi", "JP", "TK1234567"),
        ("Sato Yuki", "JP", "TK7654321"),
    ]


def test_edit_changes_removes_and_adds_rows_and_the_change_is_audited(clerk_a):
    client = login(clerk_a)
    visit = created_visit(create(client, TANAKA, SATO))
    page = client.get(f"/doan-vao/{visit.pk}/sua/").content.decode()
    assert 'value="Sato Yuki"' in page and 'name="visitors-2-full_name"' in page
    park = {**TANAKA, "full_name": "Park Ji-woo", "nationality": "KR", "passport_number": "M123"}
    renamed = {**TANAKA, "title": "Superintendent"}
    response = client.post(
        f"/doan-vao/{visit.pk}/sua/",
        {**form_data(version=visit.version), **rows(renamed, SATO, park, initial=2, deleted=(1,))},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    visit.refresh_from_db()
    assert roster(visit) == [
        ("Tanaka Hiroshi", "JP", "TK1234567"),
        ("Park Ji-woo", "KR", "M123"),
    ]
    assert visit.visitors.get(full_name="Tanaka Hiroshi").title == "Superintendent"
    assert AuditEvent.objects.filter(action="inbound.updated", object_id=str(visit.pk)).exists()


def test_add_row_shows_one_more_empty_row_and_saves_nothing(clerk_a):
    client = login(clerk_a)
    response = client.post("/doan-vao/moi/", {**form_data(), **rows(TANAKA), "add_visitor": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Tanaka Hiroshi"' in page and 'name="visitors-1-full_name"' in page
    assert not InboundVisit.objects.exists()


def sheet_errors(*visitors: dict[str, str]) -> list[str]:
    keys = list(TANAKA)
    text = ",".join(str(c.label) for c in VISITOR_COLUMNS) + "\n"
    text += "".join(",".join(v.get(k, "") for k in keys) + "\n" for v in visitors)
    with pytest.raises(VisitorSheetError) as caught:
        parse_visitor_sheet(text.encode(), "khach.csv")
    return [str(e.message) for e in caught.value.row_errors]


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({**SATO, "nationality": "Japan"}, "nationality"),
        ({**SATO, "passport_number": "TK1234567"}, "passport_number"),
        ({**SATO, "passport_number": "TK-12"}, "passport_number"),
        ({**SATO, "passport_expiry": "31/02/2031"}, "passport_expiry"),
        ({**SATO, "passport_expiry": "1970-01-01"}, "passport_expiry"),
        ({**SATO, "date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({**SATO, "full_name": ""}, "full_name"),
        ({**SATO, "passport_expiry": ""}, "passport_expiry"),
    ],
)
def test_a_bad_typed_row_is_refused_with_the_import_s_own_message(clerk_a, bad, field):
    response = create(login(clerk_a), TANAKA, bad)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    expected = sheet_errors(TANAKA, bad)
    assert expected
    for message in expected:
        # A sheet counts its header line; typed rows are numbered as shown ("Khách 1").
        assert re.sub(r"\d+", "N", message) in re.sub(r"\d+", "N", page)
    assert f'id="id_visitors-1-{field}_errors"' in page
    assert "Danh sách khách có lỗi" in page
    assert not InboundVisit.objects.exists()


def test_a_forged_row_count_is_bounded_and_answered_plainly(clerk_a):
    data = {**form_data(), **rows(TANAKA), "visitors-TOTAL_FORMS": "100000"}
    response = login(clerk_a).post("/doan-vao/moi/", data)
    assert response.status_code == 400
    assert not InboundVisit.objects.exists()
    too_many = {**form_data(), **rows(*[{"full_name": f"Khách {i}"} for i in range(501)])}
    response = login(clerk_a).post("/doan-vao/moi/", too_many)
    assert response.status_code == 400
    assert "500" in response.content.decode()
    assert not InboundVisit.objects.exists()


def test_template_has_exactly_the_import_columns_and_filled_in_it_imports(clerk_a):
    client = login(clerk_a)
    response = client.get("/doan-vao/mau-danh-sach-khach.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header == [str(c.label) for c in VISITOR_COLUMNS]
    sheet.append(["Tanaka Hiroshi", "JP", "TK1234567", "01/01/2035", "02/04/1975", "BoE", "Dir"])
    sheet.append(["Sato Yuki", "JP", "TK7654321", "30/06/2034", "12/09/1980", "Osaka BoE", "T"])
    filled = io.BytesIO()
    workbook.save(filled)
    assert [v.full_name for v in parse_visitor_sheet(filled.getvalue(), "mau.xlsx")] == [
        "Tanaka Hiroshi",
        "Sato Yuki",
    ]
    upload = SimpleUploadedFile("mau.xlsx", filled.getvalue())
    visit = created_visit(client.post("/doan-vao/moi/", {**form_data(), "visitor_file": upload}))
    assert [n for n, _c, _p in roster(visit)] == ["Tanaka Hiroshi", "Sato Yuki"]
    # The form links the template.
    assert "/doan-vao/mau-danh-sach-khach.xlsx" in client.get("/doan-vao/moi/").content.decode()


def test_template_needs_a_log_in(client):
    response = client.get("/doan-vao/mau-danh-sach-khach.xlsx")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_rows_cannot_be_changed_once_submitted_nor_by_another_school(clerk_a, head_b, teacher_a):
    visit = draft_visit(clerk_a)
    before = roster(visit)
    other = login(head_b).post(
        f"/doan-vao/{visit.pk}/sua/", {**form_data(version=visit.version), **rows(SATO)}
    )
    assert other.status_code == 404
    submit(visit, clerk_a)
    response = login(clerk_a).post(
        f"/doan-vao/{visit.pk}/sua/", {**form_data(version=visit.version), **rows(SATO)}
    )
    assert response.status_code == 409
    assert 'name="visitors-0-full_name"' not in response.content.decode()
    visit.refresh_from_db()
    assert roster(visit) == before


def test_a_teacher_cannot_change_the_clerk_s_visitor_rows(clerk_a, teacher_a):
    visit = draft_visit(clerk_a)
    before = roster(visit)
    client = login(teacher_a)
    assert client.get(f"/doan-vao/{visit.pk}/sua/").status_code in {403, 404}
    response = client.post(
        f"/doan-vao/{visit.pk}/sua/", {**form_data(version=visit.version), **rows(SATO)}
    )
    assert response.status_code in {403, 404}
    visit.refresh_from_db()
    assert roster(visit) == before
