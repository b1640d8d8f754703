"""Signing in: API tokens that expire and die at log-out, and the answer to a locked-out log-in.

Repeated wrong passwords lock the account and the address (django-axes, settings
``LOGIN_FAILURE_LIMIT``/``LOGIN_COOLOFF_MINUTES``) on every log-in path: the form, the admin and
``POST /api/v1/auth/token/``. Administrators see and clear the attempts in the admin ("Axes").
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, User
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def token_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.API_TOKEN_HOURS)


def token_expires_at(token: Token) -> datetime.datetime:
    created: datetime.datetime = token.created
    return created + token_lifetime()


@transaction.atomic
def token_issue(user: User) -> Token:
    """The user's token, a new one when the old has expired (one token per user).

    The user's row is locked first, so two log-ins at once renew an expired token once.
    """
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    token, created = Token.objects.get_or_create(user=user)
    if not created and token_expires_at(token) <= timezone.now():
        token.delete()
        token = Token.objects.create(user=user)
    return token


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing tokens older than ``API_TOKEN_HOURS`` (401)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if token_expires_at(token) <= timezone.now():
            token.delete()
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập đã hết hạn; vui lòng đăng nhập lại để lấy mã mới.")
            )
        return user, token


@receiver(user_logged_out)
def tokens_revoked_at_logout(
    sender: type, request: HttpRequest | None, user: AbstractBaseUser | None, **kwargs: Any
) -> None:
    """Logging out of the site ends the API token too: a stolen token dies with the session."""
    if user is not None:
        Token.objects.filter(user_id=user.pk).delete()


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """What a locked-out log-in gets: JSON 429 on the API, a page in Vietnamese elsewhere."""
    minutes = settings.LOGIN_COOLOFF_MINUTES
    message = _(
        "Tài khoản hoặc địa chỉ này đã nhập sai mật khẩu quá nhiều lần và tạm bị khoá "
        "%(minutes)d phút. Hãy thử lại sau, hoặc liên hệ quản trị hệ thống."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": message}, status=429, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
