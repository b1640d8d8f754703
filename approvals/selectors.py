"""Reads for the approvals pages; permission-scoped, never writing."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from approvals.navigation import display_name
from approvals.permissions import effective_roles
from org.models import Person, Role, Unit

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

    ``waiting_count`` stays None until the inbox can count the tasks of the role; the card
    then reads "nothing is waiting" rather than a made-up zero.
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


def home_sections_for_user(user: User) -> list[HomeSection]:
    """A card per role the user holds today, own roles first, then acting ones."""
    held = effective_roles(user)
    holder_ids = {holder.pk for _role, _unit, holder in held if holder is not None}
    # One query for the names of everyone the user acts for, not one per acting assignment.
    names = dict(Person.objects.filter(user_id__in=holder_ids).values_list("user_id", "full_name"))
    return [
        HomeSection(
            role=role,
            unit=unit,
            acting_for=(names.get(holder.pk) or display_name(holder)) if holder else None,
        )
        for role, unit, holder in held
    ]
