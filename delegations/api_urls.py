from django.urls import path

from delegations import api

urlpatterns = [
    path("outbound/", api.OutboundListView.as_view(), name="api-outbound-list"),
    path("outbound/<int:pk>/", api.OutboundDetailView.as_view(), name="api-outbound-detail"),
    path("outbound/<int:pk>/checks/", api.OutboundChecksView.as_view(), name="api-outbound-checks"),
    path("outbound/<int:pk>/submit/", api.OutboundSubmitView.as_view(), name="api-outbound-submit"),
    path(
        "outbound/<int:pk>/withdraw/", api.OutboundWithdrawView.as_view(),
        name="api-outbound-withdraw",
    ),
    path("outbound/<int:pk>/cancel/", api.OutboundCancelView.as_view(), name="api-outbound-cancel"),
    path(
        "outbound/<int:pk>/extension/", api.OutboundExtensionView.as_view(),
        name="api-outbound-extension",
    ),
    path(
        "outbound/<int:pk>/departure/", api.OutboundDepartureView.as_view(),
        name="api-outbound-departure",
    ),
    path("outbound/<int:pk>/return/", api.OutboundReturnView.as_view(), name="api-outbound-return"),
    path("outbound/<int:pk>/report/", api.OutboundReportView.as_view(), name="api-outbound-report"),
    path(
        "outbound/<int:pk>/passport-returned/", api.OutboundPassportReturnedView.as_view(),
        name="api-outbound-passport-returned",
    ),
]
