"""The record: the hash-chained audit log, decisions, rule stamps, justifications and agency
notifications, each tied to a request by (kind, id)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.fields import optional_user_field, user_field


class AuditChainHead(models.Model):
    """One row holding the last sequence number and hash; locked to append in order."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("đầu chuỗi nhật ký")

    def __str__(self) -> str:
        return f"#{self.seq}"


class AuditEvent(models.Model):
    """Who did what to which object, when and from where; never updated or deleted.

    ``hash`` = HMAC-SHA256, under the key ``key_id`` names (``AUDIT_KEYS``, never in the
    database), of ``prev_hash`` and the event's canonical JSON, so altering, deleting, inserting
    or reordering a row breaks the chain, and nobody without the key can re-hash it
    (``manage.py verify_audit``, which also compares the signed checkpoints kept outside the
    database). Events written before the key existed have no ``key_id`` and a plain SHA-256: a
    legacy prefix of the chain. On PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE, and
    the application's role may only INSERT and SELECT (``docs/production.md``).
    """

    seq = models.BigIntegerField(_("số thứ tự"), unique=True)
    occurred_at = models.DateTimeField(_("thời điểm (UTC)"), db_index=True)
    # No FK constraint: deleting a user must never rewrite the record.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_username = models.CharField(_("tài khoản"), max_length=150, blank=True)
    acting_for = models.CharField(_("thay mặt"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=64, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=64)
    object_id = models.CharField(_("mã đối tượng"), max_length=64)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    comment = models.TextField(_("ghi chú"), blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    request_id = models.CharField(_("mã yêu cầu"), max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    key_id = models.CharField(_("mã khóa"), max_length=16, blank=True, default="")

    class Meta:
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("nhật ký hệ thống")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class RequestRef(models.Model):
    """Abstract: a row that belongs to an outbound request or an inbound visit."""

    request_kind = models.CharField(_("loại hồ sơ"), max_length=16)
    request_id = models.BigIntegerField(_("mã hồ sơ"))

    class Meta:
        abstract = True


class Decision(RequestRef):
    """One step's outcome: who decided what, when, acting for whom, with which comment."""

    step = models.CharField(_("bước"), max_length=64)
    action = models.CharField(_("quyết định"), max_length=32)
    actor = user_field(_("người quyết định"))
    acting_for = optional_user_field(_("thay mặt"))
    comment = models.TextField(_("ý kiến"), blank=True)
    data = models.JSONField(_("thông tin thêm"), default=dict, blank=True)
    task_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    #: SHA-256 over the decision-relevant content the decision saw (``delegations.facts``),
    #: and the digest of each section, so a later change names what changed.
    fingerprint = models.CharField(_("dấu vân tay hồ sơ"), max_length=64, blank=True)
    content = models.JSONField(_("nội dung đã xem xét"), default=dict, blank=True)
    #: An approval lapses when the content it covered changed before a resubmission.
    lapsed_at = models.DateTimeField(_("hết hiệu lực lúc"), null=True, blank=True)
    lapse_sections = models.JSONField(_("nội dung đã thay đổi"), default=list, blank=True)

    class Meta:
        verbose_name = _("quyết định")
        verbose_name_plural = _("quyết định")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request_kind", "request_id", "created_at"])]
        constraints = [
            # One decision per viewflow task: a double click cannot record two.
            models.UniqueConstraint(fields=["task_id"], name="decision_once_per_task"),
        ]

    def __str__(self) -> str:
        return f"{self.step}: {self.action}"


class RuleStamp(RequestRef):
    """The rule-set version and every check outcome at submission or at a decision. Immutable."""

    stage = models.CharField(_("thời điểm áp dụng"), max_length=64)
    ruleset_version = models.PositiveIntegerField(_("phiên bản bộ quy tắc"), null=True, blank=True)
    ruleset_effective_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    evaluated_on = models.DateField(_("ngày đánh giá"))
    route = models.CharField(_("thẩm quyền"), max_length=4)
    checks = models.JSONField(_("kết quả kiểm tra"))
    #: The dossier's content fingerprint when it was evaluated (``delegations.facts``).
    fingerprint = models.CharField(_("dấu vân tay hồ sơ"), max_length=64, blank=True, default="")
    #: A digest of every fact the rule pack read (dossier, travellers' records, other trips),
    #: the rule-set version and the calendar: equal digests on one day give equal outcomes.
    facts_digest = models.CharField(_("dấu các dữ kiện"), max_length=64, blank=True, default="")
    #: The stamp whose evaluation this one repeats: the same facts, rule-set version and day.
    reused_from = models.ForeignKey(
        "self",
        verbose_name=_("dùng lại kết quả của"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dấu quy tắc")
        verbose_name_plural = _("dấu quy tắc")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request_kind", "request_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.request_kind}:{self.request_id} {self.stage}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("A rule stamp is immutable once written.")
        super().save(*args, **kwargs)


class Justification(RequestRef):
    """The applicant's written justification for a check of severity "justify"."""

    rule = models.CharField(_("quy tắc"), max_length=32)
    text = models.TextField(_("giải trình"))
    author = user_field(_("người giải trình"))
    stamp = models.ForeignKey(
        RuleStamp, on_delete=models.PROTECT, null=True, blank=True, related_name="justifications"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("giải trình")
        verbose_name_plural = _("giải trình")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request_kind", "request_id"])]

    def __str__(self) -> str:
        return f"{self.rule}: {self.text[:40]}"


class NoticeReason(models.TextChoices):
    APPROVAL = "approval", _("Thông báo phê duyệt")
    CANCELLATION = "cancellation", _("Thông báo hủy")
    EXTENSION = "extension", _("Thông báo gia hạn")
    AMENDMENT = "amendment", _("Thông báo điều chỉnh")


class NoticeStatus(models.TextChoices):
    """prepared → sent (released for sending) → delivered (SMTP accepted it) → acknowledged."""

    PENDING = "pending", _("Đã chuẩn bị")
    SENT = "sent", _("Đã phát hành, đang chuyển")
    DELIVERED = "delivered", _("Đã gửi đến cơ quan")
    ACKNOWLEDGED = "acknowledged", _("Đã xác nhận")
    FAILED = "failed", _("Gửi lỗi")


class AcknowledgementChannel(models.TextChoices):
    LINK = "link", _("Qua liên kết xác nhận")
    PAPER = "paper", _("Bằng văn bản")
    PHONE = "phone", _("Qua điện thoại")


class AgencyNotification(RequestRef):
    """An obligation to notify an agency (Công an TP, Sở Ngoại vụ) of a decision.

    pending (prepared) → sent (released: by the văn thư, or at once when ``AGENCY_DISPATCH_AUTO``)
    → delivered (SMTP accepted its e-mail with the signed PDFs attached) → acknowledged (the
    agency's officer opened the link, or staff recorded a paper or phone acknowledgement); failed
    when the e-mail could not go.
    """

    agency = models.ForeignKey(
        "org.Unit", verbose_name=_("cơ quan nhận"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("nội dung"), max_length=16, choices=NoticeReason.choices)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.PENDING
    )
    due = models.DateField(_("hạn gửi"))
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("phát hành lúc"), null=True, blank=True)
    sent_by = optional_user_field(_("người phát hành"))
    delivered_at = models.DateTimeField(_("đã gửi đến lúc"), null=True, blank=True)
    #: The day the agency acknowledged, as recorded (a paper receipt may arrive days later).
    acknowledged_on = models.DateField(_("ngày cơ quan xác nhận"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    acknowledgement_note = models.CharField(_("ghi chú xác nhận"), max_length=255, blank=True)
    acknowledged_via = models.CharField(
        _("hình thức xác nhận"), max_length=16, choices=AcknowledgementChannel.choices, blank=True
    )
    acknowledged_by = optional_user_field(_("người ghi nhận"))
    #: Set once, when the department reviewers were told nobody acknowledged in time.
    escalated_at = models.DateTimeField(_("đã báo quá hạn lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo cơ quan chức năng")
        verbose_name_plural = _("thông báo cơ quan chức năng")
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["request_kind", "request_id"]),
            models.Index(fields=["status", "due"]),
        ]

    def __str__(self) -> str:
        return f"{self.agency} – {self.get_reason_display()}"
