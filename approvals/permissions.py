"""Object permissions: the one module that talks to django-guardian.

Roles are held in units (:class:`org.models.RoleAssignment`, :class:`ActingAssignment`).
Each role grants a small set of permissions **on the unit** where it is held, never on
individual requests, so the permission table stays as small as the directory. The grants
are a materialised view of the assignments in force today: :func:`sync_unit_permissions`
recomputes one user's grants after every change of their assignments, and a daily Celery beat
task (``approvals.tasks.sync_all_unit_permissions``) catches acting assignments that start or
end overnight.

A grant on a department or a ward reaches the units it manages: :func:`units_in_scope`
expands it down the tree (``parent`` and ``managing_authority``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, Q, QuerySet
from django.utils import timezone
from guardian.models import UserObjectPermission
from guardian.shortcuts import get_objects_for_user

from config.memo import in_memo_scope, memo_forget, memo_keep, memo_recall, memoized
from delegations.models import RequestStatus, Route
from org.models import ActingAssignment, Role, RoleAssignment, Unit, UnitKind

AnyUser = User | AnonymousUser

VIEW_UNIT_RECORDS = "view_unit_records"
FILE_FOR_UNIT = "file_for_unit"
APPROVE_AS_UNIT_HEAD = "approve_as_unit_head"
REVIEW_FOR_DEPARTMENT = "review_for_department"
DECIDE_FOR_DEPARTMENT = "decide_for_department"
REVIEW_FOR_WARD = "review_for_ward"
DECIDE_FOR_WARD = "decide_for_ward"
AUDIT_UNIT = "audit_unit"

#: What each role may do, and in which unit the grant is placed ("own": the unit of the
#: assignment; "department": the nearest department at or above it).
ROLE_GRANTS: dict[str, tuple[str, tuple[str, ...]]] = {
    Role.APPLICANT: ("own", ()),
    Role.CLERK: ("own", (VIEW_UNIT_RECORDS, FILE_FOR_UNIT)),
    Role.UNIT_HEAD: ("own", (VIEW_UNIT_RECORDS, FILE_FOR_UNIT, APPROVE_AS_UNIT_HEAD)),
    Role.DEPT_REVIEWER: ("department", (VIEW_UNIT_RECORDS, REVIEW_FOR_DEPARTMENT)),
    Role.DEPT_OFFICE_HEAD: ("department", (VIEW_UNIT_RECORDS, REVIEW_FOR_DEPARTMENT)),
    Role.DIRECTOR: ("department", (VIEW_UNIT_RECORDS, DECIDE_FOR_DEPARTMENT)),
    Role.DEPUTY_DIRECTOR: ("department", (VIEW_UNIT_RECORDS, DECIDE_FOR_DEPARTMENT)),
    Role.WARD_OFFICER: ("own", (VIEW_UNIT_RECORDS, REVIEW_FOR_WARD)),
    Role.WARD_CHAIR: ("own", (VIEW_UNIT_RECORDS, DECIDE_FOR_WARD)),
    Role.AUDITOR: ("department", (VIEW_UNIT_RECORDS, AUDIT_UNIT)),
    Role.ADMIN: ("department", (VIEW_UNIT_RECORDS,)),
}

MANAGED_PERMISSIONS = sorted({perm for _, perms in ROLE_GRANTS.values() for perm in perms})


def _grant_unit(unit: Unit, placement: str, departments: dict[int, Unit]) -> Unit:
    if placement == "department":
        current: Unit | None = unit
        while current is not None:
            if current.kind == UnitKind.DEPARTMENT:
                return current
            current = departments.get(current.parent_id) if current.parent_id else None
    return unit


def effective_roles(
    user: User, on: datetime.date | None = None
) -> list[tuple[str, Unit, User | None]]:
    """(role, unit, acting_for) for every role the user holds on the day, acting included."""
    day = on or timezone.localdate()
    held: list[tuple[str, Unit, User | None]] = [
        (a.role, a.unit, None)
        for a in RoleAssignment.objects.effective_on(day).filter(user=user).select_related("unit")
    ]
    held += [
        (a.role, a.unit, a.holder)
        for a in ActingAssignment.objects.effective_on(day)
        .filter(acting_user=user)
        .select_related("unit", "holder")
    ]
    return held


def role_grant_targets(
    held: list[tuple[str, Unit, User | None]],
) -> list[set[tuple[str, int]]]:
    """For each held role (as :func:`effective_roles` gives them), its (codename, unit id) grants.

    One query (the units that have children, for roles placed on the department).
    """
    if not held:
        return []
    parents = {
        u.pk: u
        for u in Unit.objects.filter(
            Q(kind=UnitKind.DEPARTMENT) | Q(children__isnull=False)
        ).distinct()
    }
    targets: list[set[tuple[str, int]]] = []
    for role, unit, _acting_for in held:
        placement, perms = ROLE_GRANTS[role]
        target = _grant_unit(unit, placement, parents)
        targets.append({(perm, target.pk) for perm in perms})
    return targets


def desired_grants(user: User, on: datetime.date | None = None) -> set[tuple[str, int]]:
    """The (permission codename, unit id) pairs the user should hold on the day."""
    roles = effective_roles(user, on)
    if not roles:
        return set()
    departments = {u.pk: u for u in Unit.objects.filter(kind=UnitKind.DEPARTMENT)}
    parents = {u.pk: u for u in Unit.objects.filter(children__isnull=False).distinct()}
    parents.update(departments)
    grants: set[tuple[str, int]] = set()
    for role, unit, _acting_for in roles:
        placement, perms = ROLE_GRANTS[role]
        target = _grant_unit(unit, placement, parents)
        grants.update((perm, target.pk) for perm in perms)
    return grants


@transaction.atomic
def sync_unit_permissions(user: User, on: datetime.date | None = None) -> None:
    """Make the user's guardian grants on units match the roles they hold on the day."""

    unit_type = ContentType.objects.get_for_model(Unit)
    memo_forget(("unit_grants", user.pk))
    memo_forget(("acts_for_someone", user.pk))
    wanted = desired_grants(user, on)
    existing = UserObjectPermission.objects.filter(
        user=user, content_type=unit_type, permission__codename__in=MANAGED_PERMISSIONS
    ).select_related("permission")
    have = {(row.permission.codename, int(row.object_pk)): row.pk for row in existing}
    stale = [pk for key, pk in have.items() if key not in wanted]
    if stale:
        UserObjectPermission.objects.filter(pk__in=stale).delete()
    missing = wanted - have.keys()
    if missing:
        perms = {
            p.codename: p
            for p in Permission.objects.filter(
                content_type=unit_type, codename__in=MANAGED_PERMISSIONS
            )
        }
        UserObjectPermission.objects.bulk_create(
            [
                UserObjectPermission(
                    user=user,
                    permission=perms[codename],
                    content_type=unit_type,
                    object_pk=str(unit_id),
                )
                for codename, unit_id in sorted(missing)
            ]
        )


def sync_all_unit_permissions(on: datetime.date | None = None) -> int:
    """Re-sync every user who holds or held a role; returns how many users were checked."""

    user_model = get_user_model()
    users = user_model.objects.filter(
        Q(role_assignments__isnull=False)
        | Q(acting_assignments__isnull=False)
        | Q(userobjectpermission__isnull=False)
    ).distinct()
    count = 0
    for user in users.iterator():
        sync_unit_permissions(user, on)
        count += 1
    return count


def granted_units(user: AnyUser, perm: str) -> QuerySet[Unit]:
    """Units on which the user holds ``perm`` directly."""
    if not user.is_authenticated:
        return Unit.objects.none()
    return get_objects_for_user(
        user,
        f"org.{perm}",
        klass=Unit,
        use_groups=False,
        with_superuser=False,
        accept_global_perms=False,
    )


def expand_scope(unit_ids: Iterable[int]) -> set[int]:
    """The units and everything below them, following ``parent`` and ``managing_authority``.

    One query per level of the tree (the tree is four levels deep at most); once per read-only
    request for the same units (a memo of :mod:`config.memo`: read-only requests and decisions).
    """
    units = frozenset(unit_ids)
    return set(memoized(("expand_scope", units), lambda: _expand(units)))


def _expand(units: frozenset[int]) -> frozenset[int]:
    scope = set(units)
    frontier = set(scope)
    while frontier:
        below = set(
            Unit.objects.filter(Q(parent__in=frontier) | Q(managing_authority__in=frontier))
            .exclude(pk__in=scope)
            .values_list("pk", flat=True)
        )
        scope |= below
        frontier = below
    return frozenset(scope)


def units_in_scope(user: AnyUser, perm: str = VIEW_UNIT_RECORDS) -> QuerySet[Unit]:
    """Units whose records the user may reach with ``perm``, including managed units."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if getattr(user, "is_superuser", False):
        return Unit.objects.all()
    if perm in (VIEW_UNIT_RECORDS, AUDIT_UNIT) and is_auditor(user):
        # Inspectors read everything, ward-managed schools included (DOMAIN.md §2).
        return Unit.objects.all()
    direct = unit_grants(user, [perm]).get(perm, [])
    if not direct:
        return Unit.objects.none()
    return Unit.objects.filter(pk__in=expand_scope(direct))


def has_unit_permission(user: AnyUser, perm: str, unit: Unit) -> bool:
    """Whether the user holds ``perm`` on the unit or on a unit that manages it.

    Answered from the user's grants and the unit tree (:func:`units_in_scope`'s rule), without
    a query per unit asked about.
    """
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    if perm in (VIEW_UNIT_RECORDS, AUDIT_UNIT) and is_auditor(user):
        return True
    direct = unit_grants(user, [perm]).get(perm, [])
    # A grant on the unit itself settles it without reading the tree.
    return unit.pk in direct or (bool(direct) and unit.pk in expand_scope(direct))


def has_any_unit_permission(user: AnyUser, perms: Iterable[str], unit: Unit) -> bool:
    """Whether the user holds one of ``perms`` on the unit (see :func:`has_unit_permission`)."""
    return any(has_unit_permission(user, perm, unit) for perm in perms)


def is_auditor(user: AnyUser) -> bool:
    return bool(unit_grants(user, [AUDIT_UNIT]))


def is_administrator(user: AnyUser) -> bool:
    """Holds the administrator role today (quản trị), or is a superuser."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return any(role == Role.ADMIN for role, _unit, _holder in effective_roles(user))


def may_read_everything(user: AnyUser) -> bool:
    """Exports, the audit log and the consolidated report: auditors and administrators."""
    return user.is_authenticated and (is_auditor(user) or is_administrator(user))


def request_visibility(user: AnyUser) -> Q | None:
    """A filter on a request model (outbound or inbound) for what the user may open.

    ``None`` means everything (auditors, superusers). Applicants see what they filed and the
    trips they are members of; clerks and heads see their unit's; department roles see what was
    routed to the department or the city; ward roles see their ward schools' submitted requests.
    The caller adds its own "member" clause (the related name differs per model).
    """
    branches = request_visibility_branches(user)
    if branches is None:
        return None
    clause = branches[0]
    for branch in branches[1:]:
        clause |= branch
    return clause


def request_visibility_branches(user: AnyUser) -> list[Q] | None:
    """:func:`request_visibility` as separate clauses whose OR it is, each on one index.

    Lists read each clause on its own, newest first and limited, and merge them
    (:mod:`delegations.selectors`): an OR of them made PostgreSQL walk the whole table
    backwards for a teacher who can see a handful of rows. ``None`` means everything.
    """
    if not user.is_authenticated:
        return [Q(pk__in=[])]
    if getattr(user, "is_superuser", False):
        return None
    grants = unit_grants(user, MANAGED_PERMISSIONS)  # one query for every role the user holds
    if grants.get(AUDIT_UNIT):
        return None
    branches = [Q(created_by=user)]
    own_units = grants.get(FILE_FOR_UNIT, []) + grants.get(APPROVE_AS_UNIT_HEAD, [])
    if own_units:
        branches.append(Q(unit__in=sorted(set(own_units))))
    submitted = ~Q(status=RequestStatus.DRAFT)
    if grants.get(REVIEW_FOR_DEPARTMENT) or grants.get(DECIDE_FOR_DEPARTMENT):
        # One clause per route: each is one range of the (route, id) index.
        branches += [Q(route=Route.DEPT) & submitted, Q(route=Route.CITY) & submitted]
    ward_ids = grants.get(REVIEW_FOR_WARD, []) + grants.get(DECIDE_FOR_WARD, [])
    if ward_ids:
        branches.append(Q(unit__in=sorted(expand_scope(ward_ids))) & submitted)
    return branches


def unit_holder_ids(perm: str, unit: Unit) -> QuerySet[UserObjectPermission, int]:
    """The ids of users holding ``perm`` directly on the unit, as a query (a subquery when
    another query filters on it)."""
    return UserObjectPermission.objects.filter(
        permission__in=Permission.objects.filter(content_type__app_label="org", codename=perm),
        object_pk=str(unit.pk),
        content_type__app_label="org",
        content_type__model="unit",
    ).values_list("user_id", flat=True)


def unit_users_with(perm: str, unit: Unit) -> list[int]:
    """Ids of users holding ``perm`` directly on the unit (e.g. its heads, acting included)."""
    return list(unit_holder_ids(perm, unit))


def acting_holder_for(user: User, qualified_perm: str, unit_pk: str | int | None) -> User | None:
    """When the user may use ``perm`` on the unit only through an acting assignment, its holder.

    ``None`` when the user holds a role granting it in their own right (or acts for nobody).
    """
    if unit_pk is None:
        return None
    # Most people act for nobody: the grants' read of the unit of work has settled it, or
    # one cheap query does.
    acts = memo_recall(("acts_for_someone", user.pk))
    if acts is None:
        acts = _acting_today(user.pk).exists()
    if not acts:
        return None
    codename = qualified_perm.split(".", 1)[-1]
    unit = Unit.objects.filter(pk=unit_pk).first()
    if unit is None:
        return None
    departments = {u.pk: u for u in Unit.objects.filter(kind=UnitKind.DEPARTMENT)}
    parents = {u.pk: u for u in Unit.objects.filter(children__isnull=False).distinct()}
    parents.update(departments)
    acting: User | None = None
    for role, role_unit, holder in effective_roles(user):
        placement, perms = ROLE_GRANTS[role]
        if codename not in perms or _grant_unit(role_unit, placement, parents).pk != unit.pk:
            continue
        if holder is None:
            return None
        acting = holder
    return acting


def holds_step_permission(user: AnyUser, qualified_perm: str, unit_pk: str | int | None) -> bool:
    """Whether a role or acting assignment grants the user ``perm`` on exactly that unit today.

    The one check that decides who may take a workflow step. Unlike Django's ``has_perm`` it
    has no superuser shortcut: being a superuser, staff or an administrator grants no decision
    (DOMAIN.md §2). The grants follow the assignments in force (:func:`sync_unit_permissions`).
    """
    if unit_pk is None or not user.is_authenticated or not getattr(user, "is_active", False):
        return False
    codename = qualified_perm.split(".", 1)[-1]
    return int(unit_pk) in unit_grants(user, [codename]).get(codename, [])


def unit_grants(user: AnyUser, perms: Iterable[str]) -> dict[str, list[int]]:
    """Unit ids per permission codename the user holds directly (one query).

    Within a unit of work (:mod:`config.memo`) every grant of the user on units is read once
    and each call picks its permissions from it: the visibility check and the step's guard
    of one decision share one query.
    """
    if not user.is_authenticated:
        return {}
    wanted = list(perms)
    if in_memo_scope():
        every = memoized(("unit_grants", user.pk), lambda: _every_grant(user.pk))
        return {c: list(every[c]) for c in wanted if c in every}
    return _grants(user.pk, wanted)


def _acting_today(user_id: int) -> QuerySet[ActingAssignment]:
    return ActingAssignment.objects.effective_on(timezone.localdate()).filter(
        acting_user_id=user_id
    )


def _grant_rows(user_id: int) -> QuerySet[UserObjectPermission]:
    return UserObjectPermission.objects.filter(
        user_id=user_id, content_type__app_label="org", content_type__model="unit"
    )


def _grants(user_id: int, codenames: list[str]) -> dict[str, list[int]]:
    rows = _grant_rows(user_id).filter(permission__codename__in=codenames)
    grants: dict[str, list[int]] = {}
    for codename, object_pk in rows.values_list("permission__codename", "object_pk"):
        grants.setdefault(codename, []).append(int(object_pk))
    return grants


def _every_grant(user_id: int) -> dict[str, list[int]]:
    """Every grant of the user on units, read once for a unit of work, and with it (same
    query) whether they act for anyone today, for :func:`acting_holder_for` at the step."""
    rows = _grant_rows(user_id).annotate(acts=Exists(_acting_today(user_id)))
    grants: dict[str, list[int]] = {}
    acts: bool | None = None  # no grant, no step to take: nothing to settle
    for codename, object_pk, acting in rows.values_list(
        "permission__codename", "object_pk", "acts"
    ):
        grants.setdefault(codename, []).append(int(object_pk))
        acts = bool(acting)
    if acts is not None:
        memo_keep(("acts_for_someone", user_id), acts)
    return grants
