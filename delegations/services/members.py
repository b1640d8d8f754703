"""Who travels in an outbound delegation, and whether each named person agreed to.

Members keep their row (and so their confirmation) across draft saves: a save updates each
member in place by person, adds the new ones and removes the dropped ones.

Who may name whom (docs/flows/outbound.md, "Who composes a delegation"):

- anyone may file for themself and name colleagues of their own unit; each colleague must
  confirm (accept or decline) before the request can be submitted;
- the unit's head and clerk (``file_for_unit`` on the person's unit, acting included) may file
  for anyone of the unit; the people they name need no confirmation.

A confirmation covers the trip's kind, dates and countries and the member's role in the
delegation; when any of these change, it lapses and the person is asked again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import permissions
from approvals.audit import audit_record
from approvals.notices import in_site_language, notify, path_if_defined
from config.errors import StateConflict, ValidationError
from delegations.models import MemberConfirmation, OutboundMember, OutboundRequest
from delegations.services.common import documents_kept_as_issued, person_of, request_lock
from org.models import Person

#: What a confirmation covers besides the member's own role.
TripTerms = tuple[str, str, str, tuple[str, ...]]


def trip_terms(request: OutboundRequest) -> TripTerms:
    """The trip facts a named person agrees to: kind, dates and countries."""
    countries = tuple(sorted({s.country for s in request.itinerary.all()}))
    return (
        str(request.kind),
        str(request.departure_date),
        str(request.return_date),
        countries,
    )


def confirmation_needed(actor: User, person: Person) -> bool:
    """Whether ``person``, named by ``actor``, has to confirm before submission."""
    if person.user_id is not None and person.user_id == actor.pk:
        return False
    # Direct grants only: being a superuser names nobody without their word.
    clerk_of = permissions.granted_units(actor, permissions.FILE_FOR_UNIT)
    return not clerk_of.filter(pk=person.unit_id).exists()


def members_sync(
    *,
    actor: User,
    request: OutboundRequest,
    members: Iterable[Any],
    terms_changed: bool,
) -> list[OutboundMember]:
    """Make the delegation's members match ``members`` (``MemberInput`` rows), in place.

    Returns the members who are now asked to confirm (new, or whose confirmation lapsed); the
    caller tells them with :func:`confirmations_ask` once the save is recorded.
    """
    wanted = list(members)
    existing = {m.person_id: m for m in request.members.all()}
    keep = {m.person_id for m in wanted}
    request.members.exclude(person_id__in=keep).delete()
    people = {p.pk: p for p in Person.objects.filter(pk__in=keep).select_related("unit")}
    asked: list[OutboundMember] = []
    for item in wanted:
        member = existing.get(item.person_id)
        if member is None:
            member = OutboundMember(request=request, person=people[item.person_id])
            member.confirmation = (
                MemberConfirmation.PENDING
                if confirmation_needed(actor, member.person)
                else MemberConfirmation.NOT_NEEDED
            )
            if member.confirmation == MemberConfirmation.PENDING:
                asked.append(member)
        elif member.confirmation == MemberConfirmation.CONFIRMED and (
            terms_changed or member.role != item.role
        ):
            member.confirmation = MemberConfirmation.PENDING
            member.confirmation_at = None
            asked.append(member)
        member.role = item.role
        member.passport_id = item.passport_id
        member.relative_of_id = item.relative_of_id
        member.save()
    return asked


def unconfirmed_members(request: OutboundRequest) -> list[OutboundMember]:
    return list(
        request.members.filter(confirmation=MemberConfirmation.PENDING)
        .select_related("person")
        .order_by("pk")
    )


def ensure_members_confirmed(request: OutboundRequest) -> None:
    """Submission is refused while a named person has not confirmed (HTTP 400)."""
    waiting = unconfirmed_members(request)
    if waiting:
        raise ValidationError(
            {
                "members": [
                    _(
                        "Chưa thể trình: %(names)s chưa xác nhận tham gia đoàn. Người được ghi "
                        "tên phải đồng ý trên hệ thống (hoặc nhờ văn thư, thủ trưởng đơn vị lập "
                        "hồ sơ thay)."
                    )
                    % {"names": ", ".join(m.person.full_name for m in waiting)}
                ]
            }
        )


def _filer_name(request: OutboundRequest) -> str:
    person = person_of(request.created_by)
    return person.full_name if person is not None else request.created_by.get_username()


@in_site_language
def confirmations_ask(request: OutboundRequest, members: Iterable[OutboundMember]) -> None:
    """A notice and an e-mail to each person asked to confirm (people without a log-in are
    named on the request page and in the submission refusal instead)."""
    url = path_if_defined("outbound_membership", request.pk)
    filer = _filer_name(request)
    for member in members:
        user = member.person.user
        if user is None:
            continue
        text = _(
            "%(filer)s ghi tên bạn vào đoàn đi %(dates)s (%(purpose)s). Vui lòng xác nhận "
            "tham gia hoặc từ chối."
        ) % {
            "filer": filer,
            "dates": f"{request.departure_date:%d/%m/%Y} – {request.return_date:%d/%m/%Y}",
            "purpose": request.purpose[:120],
        }
        notify(
            users=[user],
            text=text,
            subject=_("Xác nhận tham gia đoàn ra"),
            template="member_confirmation",
            context={"filer": filer, "request_obj": request},
            url=url,
            request=request,
        )


@in_site_language
def _tell_filer(request: OutboundRequest, member: OutboundMember, reason: str) -> None:
    accepted = member.confirmation == MemberConfirmation.CONFIRMED
    values = {"name": member.person.full_name, "purpose": request.purpose[:120]}
    if accepted:
        text = _("%(name)s đã xác nhận tham gia đoàn (%(purpose)s).") % values
    else:
        text = _("%(name)s từ chối tham gia đoàn (%(purpose)s) và đã được bỏ khỏi đoàn.") % values
        if reason:
            text += " " + _("Lý do: %(reason)s") % {"reason": reason}
    notify(
        users=[request.created_by],
        text=text,
        subject=_("Trả lời xác nhận tham gia đoàn ra"),
        template="member_answered",
        context={"accepted": accepted, "reason": reason, "name": member.person.full_name},
        url=path_if_defined("outbound_detail", request.pk),
        request=request,
    )


def _named_member(actor: User, request: OutboundRequest) -> OutboundMember:
    """The actor's own row in the delegation; anyone not named gets 404."""
    member = (
        request.members.filter(person__user=actor.pk)
        .select_related("person", "person__user")
        .first()
    )
    if member is None:
        raise Http404
    return member


@transaction.atomic
def outbound_membership_answer(
    *, actor: User, request: OutboundRequest, accept: bool, reason: str = ""
) -> OutboundMember:
    """A named person accepts or declines to travel.

    Only while the dossier is a draft or returned, and only once per request to confirm
    (409 otherwise). Accepting marks the member confirmed; declining removes the person from
    the delegation. Either way the filer is told and the answer audited.
    """
    request = request_lock(request)
    member = _named_member(actor, request)
    if not request.is_editable:
        raise StateConflict(
            _("Hồ sơ đã được trình hoặc đã kết thúc; không còn xác nhận tham gia được nữa.")
        )
    if member.confirmation != MemberConfirmation.PENDING:
        raise StateConflict(
            _("Bạn đã xác nhận tham gia đoàn này rồi.")
            if member.confirmation == MemberConfirmation.CONFIRMED
            else _("Bạn không cần xác nhận: bạn là người lập hoặc được đơn vị ghi tên.")
        )
    reason = (reason or "").strip()
    if len(reason) > 2000:
        raise ValidationError({"reason": [_("Lý do dài tối đa 2.000 ký tự.")]})
    documents_kept_as_issued(request)
    before = {"person": member.person_id, "confirmation": member.confirmation}
    if accept:
        member.confirmation = MemberConfirmation.CONFIRMED
        member.confirmation_at = timezone.now()
        member.save(update_fields=["confirmation", "confirmation_at"])
        action = "outbound.member_confirmed"
    else:
        member.confirmation = MemberConfirmation.NOT_NEEDED  # the row goes; only for the notice
        request.members.filter(relative_of_id=member.person_id).update(relative_of=None)
        OutboundMember.objects.filter(pk=member.pk).delete()
        action = "outbound.member_declined"
    request.version += 1
    request.save(update_fields=["version", "updated_at"])
    _tell_filer(request, member, reason)
    audit_record(
        actor=actor,
        action=action,
        obj=request,
        before=before,
        after={"person": member.person_id, "confirmation": "confirmed" if accept else "declined"},
        comment=reason,
    )
    return member
