"""What outbound requests and inbound visits share: statuses, routes, numbering, attachments."""

from __future__ import annotations

import datetime
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from config.fields import user_field
from org.models import Unit


class RequestKind(models.TextChoices):
    OUTBOUND = "outbound", _("Đoàn ra")
    INBOUND = "inbound", _("Đoàn vào")


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Đang xét duyệt")
    RETURNED = "returned", _("Trả lại để bổ sung")
    APPROVED = "approved", _("Đã phê duyệt")
    REJECTED = "rejected", _("Không phê duyệt")
    WITHDRAWN = "withdrawn", _("Đã rút")
    CANCELLED = "cancelled", _("Đã hủy")
    TRAVELLING = "travelling", _("Đang ở nước ngoài")
    RETURNED_HOME = "returned_home", _("Đã về nước")
    CLOSED = "closed", _("Đã kết thúc")


#: Statuses in which the applicant may still edit the dossier.
EDITABLE_STATUSES = frozenset({RequestStatus.DRAFT, RequestStatus.RETURNED})
#: Statuses before any decision: the request may be withdrawn.
UNDECIDED_STATUSES = frozenset({RequestStatus.SUBMITTED, RequestStatus.RETURNED})
#: Statuses that count as "a trip": pending or approved, for quotas and overlaps.
ACTIVE_TRIP_STATUSES = frozenset(
    {
        RequestStatus.SUBMITTED,
        RequestStatus.RETURNED,
        RequestStatus.APPROVED,
        RequestStatus.TRAVELLING,
        RequestStatus.RETURNED_HOME,
        RequestStatus.CLOSED,
    }
)


class Route(models.TextChoices):
    WARD = "WARD", _("UBND phường quyết định")
    DEPT = "DEPT", _("Sở GDĐT quyết định")
    CITY = "CITY", _("UBND Thành phố quyết định")


#: The kind's mark in a reference: ``ĐR`` (đoàn ra) and ``ĐV`` (đoàn vào).
REFERENCE_MARKS = {RequestKind.OUTBOUND: "ĐR", RequestKind.INBOUND: "ĐV"}
#: Room for a unit code (32 characters) and ``/ĐR/2026/0001``.
REFERENCE_MAX_LENGTH = 64


def format_reference(*, unit_code: str, kind: str, year: int, number: int) -> str:
    """``THPT-NTMK/ĐR/2026/0001``: unit code, kind, year and the number within them.

    Unique across the system because unit codes are unique and outbound and inbound carry
    different marks; read aloud, it says whose request it is and which one.
    """
    return f"{unit_code}/{REFERENCE_MARKS[RequestKind(kind)]}/{year}/{number:04d}"


class ReferenceCounter(models.Model):
    """Last reference number used per unit, year and kind (gapless: rolled back with its txn)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=RequestKind.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "kind"], name="reference_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}/{self.kind}: {self.last}"

    @classmethod
    def next_reference(cls, *, unit: Unit, kind: str, year: int | None = None) -> str:
        """Take the next reference (:func:`format_reference`) under a row lock.

        Call it inside the submitting transaction: the counter row stays locked until commit,
        so two submissions of one unit, kind and year are numbered one after the other, and a
        rolled-back submission gives its number back (no gaps).
        """
        year = year or timezone.localdate().year
        try:
            with transaction.atomic():
                cls.objects.get_or_create(unit=unit, year=year, kind=kind)
        except IntegrityError:
            pass  # created concurrently by another submission: lock it below
        counter = cls.objects.select_for_update().get(unit=unit, year=year, kind=kind)
        counter.last += 1
        counter.save(update_fields=["last"])
        return format_reference(unit_code=unit.code, kind=kind, year=year, number=counter.last)


def request_indexes(prefix: str, *, starts: str) -> list[models.Index]:
    """The indexes of a kind's table (``prefix``: ``outbound`` or ``inbound``): by unit and
    status, by status and the first day (``starts``), and one per visibility clause the request
    lists read newest first with a limit (delegations.selectors._newest_visible): by author,
    unit and route."""
    return [
        models.Index(fields=["unit", "status"]),
        models.Index(fields=["status", starts]),
        models.Index(fields=["created_by", "id"], name=f"{prefix}_author_newest"),
        models.Index(fields=["unit", "id"], name=f"{prefix}_unit_newest"),
        models.Index(fields=["route", "id"], name=f"{prefix}_route_newest"),
    ]


def request_constraints(prefix: str, *, starts: str, ends: str) -> list[models.BaseConstraint]:
    """The constraints of a kind's table: the last day (``ends``) is not before the first
    (``starts``), and a reference, once given, is unique."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{ends}__gte": models.F(starts)}),
            name=f"{prefix}_{ends.removesuffix('_date')}_after_{starts.removesuffix('_date')}",
        ),
        models.UniqueConstraint(
            fields=["reference"],
            condition=Q(reference__isnull=False),
            name=f"{prefix}_reference_unique",
        ),
    ]


class DelegationRequest(models.Model):
    """Fields every request has, outbound or inbound."""

    # NULL, not "": unassigned until first submission, and unique across the system once set.
    reference = models.CharField(
        _("số hồ sơ"), max_length=REFERENCE_MAX_LENGTH, null=True, blank=True
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = user_field(_("người lập"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.DRAFT
    )
    route = models.CharField(
        _("thẩm quyền"), max_length=4, choices=Route.choices, null=True, blank=True
    )  # NULL = not yet routed, as the API reports it
    created_at = models.DateTimeField(_("ngày lập"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    submitted_at = models.DateTimeField(_("ngày trình lần đầu"), null=True, blank=True)
    decided_at = models.DateTimeField(_("ngày quyết định"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày ký quyết định"), null=True, blank=True)
    report_due = models.DateField(_("hạn nộp báo cáo"), null=True, blank=True)
    report_text = models.TextField(_("báo cáo kết quả"), blank=True)
    report_submitted_at = models.DateTimeField(_("ngày nộp báo cáo"), null=True, blank=True)
    report_accepted_at = models.DateTimeField(_("ngày chấp nhận báo cáo"), null=True, blank=True)
    #: Bumped on every change; PATCH may send it to refuse a stale overwrite.
    version = models.PositiveIntegerField(default=1)

    #: ``outbound`` or ``inbound``: how flows, tasks, notices and the audit log name the kind.
    request_kind: ClassVar[str]
    #: How a draft is named before it has a reference (with its ``id``).
    draft_name: ClassVar[StrOrPromise]

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.reference or self.draft_name % {"id": self.pk}

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def report_overdue(self) -> bool:
        return (
            self.report_due is not None
            and self.report_accepted_at is None
            and self.report_submitted_at is None
            and self.report_due < timezone.localdate()
        )


class AttachmentKind(models.TextChoices):
    INVITATION = "invitation", _("Thư mời và bản dịch")
    CV = "cv", _("Sơ yếu lý lịch")
    PROGRAMME = "programme", _("Chương trình làm việc")
    COST_ESTIMATE = "cost_estimate", _("Dự toán kinh phí")
    SPEECH = "speech", _("Nội dung bài phát biểu, tham luận")
    PASSPORT_COPY = "passport_copy", _("Bản sao hộ chiếu")
    VISITOR_LIST = "visitor_list", _("Danh sách khách")
    CITY_DECISION = "city_decision", _("Văn bản của UBND Thành phố")
    REPORT = "report", _("Báo cáo kết quả")
    OTHER = "other", _("Khác")


def _attachment_path(instance: Attachment, filename: str) -> str:
    # Never the uploaded name: generated, so no traversal or collision is possible.
    today = datetime.date.today()
    return f"attachments/{today:%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to a request, of a declared type, stored under a generated name."""

    request_kind = models.CharField(max_length=16, choices=RequestKind.choices)
    request_id = models.BigIntegerField()
    kind = models.CharField(_("loại tài liệu"), max_length=32, choices=AttachmentKind.choices)
    file = models.FileField(_("tệp"), upload_to=_attachment_path)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tài liệu đính kèm")
        verbose_name_plural = _("tài liệu đính kèm")
        ordering = ["uploaded_at"]
        indexes = [models.Index(fields=["request_kind", "request_id"])]
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="attachment_not_empty")]

    def __str__(self) -> str:
        return self.original_name
