"""Agency notifications as tracked obligations: one per agency, sent, acknowledged, escalated.

:func:`agency_notifications_queue` is the one way the services create them: each
:class:`AgencyNotification` row is written together with its e-mail (an outbox row) in the
transaction that approves, cancels, extends or amends the request. The e-mail carries a signed,
expiring, single-use acknowledgement link (:func:`ack_url`) that the agency's officer opens
without an account; staff may instead record a paper or phone acknowledgement. Notices nobody
acknowledged in time are escalated once to the department reviewers.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import permissions
from approvals.audit import audit_record
from approvals.documents import signatures
from approvals.documents.countries import country_name
from approvals.documents.services import file_name, notification_documents, render_dispatch
from approvals.models import (
    AcknowledgementChannel,
    AgencyNotification,
    AgencyRecipient,
    Decision,
    NoticeReason,
    NoticeStatus,
    OutboxMessage,
)
from approvals.notices import (
    absolute,
    in_site_language,
    notify,
    render_email,
    request_path,
    role_holders,
    users_by_ids,
)
from approvals.outbox import (
    Attachment,
    AttachmentsNotReady,
    message_release,
    message_row,
    messages_enqueue_new,
)
from config.errors import PermissionDenied, StateConflict, ValidationError
from delegations.dossier_reads import DossierReads, decided_reads
from delegations.kinds import KINDS
from org.calendar import add_working_days, current_calendar
from org.models import Role, Unit, UnitKind
from workflow.models import timing_params

ACK_SALT = "approvals.agency-acknowledgement"


def active_agencies() -> list[Unit]:
    """The agencies every approved trip or visit is notified to (Công an TP, Sở Ngoại vụ)."""
    return list(
        Unit.objects.filter(kind=UnitKind.AGENCY, is_active=True, parent__isnull=True).order_by(
            "pk"
        )
    )


def agency_recipients(
    notification: AgencyNotification,
    request: Any = None,
    rows: list[tuple[str, str, str]] | None = None,
) -> list[str]:
    """The addresses for this agency, request kind and route; the most specific rows win.

    Without a matching :class:`AgencyRecipient`, the agency unit's own address. ``rows``: the
    agency's rows already read (:func:`_recipient_rows`, one query for every agency).
    """
    if request is None:
        request = request_get(notification.request_kind, notification.request_id)
    if rows is None:
        rows = _recipient_rows(request, [notification.agency_id]).get(notification.agency_id, [])
    if rows:
        best = max((bool(kind), bool(r)) for kind, r, _email in rows)
        return sorted({email for kind, r, email in rows if (bool(kind), bool(r)) == best})
    email = notification.agency.email
    return [email] if email else []


def _recipient_rows(request: Any, agency_ids: list[int]) -> dict[int, list[tuple[str, str, str]]]:
    """The :class:`AgencyRecipient` rows that may apply to the request, by agency."""
    route = getattr(request, "route", None) or ""
    found: dict[int, list[tuple[str, str, str]]] = {}
    for agency_id, kind, row_route, email in AgencyRecipient.objects.filter(
        agency_id__in=agency_ids,
        request_kind__in=[getattr(request, "request_kind", ""), ""],
        route__in=[route, ""],
    ).values_list("agency_id", "request_kind", "route", "email"):
        found.setdefault(agency_id, []).append((kind, row_route, email))
    return found


def request_get(kind: str, pk: int) -> Any:
    """The outbound request or inbound visit (any status), or None."""
    model = KINDS.get(kind)
    if model is None:
        return None
    return model._default_manager.select_related("unit").filter(pk=pk).first()


# --- the acknowledgement link ---------------------------------------------------------------


def ack_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=int(getattr(settings, "AGENCY_ACK_MAX_AGE_DAYS", 30)))


def ack_token(notification: AgencyNotification) -> str:
    return signing.TimestampSigner(salt=ACK_SALT).sign(str(notification.pk))


def ack_url(notification: AgencyNotification) -> str:
    return absolute(reverse("agency_acknowledge", args=[ack_token(notification)]))


class AckLinkError(Exception):
    """An acknowledgement link that cannot be used, with the message to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def ack_token_load(token: str) -> AgencyNotification:
    """The notification a link is for; :class:`AckLinkError` when forged or expired."""
    try:
        pk = signing.TimestampSigner(salt=ACK_SALT).unsign(token, max_age=ack_max_age())
    except signing.SignatureExpired as exc:
        raise AckLinkError(
            _("Liên kết xác nhận đã hết hạn. Vui lòng liên hệ Văn phòng Sở để xác nhận.")
        ) from exc
    except signing.BadSignature as exc:
        raise AckLinkError(_("Liên kết xác nhận không hợp lệ.")) from exc
    notification = AgencyNotification.objects.select_related("agency").filter(pk=int(pk)).first()
    if notification is None:
        raise AckLinkError(_("Liên kết xác nhận không hợp lệ."))
    return notification


# --- creating -------------------------------------------------------------------------------


def _dossier_context(request: Any) -> dict[str, Any]:
    """What every agency's letter says of the dossier: its travellers and itinerary, or its
    visitors. Read once for all the agencies notified of one change."""
    # An approval reuses what its decision read of the dossier in the same step.
    read = decided_reads(request) or DossierReads(on=timezone.localdate())
    if request.request_kind == "outbound":
        members = (
            sorted(read.members.members, key=lambda m: m.pk)
            if read.members is not None
            else request.members.select_related("person__unit", "passport").order_by("pk")
        )
        stops = read.stops if read.stops is not None else request.itinerary.order_by("order", "pk")
        return {
            "members": list(members),
            "stops": [{"country": country_name(s.country), "cities": s.cities} for s in stops],
        }
    visitors = (
        read.visitors if read.visitors is not None else request.visitors.order_by("order", "pk")
    )
    return {
        "country": country_name(request.country),
        "visitors": [
            {
                "full_name": v.full_name,
                "nationality_name": country_name(v.nationality),
                "passport_number": v.passport_number,
                "title": v.title,
                "organisation": v.organisation,
            }
            for v in visitors
        ],
    }


def _letter_context(
    request: Any, notification: AgencyNotification, dossier: dict[str, Any]
) -> dict[str, Any]:
    return {
        "notification": notification,
        "agency": notification.agency,
        "reason": notification.get_reason_display(),
        "request": request,
        "reference": str(request),
        "unit_name": request.unit.name,
        "decision_number": request.decision_number,
        "decision_date": request.decision_date,
        "ack_link": ack_url(notification),
        "ack_expires": timezone.localdate() + ack_max_age(),
        "due": notification.due,
        **dossier,
    }


# No savepoint of its own: every caller lets an error end its whole change (the approval, the
# cancellation), so a partial notification is never kept.
@transaction.atomic(savepoint=False)
@in_site_language
def _notifications_create(
    *,
    request: Any,
    agencies: list[Unit],
    reason: str,
    due: datetime.date,
    dossier: dict[str, Any],
    recipients: dict[int, list[tuple[str, str, str]]],
) -> list[AgencyNotification]:
    """One notification per agency, each with its e-mail, in the caller's transaction: the
    notifications in one insert, then their e-mails in another.

    A notification is *prepared* and its e-mail held, and the văn thư releases it
    (:func:`agency_notification_release`); with ``AGENCY_DISPATCH_AUTO`` it is written already
    sent and its e-mail pending (both events audited, as a release records them).
    ``dossier`` and ``recipients``: the letters' dossier part and the agencies' address rows,
    read once for all of them (:func:`agency_notifications_queue`).
    """
    auto = dispatch_auto()
    sent = {"status": NoticeStatus.SENT, "sent_at": timezone.now()} if auto else {}
    notifications = AgencyNotification.objects.bulk_create(
        [
            AgencyNotification(
                request_kind=request.request_kind,
                request_id=request.pk,
                agency=agency,
                reason=reason,
                due=due,
                **sent,
            )
            for agency in agencies
        ]
    )
    kind_label = _("Đoàn ra") if request.request_kind == "outbound" else _("Đoàn vào")
    messages_enqueue_new(
        [
            message_row(
                to_address=", ".join(
                    agency_recipients(
                        notification, request, recipients.get(notification.agency_id, [])
                    )
                ),
                subject=_("%(kind)s – %(reason)s: hồ sơ %(reference)s, %(unit)s")
                % {
                    "kind": kind_label,
                    "reason": notification.get_reason_display(),
                    "reference": request,
                    "unit": request.unit.name,
                },
                body_text=render_email(
                    f"agency_{reason}",
                    {**_letter_context(request, notification, dossier), "kind": kind_label},
                ),
                notification=notification,
                request_kind=request.request_kind,
                request_id=request.pk,
                # The notification was just written: no other message can hold its key.
                dedup_key=f"agency-notice:{notification.pk}",
                held=not auto,
            )
            for notification in notifications
        ]
    )
    for notification in notifications:
        audit_record(
            actor=None,
            action="notification.prepared",
            object_type=notification.request_kind,
            object_id=notification.request_id,
            after={"notification": notification.pk, "agency": notification.agency_id,
                   "reason": reason},
        )  # fmt: skip
        if auto:
            _audit_sent(notification, actor=None, released=1)
    return notifications


def dispatch_auto() -> bool:
    return bool(getattr(settings, "AGENCY_DISPATCH_AUTO", True))


# --- releasing (prepared → sent) and the files the e-mail carries -------------------------


def may_dispatch(user: User, request: Any) -> bool:
    """The văn thư of the issuing body: the department office, or the ward's officers."""
    return may_dispatch_for_unit(user, request.unit)


def may_dispatch_for_unit(user: User, unit: Unit) -> bool:
    """Holds the department office's or the ward's reviewing permission over the unit."""
    return any(
        permissions.has_unit_permission(user, perm, unit)
        for perm in (permissions.REVIEW_FOR_DEPARTMENT, permissions.REVIEW_FOR_WARD)
    )


def _release(notification: AgencyNotification, *, actor: User | None) -> None:
    """prepared → sent, and its e-mails held → pending."""
    now = timezone.now()
    updated = AgencyNotification.objects.filter(
        pk=notification.pk, status=NoticeStatus.PENDING
    ).update(status=NoticeStatus.SENT, sent_at=now, sent_by=actor)
    if not updated:
        raise StateConflict(_("Thông báo này đã được phát hành trước đó."))
    message_ids = list(
        OutboxMessage.objects.filter(notification=notification).values_list("pk", flat=True)
    )
    released = message_release(message_ids)
    notification.status, notification.sent_at, notification.sent_by = NoticeStatus.SENT, now, actor
    _audit_sent(notification, actor=actor, released=released)


def _audit_sent(notification: AgencyNotification, *, actor: User | None, released: int) -> None:
    """The event of prepared → sent: by the văn thư's release, or at once (``actor`` None)."""
    audit_record(
        actor=actor,
        action="notification.sent",
        object_type=notification.request_kind,
        object_id=notification.request_id,
        before={"status": NoticeStatus.PENDING},
        after={
            "notification": notification.pk,
            "agency": notification.agency_id,
            "messages": released,
            "auto": actor is None,
        },
    )


def agency_notification_release(
    *, notification: AgencyNotification, actor: User
) -> AgencyNotification:
    """The văn thư releases a prepared notification: prepared → sent.

    Its documents get the organisation's signature first when they are rendered and the
    organisation's certificate is configured (otherwise the worker signs them before sending,
    and the e-mail waits until it can). The e-mail goes after commit.
    """
    if notification.status != NoticeStatus.PENDING:
        raise StateConflict(_("Thông báo này đã được phát hành trước đó."))
    if signatures.organisation_configured():
        for document in notification_documents(notification):
            if document.rendered_at is not None:
                try:
                    signatures.organisation_sign(document, actor=actor)
                except signatures.SignatureRefused as exc:
                    raise ValidationError({"document": [exc.message]}) from exc
    with transaction.atomic():
        _release(notification, actor=actor)
    return notification


def notification_attachments(message: OutboxMessage) -> list[Attachment]:
    """The signed PDFs an agency e-mail carries (the letter, then the decision), read now.

    Registered with the outbox (``ApprovalsConfig.ready``). A document not rendered yet has its
    render queued; one without the organisation's signature gets it here when its certificate
    is configured (on top of the leader's, if they signed). Until every file is there,
    :class:`AttachmentsNotReady`: the e-mail waits.
    """
    if message.notification_id is None:
        return []
    notification = AgencyNotification.objects.get(pk=message.notification_id)
    found: list[Attachment] = []
    for document in notification_documents(notification):
        if document.rendered_at is None:
            render_dispatch(document.pk)  # eager Celery (tests, development) renders right here
            document.refresh_from_db()
        if document.rendered_at is None:
            raise AttachmentsNotReady(
                _("Chờ tạo tệp văn bản %(number)s.") % {"number": document.number_text}
            )
        try:
            if signatures.organisation_configured():
                # Once: kept if done. The organisation's is the last signature: its file is
                # the one to send.
                signature = signatures.organisation_sign(document, actor=None)
                data: bytes | None = signatures.signature_file(signature)
            else:
                data = signatures.signed_pdf(document)
        except signatures.SignatureRefused as exc:
            raise AttachmentsNotReady(exc.message) from exc
        if data is None:
            raise AttachmentsNotReady(
                _("Chờ ký số văn bản %(number)s.") % {"number": document.number_text}
            )
        found.append((file_name(document, "pdf"), data, "application/pdf"))
    return found


def agency_notifications_queue(
    request: Any, reason: str, due: datetime.date | None = None
) -> list[AgencyNotification]:
    """One notification per active agency for the request, due the next working day by default."""
    due = due or add_working_days(timezone.localdate(), 1, current_calendar())
    agencies = active_agencies()
    if not agencies:
        return []
    return _notifications_create(
        request=request, agencies=agencies, reason=reason, due=due,
        dossier=_dossier_context(request),
        recipients=_recipient_rows(request, [agency.pk for agency in agencies]),
    )  # fmt: skip


# --- acknowledging --------------------------------------------------------------------------


def may_record_acknowledgement(user: User, request: Any) -> bool:
    """The unit's clerk or head, or the department's or ward's reviewers."""
    return permissions.has_any_unit_permission(
        user,
        (permissions.FILE_FOR_UNIT, permissions.REVIEW_FOR_DEPARTMENT, permissions.REVIEW_FOR_WARD),
        request.unit,
    )


@transaction.atomic
def agency_notification_acknowledge(
    *,
    notification: AgencyNotification,
    via: str,
    note: str = "",
    actor: User | None = None,
    on: datetime.date | None = None,
) -> AgencyNotification:
    """Record the agency's acknowledgement (the link, or paper or phone via staff); once only.

    ``on``: the day the agency acknowledged (a paper receipt is recorded later); today if not
    given, never in the future.
    """
    if via not in AcknowledgementChannel.values:
        raise ValidationError({"via": [_("Hình thức xác nhận không hợp lệ.")]})
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValidationError({"on": [_("Ngày xác nhận không được sau hôm nay.")]})
    if on < timezone.localtime(notification.created_at).date():
        raise ValidationError({"on": [_("Ngày xác nhận không được trước ngày lập thông báo.")]})
    note = (note or "").strip()
    if len(note) > 255:
        raise ValidationError({"note": [_("Ghi chú tối đa 255 ký tự.")]})
    if via != AcknowledgementChannel.LINK and actor is None:
        raise PermissionDenied(_("Cần đăng nhập để ghi nhận xác nhận."))
    now = timezone.now()
    # The conditional UPDATE is the claim: a link opened twice, or a double click, wins once.
    updated = (
        AgencyNotification.objects.filter(pk=notification.pk)
        .exclude(status=NoticeStatus.ACKNOWLEDGED)
        .update(
            status=NoticeStatus.ACKNOWLEDGED,
            acknowledged_at=now,
            acknowledged_on=on,
            acknowledged_via=via,
            acknowledged_by=actor,
            acknowledgement_note=note,
        )
    )
    if not updated:
        raise StateConflict(_("Thông báo này đã được xác nhận trước đó."))
    before = notification.status
    notification.refresh_from_db()
    audit_record(
        actor=actor,
        action="notification.acknowledged",
        object_type=notification.request_kind,
        object_id=notification.request_id,
        before={"status": before},
        after={
            "notification": notification.pk,
            "agency": notification.agency_id,
            "via": via,
            "on": on.isoformat(),
        },
        comment=note,
    )
    return notification


# --- escalating -----------------------------------------------------------------------------


def _reviewers_for(notification: AgencyNotification) -> list[User]:
    """The reviewer who handled the dossier, else every department reviewer."""
    decision = (
        Decision.objects.filter(
            request_kind=notification.request_kind,
            request_id=notification.request_id,
            step__in=["review_by_department", "record_city_decision"],
        )
        .order_by("-pk")
        .first()
    )
    if decision is not None:
        people = users_by_ids([decision.actor_id])
        if people:
            return people
    return role_holders(Role.DEPT_REVIEWER)


@in_site_language
def agency_notices_escalate(*, today: datetime.date | None = None) -> int:
    """Tell the department reviewers, once per notice, about notices still unacknowledged.

    A notice is late ``escalation_days_after`` working days after its due date.
    """

    today = today or timezone.localdate()
    calendar = current_calendar()
    days_after = int(timing_params(today)["escalation_days_after"])
    candidates = AgencyNotification.objects.filter(
        status__in=[
            NoticeStatus.PENDING,
            NoticeStatus.SENT,
            NoticeStatus.DELIVERED,
            NoticeStatus.FAILED,
        ],
        escalated_at__isnull=True,
        due__lt=today,
    ).select_related("agency")
    count = 0
    for notification in candidates.iterator(200):
        if add_working_days(notification.due, days_after, calendar) > today:
            continue
        with transaction.atomic():
            claimed = AgencyNotification.objects.filter(
                pk=notification.pk, escalated_at__isnull=True
            ).update(escalated_at=timezone.now())
            if not claimed:
                continue
            request = request_get(notification.request_kind, notification.request_id)
            if request is None:
                continue
            context = {
                "reference": str(request),
                "agency": notification.agency.name,
                "reason": notification.get_reason_display(),
                "due": notification.due,
                "status": notification.get_status_display(),
            }
            text = _(
                "%(agency)s chưa xác nhận %(reason)s của hồ sơ %(reference)s (hạn %(due)s)."
            ) % {**context, "due": notification.due.strftime("%d/%m/%Y")}
            told = notify(
                users=_reviewers_for(notification),
                text=text,
                template="agency_escalation",
                context=context,
                url=request_path(request),
                request=request,
                dedup_prefix=f"agency-escalation:{notification.pk}",
            )
            audit_record(
                actor=None,
                action="notification.escalated",
                object_type=notification.request_kind,
                object_id=notification.request_id,
                after={"notification": notification.pk, "told": told},
            )
            count += 1
    return count


__all__ = [
    "NoticeReason",
    "ack_token",
    "ack_url",
    "agency_notices_escalate",
    "agency_notification_acknowledge",
    "agency_notification_release",
    "agency_notifications_queue",
    "may_dispatch",
    "may_dispatch_for_unit",
    "notification_attachments",
]
