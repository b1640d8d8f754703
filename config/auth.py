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
from django.utils.translation import gettext_lazy
from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.request import Request

from config.security import is_api, way_back


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


#: What a form or an API call refused by the CSRF check is told (the page was open across a
#: log-out or a new log-in, or the browser dropped the cookie).
CSRF_REFUSED = gettext_lazy(
    "Trang đã hết hạn hoặc phiên đăng nhập đã thay đổi, nên thao tác chưa được thực hiện và "
    "không có gì được lưu. Hãy tải lại trang rồi gửi lại."
)


class CsrfCheckedSessionAuthentication(SessionAuthentication):
    """DRF's session authentication, its CSRF refusal told in the person's language (DRF's
    own is "CSRF Failed: …", in English, whatever the language)."""

    def enforce_csrf(self, request: Request) -> None:
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as refused:
            raise exceptions.PermissionDenied(str(CSRF_REFUSED)) from refused


class CsrfCheckedSessionScheme(SessionScheme):  # type: ignore[no-untyped-call]
    """The OpenAPI schema names it as DRF's session authentication (``cookieAuth``)."""

    target_class = "config.auth.CsrfCheckedSessionAuthentication"


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a form posted with a missing or stale CSRF token (Django's page
    is in English and speaks of cookies). 403, nothing done; the way back is the page itself,
    which, reloaded, carries a fresh token."""
    if is_api(request):
        return JsonResponse(
            {"detail": str(CSRF_REFUSED)}, status=403, json_dumps_params={"ensure_ascii": False}
        )
    context = {"message": CSRF_REFUSED, "back_url": way_back(request)}
    return render(request, "403_csrf.html", context, status=403)


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
    if is_api(request):
        return JsonResponse(
            {"detail": message}, status=429, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
