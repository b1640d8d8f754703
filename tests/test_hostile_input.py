"""Malformed input at the edges gets a clear 400 (or 413), never a 500, and changes nothing."""

from __future__ import annotations

import pytest

from delegations.models import OutboundRequest
from tests.conftest import login
from tests.flows import draft

pytestmark = pytest.mark.django_db


def send(client, method: str, path: str, body: str | bytes):
    return getattr(client, method)(path, body, content_type="application/json")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("[1, 2, 3]", "đối tượng JSON"),
        ('"chuỗi"', "đối tượng JSON"),
        ("{bad json", "JSON không hợp lệ"),
        ("[" * 50_000 + "]" * 50_000, "JSON"),
        ('{"a": ' * 30 + "1" + "}" * 30, "lồng nhau quá sâu"),
        ('{"purpose": "a\\u0000b"}', "ký tự rỗng (NUL)"),
        ('{"members": [{"person": 99999999999999999999999999}]}', "quá lớn"),
        ('{"cost": NaN}', "JSON không hợp lệ"),
    ],
)
def test_a_malformed_json_body_is_a_400_with_a_reason_and_changes_nothing(
    org, teacher_a, body, words
):
    request = draft(teacher_a)
    before = OutboundRequest.objects.get(pk=request.pk).version
    response = send(login(teacher_a), "patch", f"/api/v1/outbound/{request.pk}/", body)
    assert response.status_code == 400, response.content[:200]
    assert words in response.json()["errors"]["body"][0]
    assert OutboundRequest.objects.get(pk=request.pk).version == before


def test_a_body_past_the_limit_is_a_413(org, teacher_a, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    request = draft(teacher_a)
    body = '{"purpose": "' + "x" * 2048 + '"}'
    response = send(login(teacher_a), "patch", f"/api/v1/outbound/{request.pk}/", body)
    assert response.status_code == 413
    assert "quá lớn" in response.json()["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/outbound/?status=a%00b",
        "/api/v1/tasks/?step=%00",
        "/doan-ra/?q=%00",
        "/danh-ba/?q=%01",
    ],
)
def test_a_control_character_in_a_filter_is_a_400(org, teacher_a, path):
    response = login(teacher_a).get(path)
    assert response.status_code == 400
    assert "Không được chứa ký tự" in response.content.decode()


@pytest.mark.parametrize("number", ["²", "٣", "99999999999999999999999"])
@pytest.mark.parametrize(
    "page",
    [
        "/api/v1/notifications/?request=outbound:",
        "/thong-bao/?truoc=",
        "/van-ban/?request=outbound:",
    ],
)
def test_digits_that_are_not_plain_ascii_are_never_a_500(org, teacher_a, page, number):
    """A superscript, an Arabic-Indic digit or a number past any id: refused or ignored."""
    response = login(teacher_a).get(page + number)
    assert response.status_code in (200, 400), page + number


@pytest.mark.parametrize("verb", ["options", "put", "delete"])
def test_task_actions_answer_other_methods_without_a_500(org, teacher_a, verb):
    client = login(teacher_a)
    for path in ("/api/v1/tasks/1/claim/", "/api/v1/tasks/1/release/", "/api/v1/tasks/claim/"):
        response = getattr(client, verb)(path)
        assert response.status_code in (200, 404, 405), (verb, path, response.status_code)


def test_a_forged_form_count_is_refused_quickly_and_creates_nothing(org, teacher_a):
    response = login(teacher_a).post(
        "/doan-ra/moi/",
        {
            "members-TOTAL_FORMS": "10000",
            "members-INITIAL_FORMS": "0",
            "stops-TOTAL_FORMS": "10000",
            "stops-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code in (200, 400)  # the form again, with its errors
    # Django builds at most absolute_max forms whatever TOTAL_FORMS claims: 200 members and
    # 50 stops, not 10,000 of each (which took 15 s); the form says how many are allowed.
    assert len(response.context["members"].forms) <= 200
    assert len(response.context["stops"].forms) <= 50
    assert response.context["members"].non_form_errors()
    assert not OutboundRequest.objects.exists()


def test_member_errors_reveal_neither_names_nor_existence(org, teacher_a, head_b):
    client = login(teacher_a)

    def refused(person_id: int) -> list[str]:
        response = client.post(
            "/api/v1/outbound/",
            {
                "kind": "official",
                "purpose_category": "study",
                "purpose": "Khảo sát",
                "departure_date": "2027-03-01",
                "return_date": "2027-03-05",
                "funding_source": "unit_revenue",
                "members": [{"person": person_id, "role": "head"}],
                "itinerary": [{"country": "JP", "days": 3, "cities": "Osaka"}],
            },
            content_type="application/json",
        )
        assert response.status_code == 400, response.content
        messages: list[str] = response.json()["errors"]["members"]
        return messages

    other_unit = refused(head_b.pk)
    missing = refused(head_b.pk + 10_000)
    assert other_unit == missing
    assert head_b.full_name not in " ".join(other_unit)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/tasks/claim/", {"ids": ["1", "292732496461882567877926206832640"]}),
        ("/api/v1/tasks/claim/", {"ids": ["²"]}),
    ],
)
def test_a_form_encoded_id_too_large_for_its_column_is_a_400(org, teacher_a, path, body):
    response = login(teacher_a).post(path, body)  # multipart: not through the JSON parser
    assert response.status_code == 400, response.content[:300]
    assert "errors" in response.json()


def test_a_page_id_too_large_for_its_column_is_never_a_500(org, teacher_a):
    client = login(teacher_a)
    for path in (
        "/doan-ra/?before=99999999999999999999999",
        "/doan-vao/?before=99999999999999999999",
    ):
        assert client.get(path).status_code in (200, 400), path
