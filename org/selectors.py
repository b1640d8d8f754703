"""Reads of the directory, always scoped to what the user may see.

Who sees what:

- everyone sees themself and their own unit;
- a holder of ``view_unit_records`` sees the units in :func:`approvals.permissions.units_in_scope`
  and the people in them (a department role reaches the units the department manages, a ward
  role its ward's schools, an auditor everything under the department);
- a superuser sees everything.

An object outside the scope raises :class:`django.http.Http404`, exactly as a missing one does,
so that callers never reveal that it exists.
"""

from __future__ import annotations

import logging

from django.db.models import Q, QuerySet
from django.http import Http404

from approvals.permissions import AnyUser, units_in_scope
from config.paging import matching, narrowed
from org.models import Person, Unit

logger = logging.getLogger(__name__)

#: What a search for a person looks in: the full name, the staff code, the log-in name.
PERSON_SEARCH = ("full_name", "staff_code", "user__username")


class _Scope:
    """What a user may see: the units in scope, their own unit, or ``everything``.

    Computed once per call in a fixed number of queries (one for the grants, one per level of
    the unit tree, one for the user's own person), whatever the number of rows.
    """

    def __init__(self, user: AnyUser) -> None:
        self.user = user
        self.everything = bool(getattr(user, "is_superuser", False)) and user.is_authenticated
        # Used as a subquery: the scope's ids are already resolved inside units_in_scope.
        self.record_units: QuerySet[Unit] = (
            Unit.objects.none() if self.everything else units_in_scope(user)
        )
        self.own_unit_id: int | None = None
        if user.is_authenticated and not self.everything:
            self.own_unit_id = (
                Person.objects.filter(user=user.pk)
                .order_by()
                .values_list("unit_id", flat=True)
                .first()
            )

    def units(self) -> Q:
        if self.everything:
            return Q()
        scope = Q(pk__in=self.record_units.values("pk"))
        if self.own_unit_id is not None:
            scope |= Q(pk=self.own_unit_id)
        return scope

    def people(self) -> Q:
        if self.everything:
            return Q()
        if not self.user.is_authenticated:
            return Q(pk__in=[])
        return Q(unit__in=self.record_units.values("pk")) | Q(user=self.user)


def _units(user: AnyUser) -> QuerySet[Unit]:
    return Unit.objects.filter(_Scope(user).units()).select_related("managing_authority")


def _people(user: AnyUser) -> QuerySet[Person]:
    return Person.objects.filter(_Scope(user).people()).select_related("unit", "user")


def unit_list_for_user(
    *, user: AnyUser, kind: str | None = None, q: str | None = None
) -> QuerySet[Unit]:
    """Units the user may see, optionally of one ``kind`` and matching ``q`` (name or code)."""
    units = narrowed(_units(user), kind=kind)
    if q:
        units = units.filter(matching(q, ("name", "name_en", "code")))
    return units.order_by("code")


def unit_get_for_user(*, user: AnyUser, code: str) -> Unit:
    """The unit with ``code`` if the user may see it; otherwise :class:`Http404`."""
    try:
        return _units(user).get(code=code)
    except Unit.DoesNotExist:
        _log_if_denied(user, Unit.objects.filter(code=code), "unit", code)
        raise Http404 from None


def person_list_for_user(
    *,
    user: AnyUser,
    unit_code: str | None = None,
    q: str | None = None,
    username: str | None = None,
) -> QuerySet[Person]:
    """People the user may see, optionally in one unit, by log-in name, or matching ``q``.

    ``q`` matches the full name, the staff code or the log-in name. A unit the user may not
    see simply yields nothing.
    """
    people = narrowed(_people(user), unit__code=unit_code, user__username=username)
    if q:
        people = people.filter(matching(q, PERSON_SEARCH))
    return people.order_by("full_name", "pk")


def person_get_for_user(*, user: AnyUser, pk: int) -> Person:
    """The person with ``pk`` if the user may see them; otherwise :class:`Http404`."""
    try:
        return _people(user).get(pk=pk)
    except Person.DoesNotExist:
        _log_if_denied(user, Person.objects.filter(pk=pk), "person", str(pk))
        raise Http404 from None


def _log_if_denied(
    user: AnyUser, exists: QuerySet[Unit] | QuerySet[Person], kind: str, key: str
) -> None:
    # The caller answers 404 either way; the log tells a real denial from a mistyped address.
    if exists.exists():
        logger.info("directory access denied: user=%s %s=%s", user.pk, kind, key)
