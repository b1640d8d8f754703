"""Reads for the approvals pages; permission-scoped, never writing."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from viewflow.workflow.status import STATUS

from approvals.navigation import display_name
from approvals.permissions import effective_roles, role_grant_targets
from org.models import Person, Role, Unit
from workflow.models import InboxEntry
from workflow.selectors import STEP_PERMISSIONS

#: What each role does, in one sentence, for its card on the home page.
ROLE_DESCRIPTIONS: dict[str, Promise] = {
    Role.APPLICANT: _("Lập và theo dõi đề nghị đi nước ngoài của chính bạn."),
    Role.CLERK: _("Lập, chỉnh sửa hồ sơ thay cho cán bộ trong đơn vị và lập hồ sơ đón đoàn vào."),
    Role.UNIT_HEAD: _("Phê duyệt bước đầu hồ sơ của đơn vị và trình cơ quan quản lý."),
    Role.DEPT_REVIEWER: _(
        "Thẩm định hồ sơ, yêu cầu bổ sung khi còn thiếu và chuẩn bị dự thảo quyết định."
    ),
    Role.DEPT_OFFICE_HEAD: _("Kiểm tra hồ sơ đã thẩm định trước khi trình lãnh đạo Sở."),
    Role.DIRECTOR: _("Quyết định cho phép đoàn ra, đoàn vào thuộc thẩm quyền của Sở."),
    Role.DEPUTY_DIRECTOR: _("Quyết định thay Giám đốc (ký KT. GIÁM ĐỐC) theo phân công."),
    Role.WARD_OFFICER: _("Thẩm định hồ sơ của cán bộ các trường do phường quản lý."),
    Role.WARD_CHAIR: _("Quyết định cho phép đối với cán bộ các trường do phường quản lý."),
    Role.AUDITOR: _("Xem toàn bộ hồ sơ và xuất dữ liệu; không thay đổi dữ liệu."),
    Role.ADMIN: _("Quản lý danh bạ, tham số quy tắc, lịch làm việc và sổ đăng ký."),
}


@dataclass(frozen=True)
class HomeSection:
    """One card of the home page: a role the user holds today, in one unit.

    ``waiting_count`` is what the inbox holds for this role: tasks assigned to the user and
    tasks the role lets them claim (:func:`home_sections_for_user`).
    """

    role: str
    unit: Unit
    acting_for: str | None = None
    waiting_count: int | None = None

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)

    @property
    def description(self) -> str:
        return str(ROLE_DESCRIPTIONS.get(self.role, ""))

    @property
    def waiting_message(self) -> str:
        if not self.waiting_count:
            return str(_("Chưa có hồ sơ nào đang chờ bạn."))
        return ngettext(
            "%(count)d hồ sơ đang chờ bạn xử lý.",
            "%(count)d hồ sơ đang chờ bạn xử lý.",
            self.waiting_count,
        ) % {"count": self.waiting_count}


#: Roles whose card holds the user's own steps (completing a returned dossier, the report).
_OWN_WORK_ROLES = (Role.APPLICANT, Role.CLERK, Role.UNIT_HEAD)


def _waiting_counts(user: User, held: list[tuple[str, Unit, User | None]]) -> list[int]:
    """How many open tasks wait for each held role, in one grouped query on the inbox.

    A task assigned to the user or claimable by them counts once, on the first card whose role
    grants the step's permission on the step's unit; the user's own steps (no permission: a
    returned dossier, a report) count on their applicant's (or clerk's, or head's) card.
    """
    targets = role_grant_targets(held)
    wanted = {
        (f"org.{perm}", unit_pk)
        for grants in targets
        for perm, unit_pk in grants
        if perm in STEP_PERMISSIONS
    }
    claimable = Q(pk__in=[])
    for qualified, unit_pk in wanted:
        claimable |= Q(owner_permission=qualified, permission_unit_id=unit_pk)
    rows = (
        InboxEntry.objects.filter(
            Q(owner=user, status=STATUS.ASSIGNED)
            | (claimable & Q(status=STATUS.NEW, owner__isnull=True))
        )
        .values_list("owner_permission", "permission_unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = [0] * len(held)
    own_card = next(
        (i for role in _OWN_WORK_ROLES for i, h in enumerate(held) if h[0] == role),
        0 if held else None,
    )
    for qualified, unit_pk, n in rows:
        perm = qualified.split(".", 1)[-1]
        card = next(
            (i for i, grants in enumerate(targets) if (perm, unit_pk) in grants),
            own_card,
        )
        if card is not None:
            counts[card] += n
    return counts


def home_sections_for_user(user: User) -> list[HomeSection]:
    """A card per role the user holds today, own roles first, then acting ones."""
    held = effective_roles(user)
    holder_ids = {holder.pk for _role, _unit, holder in held if holder is not None}
    # One query for the names of everyone the user acts for, not one per acting assignment.
    names = dict(Person.objects.filter(user_id__in=holder_ids).values_list("user_id", "full_name"))
    counts = _waiting_counts(user, held) if held else []
    return [
        HomeSection(
            role=role,
            unit=unit,
            acting_for=(names.get(holder.pk) or display_name(holder)) if holder else None,
            waiting_count=count,
        )
        for (role, unit, holder), count in zip(held, counts, strict=True)
    ]
