"""Pages of outbound requests (đoàn ra) under ``doan-ra/``; inbound visits under ``doan-vao/``."""

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, path

from delegations.views import (
    agreements,
    common,
    inbound,
    inbound_calendar,
    inbound_detail,
    outbound,
    outbound_actions,
    outbound_detail,
    outbound_htmx,
    outbound_membership,
)

#: The pages every kind of dossier has, by the end of their name (``<kind>_<page>``).
DOSSIER_ROUTES = {
    "list": "",
    "create": "moi/",
    "detail": "<int:pk>/",
    "edit": "<int:pk>/sua/",
    "submit": "<int:pk>/trinh/",
    "attachment_add": "<int:pk>/tai-lieu/",
    "attachment_download": "tai-lieu/<int:pk>/",
}


def _dossier_pages(kind: str, views: dict[str, Callable[..., Any]]) -> list[URLPattern]:
    """A kind's pages at the addresses of :data:`DOSSIER_ROUTES`, named ``<kind>_<page>``.

    Attachments download through the same kind-aware view for both kinds; the address only
    says where the file belongs.
    """
    views = {**views, "attachment_download": common.attachment_download}
    return [path(DOSSIER_ROUTES[page], view, name=f"{kind}_{page}") for page, view in views.items()]


def _action_pages(view: Callable[..., Any], routes: dict[str, tuple[str, str]]) -> list[URLPattern]:
    """One named route per action (``action → (slug, name)``), all served by ``view``."""
    return [
        path(f"<int:pk>/{slug}/", view, {"action": action}, name=name)
        for action, (slug, name) in routes.items()
    ]


#: One named route per trip action, all served by the same view.
TRIP_ROUTES = {
    "withdraw": ("rut", "outbound_withdraw"),
    "cancel": ("huy", "outbound_cancel"),
    "departure": ("xuat-canh", "outbound_departure"),
    "return": ("ve-nuoc", "outbound_return"),
    "extension": ("gia-han", "outbound_extension"),
    "report": ("bao-cao", "outbound_report"),
    "passport": ("nop-ho-chieu", "outbound_passport_returned"),
}

urlpatterns = [
    *_dossier_pages(
        "outbound",
        {
            "list": outbound.outbound_list,
            "create": outbound.outbound_create_view,
            "detail": outbound_detail.outbound_detail_view,
            "edit": outbound.outbound_edit_view,
            "submit": outbound_actions.outbound_submit_view,
            "attachment_add": outbound_actions.outbound_attachment_add,
        },
    ),
    path(
        "<int:pk>/xem-truoc/",
        outbound_htmx.outbound_preview_partial,
        name="outbound_preview_partial",
    ),
    path(
        "<int:pk>/xac-nhan-tham-gia/",
        outbound_membership.outbound_membership_view,
        name="outbound_membership",
    ),
    path("tim-thanh-vien/", outbound_htmx.outbound_member_search, name="outbound_member_search"),
    path("dong-thanh-vien/", outbound_htmx.outbound_member_row, name="outbound_member_row"),
    path("dong-lich-trinh/", outbound_htmx.outbound_stop_row, name="outbound_stop_row"),
    *_action_pages(outbound_actions.outbound_trip_action, TRIP_ROUTES),
]

#: Pages of inbound visits (đoàn vào), mounted under ``doan-vao/`` by config/urls.py.
INBOUND_ACTION_ROUTES = {
    "withdraw": ("rut", "inbound_withdraw"),
    "cancel": ("huy", "inbound_cancel"),
    "residence": ("tam-tru", "inbound_residence"),
    "amendment": ("dieu-chinh", "inbound_amendment"),
    "report": ("bao-cao", "inbound_report"),
}

inbound_urlpatterns = [
    *_dossier_pages(
        "inbound",
        {
            "list": inbound.inbound_list,
            "create": inbound.inbound_create_view,
            "detail": inbound_detail.inbound_detail_view,
            "edit": inbound.inbound_edit_view,
            "submit": inbound_detail.inbound_submit_view,
            "attachment_add": inbound_detail.inbound_attachment_add,
        },
    ),
    path(
        "mau-danh-sach-khach.xlsx",
        inbound.inbound_visitor_template,
        name="inbound_visitor_template",
    ),
    path("lich/", inbound_calendar.inbound_calendar, name="inbound_calendar"),
    *_action_pages(inbound_detail.inbound_visit_action, INBOUND_ACTION_ROUTES),
]

#: Pages of the MOU register, mounted under ``bien-ban-ghi-nho/`` by config/urls.py.
agreement_urlpatterns = [
    path("", agreements.agreement_list, name="agreement_list"),
    path("<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
]
