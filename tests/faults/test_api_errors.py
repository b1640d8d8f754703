"""Every error under /api/ is JSON; a 500 carries a request id the user can quote."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_unknown_api_address_is_a_json_404(teacher_a):
    response = login(teacher_a).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Không tìm thấy."}


def test_unknown_page_address_stays_an_html_page(teacher_a):
    response = login(teacher_a).get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_wrong_method_on_the_api_is_a_json_405(teacher_a):
    response = login(teacher_a).delete("/api/v1/outbound/")
    assert response.status_code == 405
    assert "detail" in response.json()


def test_anonymous_api_caller_gets_json_401(client):
    response = client.get("/api/v1/outbound/")
    assert response.status_code == 401
    assert "detail" in response.json()


@pytest.mark.urls("tests.faults.urls")
def test_api_500_is_json_with_the_request_id_that_is_in_the_log(teacher_a, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(teacher_a.user)
    with caplog.at_level(logging.ERROR):
        response = client.get("/api/v1/broken/", HTTP_X_REQUEST_ID="req-7f3a")
    assert response.status_code == 500
    body = response.json()
    assert body["request_id"] == "req-7f3a" == response["X-Request-ID"]
    assert "quản trị" in body["detail"]
    assert "request_id=req-7f3a" in caplog.text


@pytest.mark.urls("tests.faults.urls")
def test_page_500_shows_the_request_id_to_quote(teacher_a):
    client = Client(raise_request_exception=False)
    client.force_login(teacher_a.user)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert f"<code>{response['X-Request-ID']}</code>" in response.content.decode()


def test_the_api_speaks_vietnamese_where_rest_framework_has_no_words_of_its_own(teacher_a):
    anonymous = Client().get("/api/v1/outbound/")
    assert anonymous.json() == {"detail": "Chưa đăng nhập: thiếu thông tin xác thực."}
    response = login(teacher_a).post("/api/v1/outbound/", {}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["departure_date"] == ["Trường này là bắt buộc."]


def test_the_api_answers_in_english_when_the_language_switch_says_so(teacher_a, settings):
    client = login(teacher_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/api/v1/outbound/", {}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["departure_date"] == ["This field is required."]
