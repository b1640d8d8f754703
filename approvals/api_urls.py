from django.urls import path

from approvals import api

urlpatterns = [
    path("notifications/", api.NotificationListView.as_view(), name="api-notification-list"),
    path(
        "notifications/<int:pk>/acknowledge/",
        api.NotificationAcknowledgeView.as_view(),
        name="api-notification-acknowledge",
    ),
]
