from django.urls import path

from delegations import api, api_agreements, api_inbound

urlpatterns = [
    path("agreements/", api_agreements.AgreementListView.as_view(), name="api-agreement-list"),
    path(
        "agreements/<int:pk>/",
        api_agreements.AgreementDetailView.as_view(),
        name="api-agreement-detail",
    ),
    path(
        "agreements/<int:pk>/signed/",
        api_agreements.AgreementSignedView.as_view(),
        name="api-agreement-signed",
    ),
    path(
        "agreements/<int:pk>/terminate/",
        api_agreements.AgreementTerminateView.as_view(),
        name="api-agreement-terminate",
    ),
    path(
        "agreements/<int:pk>/files/",
        api_agreements.AgreementFileView.as_view(),
        name="api-agreement-files",
    ),
    path(
        "agreements/<int:pk>/activities/",
        api_agreements.AgreementActivityView.as_view(),
        name="api-agreement-activities",
    ),
    path("outbound/", api.OutboundListView.as_view(), name="api-outbound-list"),
    path("outbound/<int:pk>/", api.OutboundDetailView.as_view(), name="api-outbound-detail"),
    path("outbound/<int:pk>/checks/", api.OutboundChecksView.as_view(), name="api-outbound-checks"),
    path("outbound/<int:pk>/submit/", api.OutboundSubmitView.as_view(), name="api-outbound-submit"),
    path(
        "outbound/<int:pk>/withdraw/",
        api.OutboundWithdrawView.as_view(),
        name="api-outbound-withdraw",
    ),
    path(
        "outbound/<int:pk>/membership/",
        api.OutboundMembershipView.as_view(),
        name="api-outbound-membership",
    ),
    path("outbound/<int:pk>/cancel/", api.OutboundCancelView.as_view(), name="api-outbound-cancel"),
    path(
        "outbound/<int:pk>/extension/",
        api.OutboundExtensionView.as_view(),
        name="api-outbound-extension",
    ),
    path(
        "outbound/<int:pk>/departure/",
        api.OutboundDepartureView.as_view(),
        name="api-outbound-departure",
    ),
    path("outbound/<int:pk>/return/", api.OutboundReturnView.as_view(), name="api-outbound-return"),
    path("outbound/<int:pk>/report/", api.OutboundReportView.as_view(), name="api-outbound-report"),
    path(
        "outbound/<int:pk>/passport-returned/",
        api.OutboundPassportReturnedView.as_view(),
        name="api-outbound-passport-returned",
    ),
    path("inbound/", api_inbound.InboundListView.as_view(), name="api-inbound-list"),
    path("inbound/<int:pk>/", api_inbound.InboundDetailView.as_view(), name="api-inbound-detail"),
    path(
        "inbound/<int:pk>/checks/",
        api_inbound.InboundChecksView.as_view(),
        name="api-inbound-checks",
    ),
    path(
        "inbound/<int:pk>/submit/",
        api_inbound.InboundSubmitView.as_view(),
        name="api-inbound-submit",
    ),
    path(
        "inbound/<int:pk>/withdraw/",
        api_inbound.InboundWithdrawView.as_view(),
        name="api-inbound-withdraw",
    ),
    path(
        "inbound/<int:pk>/cancel/",
        api_inbound.InboundCancelView.as_view(),
        name="api-inbound-cancel",
    ),
    path(
        "inbound/<int:pk>/residence-declared/",
        api_inbound.InboundResidenceView.as_view(),
        name="api-inbound-residence-declared",
    ),
    path(
        "inbound/<int:pk>/amend/",
        api_inbound.InboundAmendView.as_view(),
        name="api-inbound-amend",
    ),
    path(
        "inbound/<int:pk>/report/",
        api_inbound.InboundReportView.as_view(),
        name="api-inbound-report",
    ),
    path(
        "inbound/<int:pk>/visitors/import/",
        api_inbound.InboundVisitorImportView.as_view(),
        name="api-inbound-visitors-import",
    ),
]
