"""Countries are picked by name and stored as ISO codes; an unknown code is refused clearly."""

from __future__ import annotations

import pytest

from config.countries import COUNTRY_CODES, country_choices, country_label, country_name
from org.models import Person
from tests.api_helpers import post
from tests.conftest import Org, login
from tests.delegations.page_helpers import form_data
from tests.delegations.test_outbound_api import payload
from tests.flows import draft

pytestmark = pytest.mark.django_db


def test_names_come_in_the_readers_language_with_the_departments_official_names() -> None:
    assert country_name("sg") == "Singapore" and country_name("SI") == "Slovenia"
    assert country_name("HK") == "Hồng Kông (Trung Quốc)"
    assert country_label("KR", "en") == "South Korea" and country_label("KR", "vi") == "Hàn Quốc"
    names = [name for _code, name in country_choices("vi")]
    assert names.index("Ai Cập") < names.index("Ấn Độ") < names.index("Đức") < names.index("Hà Lan")
    assert len(COUNTRY_CODES) > 240 and "EU" not in COUNTRY_CODES


def test_request_form_offers_a_picker_of_named_countries(org: Org, clerk_a: Person) -> None:
    html = login(clerk_a).get("/doan-ra/moi/").content.decode()

    assert '<select id="id_stops-0-country" name="stops-0-country">' in html
    assert '<option value="SG">Singapore</option>' in html
    assert '<option value="JP">Nhật Bản</option>' in html
    assert '<select id="id_inviter_country" name="inviter_country">' in html


def test_unknown_country_code_is_refused_on_the_page_and_in_the_api(
    org: Org, clerk_a: Person, teacher_a: Person
) -> None:
    client = login(clerk_a)
    data = form_data(teacher_a, **{"stops-0-country": "XQ"})
    response = client.post("/doan-ra/moi/", data)
    assert response.status_code == 400
    assert "Không có quốc gia nào mang mã “XQ”" in response.content.decode()

    api = post(login(teacher_a), "/api/v1/outbound/", payload(teacher_a, inviter={"country": "xq"}))
    assert api.status_code == 400
    assert "Không có quốc gia nào mang mã “xq”" in str(api.json())

    lower = post(
        login(teacher_a), "/api/v1/outbound/", payload(teacher_a, inviter={"country": "sg"})
    )
    assert lower.status_code == 201, lower.json()
    assert lower.json()["inviter"]["country"] == "SG"  # the API keeps the ISO code


def test_pages_show_country_names_not_codes(org: Org, teacher_a: Person) -> None:
    request = draft(teacher_a)
    client = login(teacher_a)

    html = client.get(f"/doan-ra/{request.pk}/").content.decode()
    assert "<td>Nhật Bản</td>" in html and "<td>JP</td>" not in html

    client.cookies["django_language"] = "en"
    assert "<td>Japan</td>" in client.get(f"/doan-ra/{request.pk}/").content.decode()
