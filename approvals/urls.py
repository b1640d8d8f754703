from django.urls import path

from approvals import views, views_notifications, views_operations

urlpatterns = [
    path("", views.home, name="home"),
    # Administrators: what the background left undone (docs/production.md).
    path("van-hanh/", views_operations.operations, name="operations"),
    path(
        "van-hanh/thu/<int:pk>/gui-lai/",
        views_operations.operations_retry,
        {"what": "message"},
        name="operations_retry_message",
    ),
    path(
        "van-hanh/van-ban/<int:pk>/tao-lai/",
        views_operations.operations_retry,
        {"what": "document"},
        name="operations_retry_document",
    ),
    path("thong-bao/", views_notifications.notice_list, name="notice_list"),
    path("thong-bao/<int:pk>/", views_notifications.notice_open, name="notice_open"),
    path("thong-bao/da-doc/", views_notifications.notice_read_all, name="notice_read_all"),
    path("cong-van-di/", views_notifications.agency_dispatch, name="agency_dispatch"),
    path(
        "cong-van-di/<int:pk>/phat-hanh/",
        views_notifications.agency_notification_send,
        name="agency_notification_send",
    ),
    path(
        "cong-van-di/<int:pk>/xac-nhan/",
        views_notifications.agency_notification_record,
        name="agency_notification_record",
    ),
    # Public: an agency officer opens it from the e-mail, without an account.
    path(
        "xac-nhan/<str:token>/",
        views_notifications.agency_acknowledge,
        name="agency_acknowledge",
    ),
]
