"""Pages about notifications: my notices (the bell) and the agencies' acknowledgement link."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from approvals.models import AcknowledgementChannel, Notice
from approvals.notifications import (
    AckLinkError,
    ack_token_load,
    agency_notification_acknowledge,
    request_get,
)
from config.errors import StateConflict
from config.values import plain_int

PAGE_SIZE = 30


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    """My notices, newest first (``?truoc=<id>`` for older ones); showing them marks them read."""
    assert request.user.is_authenticated  # for the type checker; login_required ensures it
    notices = Notice.objects.filter(user=request.user).order_by("-id")
    before = plain_int(request.GET.get("truoc", ""))
    if before is not None:
        notices = notices.filter(pk__lt=before)
    page = list(notices[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    unread = [n.pk for n in page if n.read_at is None]
    response = render(
        request,
        "approvals/notice_list.html",
        {"notices": page, "older": page[-1].pk if more else None, "unread_ids": set(unread)},
    )
    if unread:
        Notice.objects.filter(pk__in=unread, read_at__isnull=True).update(read_at=timezone.now())
    return response


@login_required
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notice's link, marking it read on the way."""
    notice = get_object_or_404(Notice, pk=pk, user_id=request.user.pk)
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    if notice.url and url_has_allowed_host_and_scheme(
        notice.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(notice.url)
    return redirect("notice_list")


@login_required
@require_POST
def notice_read_all(request: HttpRequest) -> HttpResponse:
    assert request.user.is_authenticated
    Notice.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notice_list")


@never_cache
@require_http_methods(["GET", "POST"])
def agency_acknowledge(request: HttpRequest, token: str) -> HttpResponse:
    """The agency officer's page (no account): what the notice is about, and a confirm button."""
    context: dict[str, object] = {"token": token}
    status = 200
    try:
        notification = ack_token_load(token)
    except AckLinkError as exc:
        context["error"] = exc.message
        return render(request, "approvals/agency_ack.html", context, status=400)
    context["notification"] = notification
    context["subject"] = request_get(notification.request_kind, notification.request_id)
    if request.method == "POST" and notification.acknowledged_at is None:
        name = request.POST.get("name", "").strip()[:200]
        try:
            notification = agency_notification_acknowledge(
                notification=notification,
                via=AcknowledgementChannel.LINK,
                note=_("Cán bộ xác nhận: %(name)s") % {"name": name} if name else "",
            )
            context["notification"] = notification
            context["just_acknowledged"] = True
        except StateConflict:
            notification.refresh_from_db()
            context["notification"] = notification
    if notification.acknowledged_at is not None and not context.get("just_acknowledged"):
        context["error"] = _(
            "Thông báo này đã được xác nhận lúc %(when)s; liên kết chỉ dùng được một lần."
        ) % {"when": timezone.localtime(notification.acknowledged_at).strftime("%H:%M %d/%m/%Y")}
        status = 409 if request.method == "POST" else 200
    return render(request, "approvals/agency_ack.html", context, status=status)
