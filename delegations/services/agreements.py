"""The MOU register: proposals, decisions, signing, activities, files, expiry.

A school proposes an MOU (``proposed``); its head, the department's review and the Director
decide it in :class:`workflow.flows.agreement.AgreementFlow` (``approved`` or ``rejected``);
the unit records the signing (dates): it is then ``in_force``, ``expiring`` from 90 days before
its expiry, ``expired`` after it; ``terminated`` ends it early. MOUs signed before the register
are entered in force (admin, seed). Every change is audited; reminders at 90 and 30 days before
expiry go to the responsible unit once each (:class:`AgreementAlert`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import permissions
from approvals.audit import audit_record
from approvals.notices import in_site_language, notify, path_if_defined, role_holders, users_by_ids
from config.errors import PermissionDenied, StateConflict, ValidationError
from delegations.models import (
    EXPIRY_REMINDER_DAYS,
    Agreement,
    AgreementActivity,
    AgreementAlert,
    AgreementFile,
    AgreementStatus,
    Partner,
)
from delegations.services.attachments import _validate as validate_upload
from delegations.services.attachments import clean_file_name
from org.models import Role, Unit, UnitKind
from workflow.steps import StepDecision

#: Statuses whose dates drive them (refreshed daily).
DATED = (
    AgreementStatus.APPROVED,
    AgreementStatus.IN_FORCE,
    AgreementStatus.EXPIRING,
    AgreementStatus.EXPIRED,
)
MAX_TEXT = 5000


@dataclass
class AgreementInput:
    partner_id: int
    title: str
    parties: str = ""
    scope: str = ""
    effective_on: datetime.date | None = None
    expires_on: datetime.date | None = None


def _snapshot(agreement: Agreement) -> dict[str, Any]:
    return {
        "status": agreement.status,
        "signed_on": agreement.signed_on,
        "effective_on": agreement.effective_on,
        "expires_on": agreement.expires_on,
        "terminated_on": agreement.terminated_on,
    }


def _audit_change(agreement: Agreement, before: dict[str, Any], **event: Any) -> None:
    """The event of a change to the MOU's status or dates: its ``before`` and its state now
    (``event``: the actor, the action and any comment, as :func:`audit_record` takes them)."""
    audit_record(obj=agreement, before=before, after=_snapshot(agreement), **event)


def _lock(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def _may_manage(actor: User, unit: Unit) -> bool:
    """The unit's clerks and heads, or the department (which manages every unit)."""
    return permissions.has_any_unit_permission(
        actor,
        (
            permissions.FILE_FOR_UNIT,
            permissions.APPROVE_AS_UNIT_HEAD,
            permissions.REVIEW_FOR_DEPARTMENT,
        ),
        unit,
    )


def _clean(data: AgreementInput) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    title = (data.title or "").strip()
    if not title:
        errors["title"] = [_("Vui lòng nêu tên văn bản.")]
    elif len(title) > 255:
        errors["title"] = [_("Tên văn bản tối đa 255 ký tự.")]
    if len(data.scope or "") > MAX_TEXT or len(data.parties or "") > MAX_TEXT:
        errors["scope"] = [_("Nội dung tối đa 5000 ký tự.")]
    if not Partner.objects.filter(pk=data.partner_id).exists():
        errors["partner"] = [_("Không tìm thấy đối tác.")]
    if data.effective_on and data.expires_on and data.expires_on <= data.effective_on:
        errors["expires_on"] = [_("Ngày hết hiệu lực phải sau ngày có hiệu lực.")]
    if errors:
        raise ValidationError(errors)
    return {
        "partner_id": data.partner_id,
        "title": title,
        "parties": (data.parties or "").strip(),
        "scope": (data.scope or "").strip(),
        "effective_on": data.effective_on,
        "expires_on": data.expires_on,
    }


@transaction.atomic
def agreement_propose(*, actor: User, unit: Unit, data: AgreementInput) -> Agreement:
    """A unit proposes an MOU; it waits for the decisions of its approval path."""
    if not _may_manage(actor, unit):
        raise PermissionDenied(_("Bạn không được đề xuất biên bản ghi nhớ cho đơn vị này."))
    agreement = Agreement.objects.create(
        unit=unit, status=AgreementStatus.PROPOSED, created_by=actor, **_clean(data)
    )
    audit_record(
        actor=actor,
        action="agreement.proposed",
        obj=agreement,
        after={"unit": unit.code, "title": agreement.title},
    )
    return agreement


def agreement_decision(
    *, agreement: Agreement, actor: User, step: str, action: str, comment: str = ""
) -> None:
    """A decision of the approval path, audited (``agreement.<step>.<action>``); the last
    approval or any refusal settles the status (the flow's caller holds the transaction)."""
    locked = _lock(agreement)
    if locked.status != AgreementStatus.PROPOSED:
        raise StateConflict(_("Biên bản ghi nhớ này không còn chờ quyết định."))
    before = _snapshot(locked)
    if action == "reject":
        if not comment.strip():
            raise ValidationError({"comment": [_("Vui lòng nêu lý do.")]})
        locked.status = AgreementStatus.REJECTED
    elif action == "approve" and step == "decide_agreement_by_director":
        locked.status = AgreementStatus.APPROVED
    locked.save(update_fields=["status"])
    agreement.status = locked.status
    _audit_change(locked, before, actor=actor, action=f"agreement.{step}.{action}", comment=comment)


def agreement_flow_decision(*, request: Agreement, decision: StepDecision) -> None:
    """``DECISION_HANDLERS`` entry of the MOU flow (the engine holds the locks)."""
    agreement_decision(
        agreement=request,
        actor=decision.actor.user,
        step=decision.step.name,
        action=decision.action,
        comment=decision.comment,
    )


@transaction.atomic
def agreement_record_signing(
    *,
    actor: User,
    agreement: Agreement,
    signed_on: datetime.date,
    effective_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Agreement:
    """The approved MOU was signed: its dates, and the status they give today."""
    locked = _lock(agreement)
    if not _may_manage(actor, locked.unit):
        raise PermissionDenied(_("Bạn không được cập nhật biên bản ghi nhớ này."))
    if locked.status != AgreementStatus.APPROVED or locked.signed_on is not None:
        raise StateConflict(_("Chỉ ghi nhận việc ký kết cho biên bản ghi nhớ đã được chấp thuận."))
    today = today or timezone.localdate()
    if signed_on > today:
        raise ValidationError({"signed_on": [_("Ngày ký không được sau hôm nay.")]})
    start = effective_on or signed_on
    if expires_on and expires_on <= start:
        raise ValidationError({"expires_on": [_("Ngày hết hiệu lực phải sau ngày có hiệu lực.")]})
    before = _snapshot(locked)
    locked.signed_on, locked.effective_on, locked.expires_on = signed_on, effective_on, expires_on
    locked.status = locked.status_on(today)
    locked.save(update_fields=["signed_on", "effective_on", "expires_on", "status"])
    _audit_change(locked, before, actor=actor, action="agreement.signed")
    return locked


@transaction.atomic
def agreement_terminate(
    *, actor: User, agreement: Agreement, on: datetime.date, reason: str
) -> Agreement:
    locked = _lock(agreement)
    if not _may_manage(actor, locked.unit):
        raise PermissionDenied(_("Bạn không được cập nhật biên bản ghi nhớ này."))
    if locked.status not in (
        AgreementStatus.IN_FORCE,
        AgreementStatus.EXPIRING,
        AgreementStatus.APPROVED,
    ):
        raise StateConflict(_("Chỉ chấm dứt được biên bản ghi nhớ đang có hiệu lực."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Vui lòng nêu lý do.")]})
    before = _snapshot(locked)
    locked.status, locked.terminated_on = AgreementStatus.TERMINATED, on
    locked.save(update_fields=["status", "terminated_on"])
    _audit_change(locked, before, actor=actor, action="agreement.terminated", comment=reason)
    return locked


@transaction.atomic
def agreement_activity_add(
    *, actor: User, agreement: Agreement, held_on: datetime.date, description: str
) -> AgreementActivity:
    """A free entry among the MOU's activities (trips and visits are linked from their form)."""
    if not _may_manage(actor, agreement.unit):
        raise PermissionDenied(_("Bạn không được cập nhật biên bản ghi nhớ này."))
    text = (description or "").strip()
    if not text or len(text) > 500:
        raise ValidationError({"description": [_("Nội dung hoạt động: 1 đến 500 ký tự.")]})
    if agreement.status in (AgreementStatus.PROPOSED, AgreementStatus.REJECTED):
        raise StateConflict(_("Biên bản ghi nhớ chưa được ký kết."))
    activity = AgreementActivity.objects.create(
        agreement=agreement, held_on=held_on, description=text, created_by=actor
    )
    audit_record(
        actor=actor,
        action="agreement.activity_added",
        obj=agreement,
        after={"activity": activity.pk, "held_on": held_on, "description": text},
    )
    return activity


@transaction.atomic
def agreement_file_add(*, actor: User, agreement: Agreement, upload: UploadedFile) -> AgreementFile:
    """A file of the MOU, checked by content like a request's attachments."""
    if not _may_manage(actor, agreement.unit):
        raise PermissionDenied(_("Bạn không được cập nhật biên bản ghi nhớ này."))
    validate_upload("other", upload)
    name = clean_file_name(upload.name or "tep")
    stored = AgreementFile(agreement=agreement, name=name, uploaded_by=actor)
    stored.file.save(name, upload, save=False)
    stored.save()
    audit_record(
        actor=actor,
        action="agreement.file_added",
        obj=agreement,
        after={"file": stored.pk, "name": name},
    )
    return stored


# --- daily: statuses by date and expiry reminders ---------------------------------------------


def _responsible(agreement: Agreement) -> list[User]:
    """Who is reminded: the unit's heads; for the Sở's own MOUs, the head of its office."""
    if agreement.unit.kind == UnitKind.DEPARTMENT:
        return role_holders(Role.DEPT_OFFICE_HEAD)
    heads = users_by_ids(
        permissions.unit_users_with(permissions.APPROVE_AS_UNIT_HEAD, agreement.unit)
    )
    return heads or role_holders(Role.DEPT_OFFICE_HEAD)


def reminder_threshold(expires_on: datetime.date, today: datetime.date) -> int | None:
    """The reminder an MOU expiring on ``expires_on`` calls for today (90 or 30), if any."""
    left = (expires_on - today).days
    if left < 0:
        return None
    for days in sorted(EXPIRY_REMINDER_DAYS):
        if left <= days:
            return days
    return None


@in_site_language
def _remind(agreement: Agreement, days: int, today: datetime.date) -> bool:
    assert agreement.expires_on is not None
    try:
        with transaction.atomic():
            alert = AgreementAlert.objects.create(
                agreement=agreement, days_before=days, expires_on=agreement.expires_on
            )
    except IntegrityError:
        return False  # already sent for this threshold and expiry date
    context = {
        "title": agreement.title,
        "partner": agreement.partner.name,
        "unit_name": agreement.unit.name,
        "expires_text": agreement.expires_on.strftime("%d/%m/%Y"),
        "days_left": (agreement.expires_on - today).days,
    }
    text = _("Biên bản ghi nhớ với %(partner)s hết hiệu lực ngày %(expires_text)s") % context
    told = notify(
        users=_responsible(agreement),
        text=text,
        template="agreement_expiring",
        context=context,
        url=path_if_defined("agreement_detail", agreement.pk),
        dedup_prefix=f"agreement-expiry:{agreement.pk}:{agreement.expires_on}:{days}",
    )
    alert.recipients = told
    alert.save(update_fields=["recipients"])
    audit_record(
        actor=None,
        action="agreement.expiry_reminder",
        obj=agreement,
        after={"days_before": days, "expires_on": agreement.expires_on, "told": told},
    )
    return True


def agreements_refresh(*, today: datetime.date | None = None) -> dict[str, int]:
    """Daily: move MOUs along their dates (audited) and send the expiry reminders due."""
    today = today or timezone.localdate()
    counts = {"status_changes": 0, "reminders": 0}
    rows = Agreement.objects.filter(status__in=DATED).select_related("partner", "unit")
    for agreement in rows.order_by("pk").iterator(chunk_size=500):
        with transaction.atomic():
            new = agreement.status_on(today)
            if agreement.signed_on is None and agreement.status == AgreementStatus.APPROVED:
                new = AgreementStatus.APPROVED  # approved, not yet signed
            if new != agreement.status:
                before = _snapshot(agreement)
                Agreement.objects.filter(pk=agreement.pk).update(status=new)
                agreement.status = new
                _audit_change(agreement, before, actor=None, action="agreement.status_changed")
                counts["status_changes"] += 1
            if agreement.expires_on and new in (AgreementStatus.IN_FORCE, AgreementStatus.EXPIRING):
                days = reminder_threshold(agreement.expires_on, today)
                if days is not None and _remind(agreement, days, today):
                    counts["reminders"] += 1
    return counts
