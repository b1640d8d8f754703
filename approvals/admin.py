"""Administrators' views of the outbox, agency notifications and their recipients."""

from __future__ import annotations

from typing import TypeVar

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.models import (
    AgencyNotification,
    AgencyRecipient,
    DeadlineAlert,
    Document,
    DocumentRegister,
    DocumentSignature,
    MessageStatus,
    OutboxMessage,
    SigningCertificate,
    UnitNumbering,
)
from approvals.notifications import agency_recipients
from approvals.outbox import message_retry
from config.errors import StateConflict

_M = TypeVar("_M", bound=Model)


class _KeptAdmin(admin.ModelAdmin[_M]):
    """Rows the services write and the record keeps: an administrator never adds or deletes one."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


_STATUS_COLOURS = {
    MessageStatus.FAILED: "#b71c1c",
    MessageStatus.PENDING: "#8a6d00",
    MessageStatus.SENDING: "#1565c0",
    MessageStatus.SENT: "#2e7d32",
}


@admin.register(OutboxMessage)
class OutboxMessageAdmin(_KeptAdmin[OutboxMessage]):
    """The outbox, read-only: failed rows stand out and can be sent again ("Gửi lại")."""

    list_display = (
        "id",
        "status_badge",
        "subject",
        "recipient",
        "to_address",
        "attempts",
        "error",
        "next_attempt_at",
        "sent_at",
        "created_at",
    )
    list_filter = ("status", "channel", "request_kind")
    search_fields = ("subject", "to_address", "message_id", "=request_id")
    date_hierarchy = "created_at"
    actions = ["retry_failed"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    list_select_related = ("notification__agency", "to_user")
    show_full_result_count = False

    @admin.display(description=gettext_lazy("Người nhận"))
    def recipient(self, obj: OutboxMessage) -> str:
        if obj.notification is not None:
            return obj.notification.agency.name
        return obj.to_user.get_username() if obj.to_user is not None else ""

    @admin.display(description=gettext_lazy("Lỗi gần nhất"))
    def error(self, obj: OutboxMessage) -> str:
        return obj.last_error[:120]

    @admin.display(description=gettext_lazy("Trạng thái"), ordering="status")
    def status_badge(self, obj: OutboxMessage) -> SafeString:
        colour = _STATUS_COLOURS.get(MessageStatus(obj.status), "inherit")
        weight = "700" if obj.status == MessageStatus.FAILED else "400"
        return format_html(
            '<span style="color:{};font-weight:{}">{}</span>',
            colour,
            weight,
            obj.get_status_display(),
        )

    @admin.action(description=gettext_lazy("Gửi lại"), permissions=["change"])
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        retried = skipped = 0
        for message in queryset.select_related("notification"):
            # An agency's address may have been corrected since the row was written.
            notification = message.notification
            address = ", ".join(agency_recipients(notification)) if notification else ""
            try:
                message_retry(
                    message_id=message.pk,
                    actor=request.user,  # type: ignore[arg-type]
                    to_address=address,
                )
                retried += 1
            except StateConflict:
                skipped += 1
        if retried:
            self.message_user(request, _("Đã xếp %(n)d thư để gửi lại.") % {"n": retried})
        if skipped:
            self.message_user(
                request,
                _("%(n)d thư không ở trạng thái gửi lỗi nên không gửi lại.") % {"n": skipped},
                messages.WARNING,
            )


@admin.register(AgencyNotification)
class AgencyNotificationAdmin(_KeptAdmin[AgencyNotification]):
    """The obligations to notify agencies; acknowledgements are recorded in the pages or API."""

    list_display = (
        "id",
        "request_kind",
        "request_id",
        "agency",
        "reason",
        "status",
        "due",
        "sent_at",
        "delivered_at",
        "acknowledged_at",
        "escalated_at",
    )
    list_filter = ("status", "reason", "request_kind", "agency")
    search_fields = ("=request_id",)
    list_select_related = ("agency",)
    readonly_fields = [f.name for f in AgencyNotification._meta.fields]


@admin.register(AgencyRecipient)
class AgencyRecipientAdmin(admin.ModelAdmin[AgencyRecipient]):
    """Where each agency wants notices of each kind and route (blank: any)."""

    list_display = ("agency", "request_kind", "route", "email")
    list_filter = ("agency", "request_kind", "route")
    search_fields = ("email",)
    list_select_related = ("agency",)


@admin.register(DeadlineAlert)
class DeadlineAlertAdmin(admin.ModelAdmin[DeadlineAlert]):
    list_display = ("id", "task_id", "kind", "due", "created_at")
    list_filter = ("kind",)
    search_fields = ("=task_id",)
    readonly_fields = [f.name for f in DeadlineAlert._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(UnitNumbering)
class UnitNumberingAdmin(admin.ModelAdmin[UnitNumbering]):
    """Per issuing unit: numbered here, or the văn thư enters numbers from the unit's register."""

    list_display = ("unit", "mode")
    list_filter = ("mode",)
    autocomplete_fields = ("unit",)


@admin.register(DocumentRegister)
class DocumentRegisterAdmin(_KeptAdmin[DocumentRegister]):
    """Registers: an administrator may change a symbol; the last number is never edited.

    A register is opened by the first issue of the year, under the numbering lock.
    """

    list_display = ("year", "unit", "series", "confidential", "symbol", "last_number")
    list_filter = ("year", "series", "confidential")
    readonly_fields = ("unit", "year", "series", "confidential", "last_number")


@admin.register(Document)
class DocumentAdmin(_KeptAdmin[Document]):
    """Issued documents, read-only: a correction is a re-issue (a new version)."""

    list_display = ("number_text", "version", "kind", "issued_on", "request_kind", "request_id")
    list_filter = ("kind", "issued_on")
    search_fields = ("number_text", "title")

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(SigningCertificate)
class SigningCertificateAdmin(admin.ModelAdmin[SigningCertificate]):
    """Leaders' USB-token certificates: an uploaded signature counts only with one of these."""

    list_display = ("user", "subject", "sha256", "created_at")
    search_fields = ("user__username", "user__last_name", "subject", "sha256")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)


@admin.register(DocumentSignature)
class DocumentSignatureAdmin(_KeptAdmin[DocumentSignature]):
    """Signatures on documents: read only (signed in the document page)."""

    list_display = ("document", "kind", "certificate_subject", "signer", "signed_at")
    list_filter = ("kind",)
    list_select_related = ("document", "signer")
    readonly_fields = [f.name for f in DocumentSignature._meta.fields]
