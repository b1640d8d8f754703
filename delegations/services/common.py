"""What the services of both kinds of request share: the row lock, who may file, edit and act,
the rule stamp, the agencies' notifications and the reasons a decision must give.

Outbound requests and inbound visits carry the same fields for all of this (see
:class:`delegations.models.common.DelegationRequest`), so each helper serves both.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import permissions
from approvals.audit import audit_record, bounded_snapshot, changes
from approvals.documents.services import documents_text_settle
from approvals.models import NoticeReason, RuleStamp
from approvals.notifications import agency_notifications_queue
from config.errors import PermissionDenied, StateConflict, ValidationError
from delegations.dossier_reads import DossierReads
from delegations.facts import dossier_fingerprint, evaluate, facts_digest, facts_for
from delegations.models.common import DelegationRequest, RequestStatus
from org.calendar import current_calendar
from org.models import Person, Unit
from workflow.models import RuleSetVersion, ruleset_params_in_force
from workflow.rules.engine import Evaluation

R = TypeVar("R", bound=DelegationRequest)


_HELD: ContextVar[Model | None] = ContextVar("held_request", default=None)


@contextmanager
def request_held(request: Model) -> Iterator[None]:
    """Within the block, ``request_lock`` of this same row returns this instance.

    For a caller that locked the request (``request_lock``) inside its transaction and runs
    code that locks it again (a step's flow reaching approval): the lock is held until the
    transaction ends, after this block, and every save in the step goes through one instance.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("request_held needs the transaction that holds the lock")
    token = _HELD.set(request)
    try:
        yield
    finally:
        _HELD.reset(token)


def request_lock(request: R) -> R:
    """The request (outbound or inbound) re-read under a row lock: its own row only.

    ``of=("self",)``: the unit and the applicant joined for reading are not locked. Locking the
    unit too made an approval and a draft created in the same school deadlock (the draft's
    foreign-key check waits on the unit row while holding the audit chain's head). Lock order:
    docs/production.md, "Row locks". What a step reads of them comes along: the unit's managing
    authority and parent (who decides, the department above it), the applicant and their
    person (the name on the next step's inbox entry).
    """
    held = _HELD.get()
    if held is not None and type(held) is type(request) and held.pk == request.pk:
        return cast(R, held)
    manager = type(request)._default_manager
    return (
        manager.select_for_update(of=("self",))
        .select_related("unit__managing_authority", "unit__parent", "created_by__person")
        .get(pk=request.pk)
    )


def request_ref(request: Any) -> dict[str, Any]:
    """The (kind, id) pair that ties decisions, stamps and notifications to any request."""
    return {"request_kind": request.request_kind, "request_id": request.pk}


def rule_stamp(
    request: Any,
    evaluation: Evaluation,
    stage: str,
    *,
    fingerprint: str = "",
    facts_digest: str = "",
) -> RuleStamp:
    """Record the rule pack's outcome at a stage (submission, a decision, an amendment).

    A decision's stamp also keeps the dossier's content fingerprint and the digest of the facts
    it was evaluated on, so that a later decision on the same facts reuses the evaluation
    (:func:`rule_stamp_for_decision`).
    """
    version, _params = ruleset_params_in_force(evaluation.on)
    if version is None or version.pk != evaluation.ruleset_version:
        version = (
            RuleSetVersion.objects.filter(pk=evaluation.ruleset_version).first()
            if evaluation.ruleset_version
            else None
        )
    return RuleStamp.objects.create(
        **request_ref(request),
        stage=stage,
        ruleset_version=evaluation.ruleset_version,
        ruleset_effective_from=version.effective_from if version else None,
        evaluated_on=evaluation.on,
        route=str(evaluation.route),
        checks=evaluation.to_json(),
        fingerprint=fingerprint,
        facts_digest=facts_digest,
    )


def rule_stamp_for_decision(
    request: Any, stage: str, content: dict[str, str], *, reads: DossierReads | None = None
) -> RuleStamp:
    """The rule outcomes a decision is stamped with: evaluated, or reused when nothing changed.

    The facts are always read again (the dossier, and what lies outside it: a traveller's exit
    ban, their other trips, roles, open duties). An evaluation is reused when the digest of
    those facts, of the rule-set version in force and of the calendar, and the day, are those
    of an earlier stamp of the request: the rule pack is pure, so the outcomes are the same;
    they are copied into a new stamp for this stage, which names the stamp it repeats
    (``reused_from``). Otherwise the rule pack runs. ``content``: the dossier's section digests
    (its fingerprint is kept on the stamp). ``reads``: the rows the decision read today for
    its content (:func:`delegations.dossier_reads.decision_reads`), which the facts reuse.
    """
    fingerprint = dossier_fingerprint(content)
    day = reads.on if reads is not None else timezone.localdate()
    version, _params = ruleset_params_in_force(day)
    facts = facts_for(request, on=day, reads=reads)
    digest = facts_digest(facts, version.pk if version else None, current_calendar())
    earlier = (
        RuleStamp.objects.filter(
            **request_ref(request),
            facts_digest=digest,
            evaluated_on=day,
            ruleset_version=version.pk if version else None,
        )
        .order_by("-pk")
        .first()
    )
    if earlier is None:
        evaluation = evaluate(facts, day)
        return rule_stamp(request, evaluation, stage, fingerprint=fingerprint, facts_digest=digest)
    return RuleStamp.objects.create(
        **request_ref(request),
        stage=stage,
        ruleset_version=earlier.ruleset_version,
        ruleset_effective_from=earlier.ruleset_effective_from,
        evaluated_on=day,
        route=earlier.route,
        checks=earlier.checks,
        fingerprint=fingerprint,
        facts_digest=digest,
        reused_from_id=earlier.reused_from_id or earlier.pk,
    )


def person_of(user: User) -> Person | None:
    """The directory entry of a user, with their unit (``None`` for accounts without one)."""
    return Person.objects.filter(user=user).select_related("unit").first()


def filing_units(user: User) -> list[Unit]:
    """Units the user may file requests for: their own, and any where they are clerk or head."""
    units = {u.pk: u for u in permissions.granted_units(user, permissions.FILE_FOR_UNIT)}
    person = person_of(user)
    if person is not None:
        units.setdefault(person.unit_id, person.unit)
    return list(units.values())


def filing_unit(actor: User, unit: Unit | None) -> Unit:
    """The unit a new draft is filed for: the one asked for, else the actor's own.

    :class:`PermissionDenied` when the actor may not file for it.
    """
    units = filing_units(actor)
    if unit is None:
        own = person_of(actor)
        unit = own.unit if own is not None else (units[0] if units else None)
    if unit is None or unit.pk not in {u.pk for u in units}:
        raise PermissionDenied(_("Bạn không được lập hồ sơ cho đơn vị này."))
    return unit


def _files_for(actor: User, unit_id: int) -> bool:
    """Whether the actor holds the clerk's grant on the unit itself (a clerk or head of it).

    Read from the grants (once per read-only request), not from the units they name.
    """
    filing = permissions.unit_grants(actor, [permissions.FILE_FOR_UNIT])
    return unit_id in filing.get(permissions.FILE_FOR_UNIT, [])


def ensure_can_edit(*, actor: User, request: DelegationRequest) -> None:
    """Only drafts and returned dossiers, by their author or a clerk or head of the unit."""
    if not request.is_editable:
        raise StateConflict(_("Hồ sơ chỉ được sửa khi là bản nháp hoặc bị trả lại."))
    if request.created_by_id != actor.pk and not _files_for(actor, request.unit_id):
        raise PermissionDenied(_("Chỉ người lập hoặc văn thư của đơn vị được sửa hồ sơ."))


def ensure_version(request: DelegationRequest, version: int | None) -> None:
    """A form sent from an older version of the dossier loses (HTTP 409)."""
    if version is not None and version != request.version:
        raise StateConflict(_("Hồ sơ vừa được người khác sửa; vui lòng tải lại trang."))


def request_lock_for_edit(*, actor: User, request: R, version: int | None) -> R:
    """The request locked (:func:`request_lock`), once the actor may edit it
    (:func:`ensure_can_edit`) and ``version``, when sent, is the current one."""
    request = request_lock(request)
    ensure_can_edit(actor=actor, request=request)
    ensure_version(request, version)
    documents_kept_as_issued(request)
    return request


def documents_kept_as_issued(request: DelegationRequest) -> None:
    """Call before changing a locked dossier's content (members, visitors, dates): the text of
    any document issued with its text to follow is written first, from the dossier as decided
    (an approval's letters before an amendment or an extension). A draft has none; in today's
    flows a returned dossier has none either (the city's step after the Director's proposal
    cannot return it), which its edits check anyway, should a flow ever do so."""
    if request.status != RequestStatus.DRAFT:
        documents_text_settle(request)


def audit_created(*, actor: User, action: str, obj: Any, snapshot: dict[str, Any]) -> None:
    """The creation event of a dossier with its whole content (long texts bounded)."""
    audit_record(actor=actor, action=action, obj=obj, after=bounded_snapshot(snapshot))


def audit_updated(
    *, actor: User, action: str, obj: Any, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """The edit event of a dossier: only the fields that changed, before and after (long texts
    bounded), from the snapshots taken around the edit."""
    changed_from, changed_to = changes(before, after)
    audit_record(actor=actor, action=action, obj=obj, before=changed_from, after=changed_to)


def may_act_for_trip(
    actor: User | None, request: Any, *, travellers: Collection[int] | None = None
) -> None:
    """The applicant, a traveller, or the unit's clerk or head; ``None`` is the system.

    Also used for inbound visits, which have no travellers (their visitors never log in).
    ``travellers``: the user ids of the members, when the caller has read them (a page).
    """
    if actor is None:
        return
    if request.created_by_id == actor.pk:
        return
    if travellers is None:
        members = getattr(request, "members", None)
        travels = members is not None and members.filter(person__user=actor).exists()
    else:
        travels = actor.pk in travellers
    if travels:
        return
    if permissions.has_unit_permission(actor, permissions.FILE_FOR_UNIT, request.unit):
        return
    raise PermissionDenied(
        _("Chỉ người đề nghị, thành viên đoàn hoặc văn thư đơn vị được thao tác.")
    )


def notify_agencies(request: Any, reason: str, due: datetime.date | None = None) -> int:
    """Queue one notification per agency (outbound or inbound), due the next working day.

    Each is written with its e-mail (an outbox row) in the caller's transaction.
    """
    return len(agency_notifications_queue(request, reason, due=due))


def require_reason(reason: str) -> str:
    """The reason given for a withdrawal, cancellation or change, stripped; it may not be empty."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Vui lòng nêu lý do.")]})
    return reason


def request_cancel(
    *,
    actor: User,
    request: R,
    reason: str,
    action: str,
    live: tuple[str, ...],
    refused: str,
    letters: Callable[[R, str], object] | None = None,
) -> R:
    """Cancel an approved request before it is over, whatever its kind: the row locked, the
    actor checked, the status cancelled, the kind's cancellation ``letters`` issued, the agencies
    told, and the event ``action`` audited with the reason.

    ``live`` are the statuses it may be cancelled from; ``refused`` says so otherwise (409)."""
    reason = require_reason(reason)
    request = request_lock(request)
    may_act_for_trip(actor, request)
    if request.status not in live:
        raise StateConflict(refused)
    before = request.status
    request.status = RequestStatus.CANCELLED
    request.version += 1
    request.save()
    if letters is not None:
        letters(request, reason)
    sent = notify_agencies(request, NoticeReason.CANCELLATION)
    audit_record(
        actor=actor,
        action=action,
        obj=request,
        before={"status": before},
        after={"status": request.status, "notifications": sent},
        comment=reason,
    )
    return request


def require_comment(action: str, comment: str) -> None:
    """Returning or refusing a dossier says why."""
    if action in ("return", "reject") and not comment:
        raise ValidationError({"comment": [_("Vui lòng ghi rõ lý do.")]})


def city_decision(fields: dict[str, Any]) -> dict[str, Any]:
    """The city's decision as the department reviewer records it: its number and date."""
    errors: dict[str, list[str]] = {}
    number = str(fields.get("decision_number") or "").strip()
    raw_date = fields.get("decision_date")
    if not number:
        errors["decision_number"] = [_("Nhập số văn bản của UBND Thành phố.")]
    try:
        day = (
            raw_date
            if isinstance(raw_date, datetime.date)
            else datetime.date.fromisoformat(str(raw_date))
        )
    except ValueError:
        errors["decision_date"] = [_("Ngày văn bản không hợp lệ (YYYY-MM-DD).")]
        day = None
    if errors:
        raise ValidationError(errors)
    assert day is not None
    return {"decision_number": number, "decision_date": day.isoformat()}
