"""Messages that must never be lost: the e-mail outbox, in-app notices, deadline alerts.

Every message is a row written in the transaction of the change that causes it; a Celery task
sends it after commit and a periodic sweeper re-sends what is left (see docs/notifications.md).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.mail import make_msgid
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.fields import optional_user_field, user_field
from config.leases import Leased


def new_message_id() -> str:
    """A Message-ID fixed when the row is written, so a repeated send carries the same one."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return make_msgid(idstring="doanravao", domain=domain)


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")


class MessageStatus(models.TextChoices):
    #: An agency e-mail waiting for the văn thư to release its notification (never swept).
    HELD = "held", _("Chờ phát hành")
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")


class OutboxMessage(models.Model):
    """One e-mail to send: to a user, or to an agency for an :class:`AgencyNotification`."""

    channel = models.CharField(
        _("kênh"), max_length=16, choices=Channel.choices, default=Channel.EMAIL
    )
    to_user = optional_user_field(_("người nhận"), on_delete=models.SET_NULL)
    #: One or more addresses separated by commas (an agency may have several recipients).
    to_address = models.CharField(_("địa chỉ nhận"), max_length=1000, blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body_text = models.TextField(_("nội dung"))
    body_html = models.TextField(_("nội dung HTML"), blank=True)
    #: A file in the default storage to attach (e.g. the generated notification letter).
    attachment = models.CharField(_("tệp đính kèm"), max_length=255, blank=True)
    notification = models.ForeignKey(
        "approvals.AgencyNotification",
        verbose_name=_("thông báo cơ quan chức năng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    request_kind = models.CharField(_("loại hồ sơ"), max_length=16, blank=True)
    request_id = models.BigIntegerField(_("mã hồ sơ"), null=True, blank=True)
    #: Set for messages that must go out at most once (``reminder:<task>:<user>``).
    dedup_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=MessageStatus.choices,
        default=MessageStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lần tới"), default=timezone.now)
    claimed_at = models.DateTimeField(_("bắt đầu gửi lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    message_id = models.CharField("Message-ID", max_length=255, unique=True, default=new_message_id)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    #: How the mail workers take the rows (:mod:`config.leases`): a claim older than
    #: ``OUTBOX_CLAIM_TIMEOUT_SECONDS`` belongs to a worker that died (SMTP gives up after
    #: 20 s); a row due for longer than ``OUTBOX_SWEEP_GRACE_SECONDS`` is the sweeper's.
    queue: ClassVar[Leased] = Leased(
        state="status",
        pending=MessageStatus.PENDING,
        working=MessageStatus.SENDING,
        failed=MessageStatus.FAILED,
        due="next_attempt_at",
        claimed="claimed_at",
        lease=("OUTBOX_CLAIM_TIMEOUT_SECONDS", 120),
        grace=("OUTBOX_SWEEP_GRACE_SECONDS", 30),
    )

    class Meta:
        verbose_name = _("thư chờ gửi")
        verbose_name_plural = _("hộp thư đi")
        ordering = ["-id"]
        indexes = [
            # The sweeper's query: pending rows due now, and stale claims.
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_pending_due",
                condition=Q(status="pending"),
            ),
            models.Index(
                fields=["claimed_at"], name="outbox_sending", condition=Q(status="sending")
            ),
            models.Index(fields=["status", "id"], name="outbox_status"),
            models.Index(fields=["request_kind", "request_id"], name="outbox_request"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_address or '-'}"


class Notice(models.Model):
    """An in-app notice (the bell): written with the change, visible as soon as it commits."""

    user = user_field(_("người nhận"), on_delete=models.CASCADE, related_name="notices")
    text = models.CharField(_("nội dung"), max_length=500)
    url = models.CharField(_("liên kết"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo trong hệ thống")
        verbose_name_plural = _("thông báo trong hệ thống")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["user", "-id"], name="notice_user"),
            models.Index(fields=["user"], name="notice_unread", condition=Q(read_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class AgencyRecipient(models.Model):
    """Where an agency wants notices of a kind of request (and route) sent.

    Without a matching row, the agency unit's own e-mail address is used. Blank kind or route
    means "any"; the most specific matching rows win.
    """

    agency = models.ForeignKey(
        "org.Unit",
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        limit_choices_to={"kind": "agency"},
        related_name="+",
    )
    request_kind = models.CharField(
        _("loại hồ sơ"),
        max_length=16,
        blank=True,
        choices=[("outbound", _("Đoàn ra")), ("inbound", _("Đoàn vào"))],
    )
    route = models.CharField(
        _("thẩm quyền"),
        max_length=4,
        blank=True,
        choices=[("WARD", _("Phường")), ("DEPT", _("Sở")), ("CITY", _("Thành phố"))],
    )
    email = models.EmailField(_("thư điện tử"))

    class Meta:
        verbose_name = _("địa chỉ nhận của cơ quan")
        verbose_name_plural = _("địa chỉ nhận của cơ quan")
        ordering = ["agency", "request_kind", "route", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "request_kind", "route", "email"], name="agency_recipient_once"
            )
        ]

    def __str__(self) -> str:
        return self.email


class AlertKind(models.TextChoices):
    REMINDER = "reminder", _("Nhắc việc")
    ESCALATION = "escalation", _("Báo cáo quá hạn")


class DeadlineAlert(models.Model):
    """A reminder or escalation about one task: the unique row that makes it happen once."""

    task_id = models.BigIntegerField(_("công việc"))
    kind = models.CharField(_("loại"), max_length=16, choices=AlertKind.choices)
    due = models.DateField(_("hạn xử lý"))
    recipients = models.JSONField(_("người nhận"), default=list)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("nhắc việc, báo cáo quá hạn")
        verbose_name_plural = _("nhắc việc, báo cáo quá hạn")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["task_id", "kind"], name="deadline_alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.task_id}"
