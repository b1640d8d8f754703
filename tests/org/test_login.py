"""Log-in protection: wrong passwords lock the account and the address on every log-in path;
API tokens expire and die at log-out."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

WRONG_TRIES = 30


def form_login(client: Client, username: str, password: str) -> int:
    return client.post("/accounts/login/", {"username": username, "password": password}).status_code


def token_login(client: Client, username: str, password: str) -> int:
    return client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        content_type="application/json",
    ).status_code


def admin_login(client: Client, username: str, password: str) -> int:
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}
    ).status_code


@pytest.mark.parametrize("path", [form_login, token_login, admin_login])
def test_thirty_wrong_passwords_lock_the_account_and_the_right_one_no_longer_works(
    org, teacher_a, path
):
    client = Client(REMOTE_ADDR="10.0.0.7")
    username = teacher_a.user.username
    codes = [path(client, username, "sai-mat-khau") for _ in range(WRONG_TRIES)]
    assert 429 in codes
    # From another address too: the account itself is locked.
    response_code = path(Client(REMOTE_ADDR="10.0.0.8"), username, TEST_PASSWORD)
    assert response_code == 429


def test_the_lockout_says_why_in_vietnamese(org, teacher_a):
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(WRONG_TRIES):
        form_login(client, teacher_a.user.username, "sai")
    response = client.post(
        "/accounts/login/", {"username": teacher_a.user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 429
    assert "tạm bị khoá" in response.content.decode()
    api = Client(REMOTE_ADDR="10.0.0.9").post(
        "/api/v1/auth/token/",
        {"username": teacher_a.user.username, "password": TEST_PASSWORD},
        content_type="application/json",
    )
    assert api.status_code == 429
    assert "tạm bị khoá" in api.json()["detail"]


def test_guessing_many_accounts_from_one_address_locks_the_address(org, teacher_a, head_a):
    client = Client(REMOTE_ADDR="10.0.0.10")
    for n in range(WRONG_TRIES):
        form_login(client, f"khong-co-{n}", "sai")
    assert form_login(client, head_a.user.username, TEST_PASSWORD) == 429
    # Another address is not affected.
    assert form_login(Client(REMOTE_ADDR="10.0.0.11"), head_a.user.username, TEST_PASSWORD) == 302


def test_a_few_mistakes_do_not_lock_anyone(org, teacher_a):
    client = Client(REMOTE_ADDR="10.0.0.12")
    for _ in range(3):
        assert form_login(client, teacher_a.user.username, "sai") == 200
    assert form_login(client, teacher_a.user.username, TEST_PASSWORD) == 302


def api_token(client: Client, username: str) -> str:
    response = client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": TEST_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["expires_at"].endswith("+07:00")
    token: str = response.json()["token"]
    return token


def test_an_expired_token_gets_401_and_a_new_log_in_gives_a_fresh_one(org, teacher_a, settings):
    client = Client()
    key = api_token(client, teacher_a.user.username)
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert me.status_code == 200
    Token.objects.filter(key=key).update(
        created=timezone.now() - datetime.timedelta(hours=settings.API_TOKEN_HOURS, minutes=1)
    )
    expired = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert expired.status_code == 401
    assert "hết hạn" in expired.json()["detail"]
    fresh = api_token(client, teacher_a.user.username)
    assert fresh != key
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {fresh}").status_code == 200


def test_logging_out_of_the_site_revokes_the_api_token(org, teacher_a):
    client = Client()
    key = api_token(client, teacher_a.user.username)
    assert form_login(client, teacher_a.user.username, TEST_PASSWORD) == 302
    client.post("/accounts/logout/")
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
