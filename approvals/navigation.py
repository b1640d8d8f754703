"""The main menu: entries appear once the page they point to exists."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from approvals.permissions import effective_roles, is_auditor
from org.models import Role

#: (route name, label) in menu order. Routes that are not defined yet are left out, so the
#: pages for requests, visits, the inbox and the directory appear as soon as their URLs do.
MENU: tuple[tuple[str, Promise], ...] = (
    ("home", _("Trang chủ")),
    ("outbound_list", _("Đoàn ra")),
    ("inbound_list", _("Đoàn vào")),
    ("inbox", _("Hộp việc")),
    ("abroad_now", _("Đang ở nước ngoài")),
    ("agreement_list", _("Biên bản ghi nhớ")),
    ("report_dashboard", _("Báo cáo")),
    ("reporting_rounds", _("Đợt báo cáo")),
    ("directory", _("Danh bạ")),
)


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    active: bool = False


def reverse_if_defined(name: str) -> str | None:
    """The URL of a route, or None while no page answers to that name."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _is_active(url: str, path: str, home_url: str | None) -> bool:
    # The home page is "/" and every path starts with it: it is active only on itself.
    if url == home_url:
        return path == url
    return path == url or path.startswith(url)


def nav_items_for(user: User | AnonymousUser, path: str) -> list[NavItem]:
    """The menu for a signed-in user; empty for anonymous visitors."""
    if not user.is_authenticated:
        return []
    home_url = reverse_if_defined("home")
    items: list[NavItem] = []
    for name, label in MENU:
        url = reverse_if_defined(name)
        if url is not None:
            items.append(NavItem(label, url, _is_active(url, path, home_url)))
    # The system log: auditors read all of it, administrators their own actions (record/).
    log_url = reverse_if_defined("audit_log")
    if log_url is not None and (getattr(user, "is_staff", False) or is_auditor(user)):
        items.append(NavItem(_("Nhật ký hệ thống"), log_url, path.startswith(log_url)))
    # Administrators (staff accounts, as for the admin link): the steps of the authority matrix
    # nobody holds (org.views). Other users pay no query for it.
    unheld_url = reverse_if_defined("steps_without_holders")
    if unheld_url is not None and getattr(user, "is_staff", False) and _is_administrator(user):
        items.append(NavItem(_("Bước chưa có người"), unheld_url, path.startswith(unheld_url)))
    # The operations view (approvals/views_operations.py): administrators only. They use the
    # admin too (staff); asking for roles only then keeps other pages' query count unchanged.
    ops_url = reverse_if_defined("operations")
    if (
        ops_url is not None
        and getattr(user, "is_staff", False)
        and (
            getattr(user, "is_superuser", False)
            or any(role == Role.ADMIN for role, _unit, _holder in effective_roles(user))
        )
    ):
        items.append(NavItem(_("Vận hành"), ops_url, path.startswith(ops_url)))
    if getattr(user, "is_staff", False):
        url = reverse("admin:index")
        items.append(NavItem(_("Quản trị"), url, path.startswith(url)))
    return items


def _is_administrator(user: User) -> bool:
    """Superuser, or holds the administrator role today (as ``approvals.record.access``)."""
    if getattr(user, "is_superuser", False):
        return True
    return any(role == Role.ADMIN for role, _unit, _holder in effective_roles(user))


def display_name(user: User | AnonymousUser) -> str:
    """The person's full name from the directory, else the account's name."""
    # A missing Person raises RelatedObjectDoesNotExist, an AttributeError: getattr gives None.
    person = getattr(user, "person", None)
    if person is not None and person.full_name:
        return str(person.full_name)
    full_name = getattr(user, "get_full_name", lambda: "")()
    return str(full_name or user.get_username())
