"""A form or an API call refused by the CSRF check (the page stayed open across a log-out or a
new log-in, or the browser dropped the cookie) is told why in the person's language, with the
way back; nothing is done."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from delegations.models import OutboundRequest

pytestmark = pytest.mark.django_db

STALE = "Trang đã hết hạn hoặc phiên đăng nhập đã thay đổi"


def checked_client(person) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(person.user)
    return client


def test_a_form_posted_with_a_stale_token_is_refused_in_vietnamese_with_the_way_back(
    org, teacher_a
):
    client = checked_client(teacher_a)
    client.get("/doan-ra/moi/")  # the form, and its token, as the browser had it

    response = client.post(
        "/doan-ra/moi/", {"purpose": "Hội thảo", "csrfmiddlewaretoken": "x" * 64}
    )

    assert response.status_code == 403
    html = response.content.decode()
    assert STALE in html and "không có gì được lưu" in html
    assert 'href="/doan-ra/moi/"' in html  # reopened, the page carries a fresh token
    assert "CSRF verification failed" not in html  # not Django's English page
    assert not OutboundRequest.objects.exists()


def test_an_api_call_on_the_session_without_its_token_is_refused_in_vietnamese(org, teacher_a):
    client = checked_client(teacher_a)

    response = client.post(
        "/api/v1/outbound/", {"purpose": "Hội thảo"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert STALE in response.json()["detail"]
    assert not OutboundRequest.objects.exists()


def test_the_refusal_is_in_english_for_who_chose_english(org, teacher_a):
    client = checked_client(teacher_a)
    client.get("/")
    token = client.cookies["csrftoken"].value
    client.post(reverse("set_language"), {"language": "en", "next": "/"}, HTTP_X_CSRFTOKEN=token)

    page = client.post("/doan-ra/moi/", {"purpose": "x"})
    api = client.post("/api/v1/outbound/", {"purpose": "x"}, content_type="application/json")

    assert page.status_code == 403 and "The page has expired" in page.content.decode()
    assert api.status_code == 403 and "The page has expired" in api.json()["detail"]
