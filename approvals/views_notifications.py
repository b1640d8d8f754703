"""Pages about notifications: my notices (the bell), the agencies' acknowledgement link, and the
văn thư's dispatch page (``/cong-van-di/``: release, what is due, overdue and unacknowledged)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from approvals import permissions
from approvals.models import (
    AcknowledgementChannel,
    AgencyNotification,
    Notice,
    NoticeStatus,
    OutboxMessage,
)
from approvals.notices import request_path
from approvals.notifications import (
    AckLinkError,
    ack_token_load,
    agency_notification_acknowledge,
    agency_notification_release,
    may_dispatch,
    may_record_acknowledgement,
    request_get,
)
from config.errors import StateConflict, ValidationError
from config.values import plain_int
from delegations.kinds import KINDS, request_visible_to

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


# --- the văn thư's dispatch page ---------------------------------------------------------

OPEN_STATUSES = (NoticeStatus.PENDING, NoticeStatus.SENT, NoticeStatus.FAILED)
DISPATCH_LIMIT = 200


def _office_units(user: Any) -> set[int]:
    """Units whose agency notifications the user dispatches (the office's or the ward's)."""
    units: set[int] = set()
    for perm in (permissions.REVIEW_FOR_DEPARTMENT, permissions.REVIEW_FOR_WARD):
        units |= set(permissions.units_in_scope(user, perm).values_list("pk", flat=True))
    return units


def _rows(notifications: Any) -> list[dict[str, Any]]:
    today = timezone.localdate()
    found = list(notifications.select_related("agency")[:DISPATCH_LIMIT])
    by_kind: dict[str, set[int]] = {}
    for n in found:
        by_kind.setdefault(n.request_kind, set()).add(n.request_id)
    requests = {
        (kind, r.pk): r
        for kind, ids in by_kind.items()
        for r in KINDS[kind]._default_manager.filter(pk__in=ids)
    }
    # Why a released e-mail has not gone yet ("Chờ ký số…", an SMTP error): its last error.
    errors = dict(
        OutboxMessage.objects.filter(notification__in=[n.pk for n in found])
        .exclude(last_error="")
        .values_list("notification_id", "last_error")
    )
    rows = []
    for n in found:
        subject = requests.get((n.request_kind, n.request_id))
        rows.append(
            {
                "notification": n,
                "request": subject,
                "url": request_path(subject) if subject is not None else "",
                "overdue": n.due < today,
                "waiting": errors.get(n.pk, "") if n.status != NoticeStatus.DELIVERED else "",
            }
        )
    return rows


@login_required
def agency_dispatch(request: HttpRequest) -> HttpResponse:
    """Agency notifications to release, being sent, overdue, and delivered but unacknowledged."""
    units = _office_units(request.user)
    if not units:
        raise PermissionDenied(
            _("Chỉ văn thư, Văn phòng Sở hoặc cán bộ phường được xem trang này.")
        )
    mine = Q()
    for kind, model in KINDS.items():
        mine |= Q(
            request_kind=kind,
            request_id__in=model._default_manager.filter(unit_id__in=units).values("pk"),
        )
    scoped = AgencyNotification.objects.filter(mine)
    today = timezone.localdate()
    to_send = _rows(scoped.filter(status__in=OPEN_STATUSES).order_by("due", "pk"))
    unacknowledged = _rows(scoped.filter(status=NoticeStatus.DELIVERED).order_by("due", "pk"))
    context = {
        "to_send": to_send,
        "unacknowledged": unacknowledged,
        "overdue_count": sum(1 for row in to_send if row["overdue"]),
        "channels": [
            (value, label)
            for value, label in AcknowledgementChannel.choices
            if value != AcknowledgementChannel.LINK
        ],
        "today": today,
    }
    return render(request, "approvals/agency_dispatch.html", context)


def _notification_for(request: HttpRequest, pk: int) -> tuple[AgencyNotification, Any]:
    notification = AgencyNotification.objects.select_related("agency").filter(pk=pk).first()
    subject = (
        request_get(notification.request_kind, notification.request_id) if notification else None
    )
    if notification is None or not request_visible_to(request.user, subject):
        raise Http404(_("Không tìm thấy thông báo."))
    return notification, subject


@login_required
@require_POST
def agency_notification_send(request: HttpRequest, pk: int) -> HttpResponse:
    """The văn thư releases a prepared notification (prepared → sent)."""
    assert request.user.is_authenticated
    notification, subject = _notification_for(request, pk)
    if not may_dispatch(request.user, subject):
        raise PermissionDenied(_("Chỉ văn thư của cơ quan ban hành được phát hành thông báo."))
    try:
        agency_notification_release(notification=notification, actor=request.user)
        messages.success(
            request,
            _("Đã phát hành thông báo gửi %(agency)s; thư sẽ được gửi kèm văn bản đã ký số.")
            % {"agency": notification.agency.name},
        )
    except StateConflict as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("agency_dispatch")


@login_required
@require_POST
def agency_notification_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff record a paper or phone acknowledgement: channel, the day, a note; who is the user."""
    assert request.user.is_authenticated
    notification, subject = _notification_for(request, pk)
    user = request.user
    if not (may_record_acknowledgement(user, subject) or may_dispatch(user, subject)):
        raise PermissionDenied(_("Bạn không được ghi nhận xác nhận cho hồ sơ này."))
    via = request.POST.get("via", "")
    raw_day = request.POST.get("on", "").strip()
    try:
        day = datetime.date.fromisoformat(raw_day) if raw_day else None
    except ValueError:
        day = None
        messages.error(request, _("Ngày xác nhận không hợp lệ (dd/mm/yyyy)."))
        return redirect("agency_dispatch")
    if via == AcknowledgementChannel.LINK:
        via = ""
    try:
        agency_notification_acknowledge(
            notification=notification,
            via=via,
            note=request.POST.get("note", ""),
            actor=request.user,
            on=day,
        )
        messages.success(
            request,
            _("Đã ghi nhận %(agency)s xác nhận.") % {"agency": notification.agency.name},
        )
    except StateConflict as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("agency_dispatch")
