"""Pages of outbound requests (đoàn ra) under ``doan-ra/``; inbound visits under ``doan-vao/``."""

from django.urls import path

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

urlpatterns = [
    path("", outbound.outbound_list, name="outbound_list"),
    path("moi/", outbound.outbound_create_view, name="outbound_create"),
    path("<int:pk>/", outbound_detail.outbound_detail_view, name="outbound_detail"),
    path("<int:pk>/sua/", outbound.outbound_edit_view, name="outbound_edit"),
    path("<int:pk>/trinh/", outbound_actions.outbound_submit_view, name="outbound_submit"),
    path(
        "<int:pk>/xem-truoc/",
        outbound_htmx.outbound_preview_partial,
        name="outbound_preview_partial",
    ),
    path(
        "<int:pk>/tai-lieu/",
        outbound_actions.outbound_attachment_add,
        name="outbound_attachment_add",
    ),
    path(
        "tai-lieu/<int:pk>/",
        common.attachment_download,
        name="outbound_attachment_download",
    ),
    path(
        "<int:pk>/xac-nhan-tham-gia/",
        outbound_membership.outbound_membership_view,
        name="outbound_membership",
    ),
    path("tim-thanh-vien/", outbound_htmx.outbound_member_search, name="outbound_member_search"),
    path("dong-thanh-vien/", outbound_htmx.outbound_member_row, name="outbound_member_row"),
    path("dong-lich-trinh/", outbound_htmx.outbound_stop_row, name="outbound_stop_row"),
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

urlpatterns += [
    path(
        f"<int:pk>/{slug}/",
        outbound_actions.outbound_trip_action,
        {"action": action},
        name=name,
    )
    for action, (slug, name) in TRIP_ROUTES.items()
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
    path("", inbound.inbound_list, name="inbound_list"),
    path("moi/", inbound.inbound_create_view, name="inbound_create"),
    path(
        "mau-danh-sach-khach.xlsx",
        inbound.inbound_visitor_template,
        name="inbound_visitor_template",
    ),
    path("lich/", inbound_calendar.inbound_calendar, name="inbound_calendar"),
    path("<int:pk>/", inbound_detail.inbound_detail_view, name="inbound_detail"),
    path("<int:pk>/sua/", inbound.inbound_edit_view, name="inbound_edit"),
    path("<int:pk>/trinh/", inbound_detail.inbound_submit_view, name="inbound_submit"),
    path(
        "<int:pk>/tai-lieu/",
        inbound_detail.inbound_attachment_add,
        name="inbound_attachment_add",
    ),
    # The same kind-aware download as outbound files; the address only says where it belongs.
    path("tai-lieu/<int:pk>/", common.attachment_download, name="inbound_attachment_download"),
] + [
    path(
        f"<int:pk>/{slug}/",
        inbound_detail.inbound_visit_action,
        {"action": action},
        name=name,
    )
    for action, (slug, name) in INBOUND_ACTION_ROUTES.items()
]

#: Pages of the MOU register, mounted under ``bien-ban-ghi-nho/`` by config/urls.py.
agreement_urlpatterns = [
    path("", agreements.agreement_list, name="agreement_list"),
    path("<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
]
