"""The main menu: entries appear once the page they point to exists."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from approvals.permissions import is_administrator, is_auditor

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

#: The record's pages for those who may read all of it (auditors, administrators).
RECORD_MENU: tuple[tuple[str, Promise], ...] = (
    ("export_list", _("Xuất dữ liệu")),
    ("audit_log", _("Nhật ký hệ thống")),
)

#: Administrators' pages: the steps nobody holds, and the operations view.
ADMIN_MENU: tuple[tuple[str, Promise], ...] = (
    ("steps_without_holders", _("Bước chưa có người")),
    ("operations", _("Vận hành")),
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
    # Exports and the system log: auditors read all of the record, administrators the exports
    # and their own actions (record/access.py). The administrator's role is only looked up for
    # staff accounts, so other people's pages cost no more queries.
    administrator = getattr(user, "is_staff", False) and is_administrator(user)
    if administrator or is_auditor(user):
        for name, label in RECORD_MENU:
            url = reverse_if_defined(name)
            if url is not None:
                items.append(NavItem(label, url, path.startswith(url)))
    # Administrators (staff accounts, as for the admin link): the steps of the authority matrix
    # nobody holds (org.views) and the operations view (approvals/views_operations.py). The
    # administrator's role is only looked up for staff accounts: other pages cost no query.
    if administrator:
        for name, label in ADMIN_MENU:
            url = reverse_if_defined(name)
            if url is not None:
                items.append(NavItem(label, url, path.startswith(url)))
    if getattr(user, "is_staff", False):
        url = reverse("admin:index")
        items.append(NavItem(_("Quản trị"), url, path.startswith(url)))
    return items


def display_name(user: User | AnonymousUser) -> str:
    """The person's full name from the directory, else the account's name."""
    # A missing Person raises RelatedObjectDoesNotExist, an AttributeError: getattr gives None.
    person = getattr(user, "person", None)
    if person is not None and person.full_name:
        return str(person.full_name)
    return account_name(user)


def account_name(user: User | AnonymousUser) -> str:
    """The account's own name: its full name, else its username."""
    full_name = getattr(user, "get_full_name", lambda: "")()
    return str(full_name or user.get_username())
