"""Official documents (Nghị định 30/2020/NĐ-CP) and the registers that number them.

A register holds the last number used by one issuing unit, for one series (decisions or
letters), in one calendar year; confidential documents have registers of their own. A number is
taken under the register's row lock inside the issuing transaction, so it rolls back with it:
numbers are gapless and never given twice.

A document is immutable once rendered. A correction or replacement (NĐ 30, Art. 15 and 18) is
a new row with a NEW number (``version`` + 1, ``supersedes`` the previous one) whose text says
which document it replaces; the old row and its files stay.

A unit numbers its documents here (``NumberingMode.HERE``) or keeps its official register on
paper or in another system (``NumberingMode.ENTERED``): then a document is written without a
number ("chờ vào số"), reserves nothing, and the văn thư enters the number and date from the
unit's register; only then is it rendered.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.fields import optional_user_field, user_field
from config.leases import Leased
from config.memo import memoized


class DocumentSeries(models.TextChoices):
    DECISION = "decision", _("Quyết định")
    LETTER = "letter", _("Công văn")
    PROPOSAL = "proposal", _("Tờ trình")


class NumberingMode(models.TextChoices):
    HERE = "here", _("Cấp số trong hệ thống")
    ENTERED = "entered", _("Văn thư nhập số từ sổ đăng ký văn bản của đơn vị")


class DocumentKind(models.TextChoices):
    OUTBOUND_DECISION = "outbound_decision", _("Quyết định cử đi / cho phép đi nước ngoài")
    OUTBOUND_NOTICE = "outbound_notice", _("Công văn thông báo Công an TP, Sở Ngoại vụ (đoàn ra)")
    OUTBOUND_CANCELLATION = "outbound_cancellation", _("Công văn thông báo hủy chuyến đi")
    INBOUND_APPROVAL = "inbound_approval", _("Công văn đồng ý đón đoàn vào")
    INBOUND_NOTICE = "inbound_notice", _("Công văn thông báo Công an TP, Sở Ngoại vụ (đoàn vào)")
    OUTBOUND_AMENDMENT = "outbound_amendment", _("Quyết định điều chỉnh (gia hạn thời gian)")
    OUTBOUND_REVOCATION = "outbound_revocation", _("Quyết định hủy bỏ quyết định cử đi / cho phép")
    OUTBOUND_PROPOSAL = "outbound_proposal", _("Tờ trình đề nghị UBND Thành phố")
    INBOUND_PROPOSAL = "inbound_proposal", _("Tờ trình đề nghị UBND Thành phố (đoàn vào)")


#: Which register series numbers each kind of document.
KIND_SERIES: dict[str, str] = {
    DocumentKind.OUTBOUND_DECISION: DocumentSeries.DECISION,
    DocumentKind.OUTBOUND_NOTICE: DocumentSeries.LETTER,
    DocumentKind.OUTBOUND_CANCELLATION: DocumentSeries.LETTER,
    DocumentKind.INBOUND_APPROVAL: DocumentSeries.LETTER,
    DocumentKind.INBOUND_NOTICE: DocumentSeries.LETTER,
    DocumentKind.OUTBOUND_AMENDMENT: DocumentSeries.DECISION,
    DocumentKind.OUTBOUND_REVOCATION: DocumentSeries.DECISION,
    DocumentKind.OUTBOUND_PROPOSAL: DocumentSeries.PROPOSAL,
    DocumentKind.INBOUND_PROPOSAL: DocumentSeries.PROPOSAL,
}


class UnitNumbering(models.Model):
    """How one issuing unit numbers its documents (no row: numbered here)."""

    unit = models.OneToOneField(
        "org.Unit",
        verbose_name=_("đơn vị ban hành"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    mode = models.CharField(
        _("cách cấp số"), max_length=16, choices=NumberingMode.choices, default=NumberingMode.HERE
    )

    class Meta:
        verbose_name = _("cách cấp số văn bản của đơn vị")
        verbose_name_plural = _("cách cấp số văn bản của đơn vị")

    def __str__(self) -> str:
        return f"{self.unit}: {self.get_mode_display()}"


def numbering_mode(unit: Any) -> str:
    """The unit's numbering mode (``NumberingMode.HERE`` unless set otherwise).

    Read once per unit of work (:mod:`config.memo`): an approval issues two documents of the
    same unit, and only an administrator changes the mode.
    """

    def read() -> str:
        mode = UnitNumbering.objects.filter(unit=unit).values_list("mode", flat=True).first()
        return mode or NumberingMode.HERE

    return memoized(("numbering_mode", getattr(unit, "pk", unit)), read)


class DocumentRegister(models.Model):
    """The numbering of one issuing unit's decisions or letters in one calendar year."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField(_("năm"))
    series = models.CharField(_("loại sổ"), max_length=16, choices=DocumentSeries.choices)
    confidential = models.BooleanField(_("sổ văn bản mật"), default=False)
    #: The part after the number: ``QĐ-SGDĐT`` gives ``12/QĐ-SGDĐT``.
    symbol = models.CharField(_("ký hiệu"), max_length=64)
    last_number = models.PositiveIntegerField(_("số đã cấp gần nhất"), default=0)

    class Meta:
        verbose_name = _("sổ đăng ký văn bản")
        verbose_name_plural = _("sổ đăng ký văn bản")
        ordering = ["-year", "unit", "series", "confidential"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "series", "confidential"], name="document_register_unique"
            )
        ]

    def __str__(self) -> str:
        secret = " (mật)" if self.confidential else ""
        return f"{self.year} {self.symbol}{secret}: {self.last_number}"


class RenderState(models.TextChoices):
    """Where a document's files are: queued, being made by a worker, stored, or given up."""

    AWAITING_NUMBER = "awaiting_number", _("chờ văn thư vào số")
    PENDING = "pending", _("chờ tạo tệp")
    RENDERING = "rendering", _("đang tạo tệp")
    READY = "ready", _("đã có tệp")
    FAILED = "failed", _("tạo tệp lỗi")


def _generated_name(extension: str) -> str:
    # Never a name derived from the request: generated, so nothing collides or is guessed.
    today = datetime.date.today()
    return f"documents/{today:%Y/%m}/{uuid.uuid4().hex}.{extension}"


def document_pdf_path(instance: Document, filename: str) -> str:
    return _generated_name("pdf")


def document_docx_path(instance: Document, filename: str) -> str:
    return _generated_name("docx")


class Document(models.Model):
    """One version of an issued document: its number, the content snapshot and the two files.

    ``content`` is the snapshot taken when the number was given; the PDF (archive copy) and the
    DOCX (the office edits and signs it) are rendered from it, so a late rendering shows what
    was decided, not what the request became.
    """

    kind = models.CharField(_("loại văn bản"), max_length=32, choices=DocumentKind.choices)
    register = models.ForeignKey(
        DocumentRegister, verbose_name=_("sổ"), on_delete=models.PROTECT, related_name="documents"
    )
    #: Empty while the văn thư has not entered the number from the unit's register.
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    number_text = models.CharField(_("số, ký hiệu"), max_length=96)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("thay thế phiên bản"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    title = models.CharField(_("trích yếu"), max_length=255)
    request_kind = models.CharField(_("loại hồ sơ"), max_length=16)
    request_id = models.BigIntegerField(_("mã hồ sơ"))
    issued_on = models.DateField(_("ngày ban hành"))
    issued_at = models.DateTimeField(_("thời điểm cấp số"), default=timezone.now)
    issued_by = optional_user_field(_("người ban hành"))
    reason = models.TextField(_("lý do ban hành lại"), blank=True)
    number_entered_by = optional_user_field(_("người vào số"))
    content = models.JSONField(_("nội dung"))
    pdf = models.FileField(_("bản PDF"), upload_to=document_pdf_path, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    docx = models.FileField(_("bản DOCX"), upload_to=document_docx_path, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    rendered_at = models.DateTimeField(_("đã tạo tệp lúc"), null=True, blank=True)
    #: The render's own bookkeeping (``approvals.documents.services``): a worker claims a pending
    #: row (pending → rendering), stores the files (→ ready) or puts it back with a backoff
    #: (→ pending, ``render_next_at``) until ``DOCUMENT_RENDER_MAX_ATTEMPTS`` (→ failed). The
    #: sweeper re-queues pending rows and takes back rows left "rendering" past the lease.
    render_state = models.CharField(
        _("tình trạng tệp"),
        max_length=16,
        choices=RenderState.choices,
        default=RenderState.PENDING,
    )
    render_attempts = models.PositiveSmallIntegerField(_("số lần tạo tệp"), default=0)
    render_next_at = models.DateTimeField(_("tạo tệp lần tới lúc"), default=timezone.now)
    render_claimed_at = models.DateTimeField(null=True, blank=True)
    render_error = models.TextField(_("lỗi tạo tệp"), blank=True)
    #: The same as a table the documents workers take row by row (:mod:`config.leases`).
    render_queue: ClassVar[Leased] = Leased(
        state="render_state",
        pending=RenderState.PENDING,
        working=RenderState.RENDERING,
        failed=RenderState.FAILED,
        due="render_next_at",
        claimed="render_claimed_at",
        lease=("DOCUMENT_RENDER_LEASE_SECONDS", 120),
        grace=("DOCUMENT_RENDER_SWEEP_GRACE_SECONDS", 60),
    )

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["request_kind", "request_id", "issued_at", "id"]
        indexes = [
            models.Index(fields=["request_kind", "request_id", "kind"]),
            models.Index(fields=["render_state", "render_next_at"], name="document_render_queue"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "number", "version"], name="document_number_once"
            ),
            models.UniqueConstraint(
                fields=["request_kind", "request_id", "kind", "version"],
                name="document_kind_version_once_per_request",
            ),
            models.CheckConstraint(condition=Q(number__gt=0), name="document_number_positive"),
        ]

    def __str__(self) -> str:
        suffix = f" (v{self.version})" if self.version > 1 else ""
        return f"{self.number_text}{suffix}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Rendering stores the files with a conditional UPDATE; nothing else may change a row.
        if self.pk is not None:
            raise ValueError("An issued document is never changed: re-issue it instead.")
        super().save(*args, **kwargs)

    @property
    def awaits_number(self) -> bool:
        return self.number is None

    @property
    def is_rendered(self) -> bool:
        return self.rendered_at is not None

    @property
    def is_current(self) -> bool:
        # The reverse one-to-one raises (an AttributeError) when no later version exists.
        return not hasattr(self, "superseded_by")


class SignatureKind(models.TextChoices):
    ORGANISATION = "organisation", _("Chữ ký số của cơ quan")
    PERSONAL = "personal", _("Chữ ký số của người ký")


def signed_pdf_path(instance: DocumentSignature, filename: str) -> str:
    return _generated_name("pdf")


class DocumentSignature(models.Model):
    """One PAdES signature on a document: the whole signed PDF after it, and who signed.

    The leader's own signature (a USB token, uploaded) comes first when there is one; the
    organisation's signature is added on top of the latest signed file. The newest row's file
    is what the agencies receive. Rows are never changed.
    """

    document = models.ForeignKey(
        Document, verbose_name=_("văn bản"), on_delete=models.PROTECT, related_name="signatures"
    )
    kind = models.CharField(_("loại chữ ký"), max_length=16, choices=SignatureKind.choices)
    pdf = models.FileField(_("bản PDF đã ký"), upload_to=signed_pdf_path)
    pdf_sha256 = models.CharField(max_length=64)
    signer = optional_user_field(_("người ký"))
    #: Who applied the organisation's signature, or uploaded the personal one.
    recorded_by = optional_user_field(_("người thực hiện"))
    certificate_subject = models.CharField(_("chứng thư số"), max_length=500)
    certificate_issuer = models.CharField(_("tổ chức cấp"), max_length=500)
    certificate_serial = models.CharField(_("số hiệu chứng thư"), max_length=100)
    certificate_sha256 = models.CharField(_("dấu vân tay SHA-256"), max_length=64)
    signed_at = models.DateTimeField(_("thời điểm ký"))
    created_at = models.DateTimeField(_("ghi nhận lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("chữ ký số trên văn bản")
        verbose_name_plural = _("chữ ký số trên văn bản")
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return f"{self.document} – {self.certificate_subject}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("A signature is never changed.")
        super().save(*args, **kwargs)


class SigningCertificate(models.Model):
    """A leader's personal certificate (USB token), registered so their signature is known.

    An uploaded signature counts as the decider's only when its certificate's SHA-256
    fingerprint is registered here on the user who decided.
    """

    user = user_field(
        _("người dùng"), on_delete=models.CASCADE, related_name="signing_certificates"
    )
    sha256 = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    subject = models.CharField(_("chủ thể"), max_length=500, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("đăng ký lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("chứng thư số cá nhân")
        verbose_name_plural = _("chứng thư số cá nhân")
        ordering = ["user", "id"]

    def __str__(self) -> str:
        return f"{self.user} – {self.sha256[:16]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # ``openssl x509 -fingerprint -sha256`` prints "AB:CD:…": store plain lower-case hex.
        self.sha256 = self.sha256.replace(":", "").replace(" ", "").strip().lower()
        super().save(*args, **kwargs)
