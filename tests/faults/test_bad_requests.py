"""Requests Django itself refuses (too many fields, a body past the limit, a host not in
ALLOWED_HOSTS) are answered 400 with our own page, or JSON under /api/, saying why in
Vietnamese; never viewflow's page, never a 500, and nothing is saved."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from delegations.models import OutboundRequest
from tests.conftest import login

pytestmark = pytest.mark.django_db

TOO_MANY_FIELDS = {f"truong{i}": "x" for i in range(1_100)}  # Django's limit is 1,000


def test_a_form_with_too_many_fields_is_refused_with_a_reason(org, teacher_a):
    client = login(teacher_a)
    client.raise_request_exception = False
    before = OutboundRequest.objects.count()

    page = client.post("/doan-ra/moi/", TOO_MANY_FIELDS)
    api = client.post("/api/v1/outbound/", TOO_MANY_FIELDS)

    assert page.status_code == 400
    html = page.content.decode()
    assert "quá nhiều trường" in html and "không có gì được lưu" in html
    assert "ヽ(ಠ_ಠ)ノ" not in html and "Bad Request" not in html  # not viewflow's page
    assert api.status_code == 400
    assert "quá nhiều trường" in api.json()["errors"]["non_field_errors"][0]
    assert OutboundRequest.objects.count() == before


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1_000)
def test_a_body_past_the_limit_is_refused_with_a_reason(org, teacher_a):
    client = login(teacher_a)
    client.raise_request_exception = False

    page = client.post("/doan-ra/moi/", {"purpose": "x" * 2_000})

    assert page.status_code == 400
    assert "quá lớn" in page.content.decode()


def test_a_host_the_site_does_not_serve_is_a_400_not_a_500():
    client = Client(raise_request_exception=False, HTTP_HOST="gia-mao.example")

    page, api = client.get("/"), client.get("/api/v1/outbound/")

    assert page.status_code == 400
    assert "Địa chỉ máy chủ" in page.content.decode()
    assert api.status_code == 400
    assert "Địa chỉ máy chủ" in api.json()["errors"]["non_field_errors"][0]


def test_the_reason_is_in_english_for_who_chose_english(org, teacher_a):
    client = login(teacher_a)
    client.raise_request_exception = False
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    page = client.post("/doan-ra/moi/", TOO_MANY_FIELDS)

    assert page.status_code == 400
    assert 'lang="en"' in page.content.decode()
    assert "too many fields; nothing was saved" in page.content.decode()
