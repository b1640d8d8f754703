"""Headers on every page: a Content-Security-Policy, and no caching of a signed-in user's pages."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_signed_in_pages_are_private_and_not_stored(org, teacher_a):
    response = login(teacher_a).get("/doan-ra/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_pages_carry_a_policy_without_inline_scripts(org, teacher_a):
    policy = login(teacher_a).get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("style-src-attr")[0]
    assert "frame-ancestors 'none'" in policy


def test_anonymous_pages_have_the_policy_too():
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response


def test_the_api_swagger_page_runs_its_inline_viewer(org, teacher_a):
    response = login(teacher_a).get("/api/v1/docs/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
