from typing import Any

from django.urls import URLPattern, path

from delegations import api, api_agreements, api_inbound


def _endpoints(collection: str, name: str, views: dict[str, Any]) -> list[URLPattern]:
    """A collection's endpoints: ``list`` at ``<collection>/``, ``detail`` at
    ``<collection>/<int:pk>/`` and every other view at ``<collection>/<int:pk>/<segment>/``,
    named ``api-<name>-<key>`` (a slash in the segment becomes a dash)."""
    routes = {"list": f"{collection}/", "detail": f"{collection}/<int:pk>/"}
    return [
        path(
            routes.get(key, f"{collection}/<int:pk>/{key}/"),
            view.as_view(),
            name=f"api-{name}-{key.replace('/', '-')}",
        )
        for key, view in views.items()
    ]


urlpatterns = [
    *_endpoints(
        "agreements",
        "agreement",
        {
            "list": api_agreements.AgreementListView,
            "detail": api_agreements.AgreementDetailView,
            "signed": api_agreements.AgreementSignedView,
            "terminate": api_agreements.AgreementTerminateView,
            "files": api_agreements.AgreementFileView,
            "activities": api_agreements.AgreementActivityView,
        },
    ),
    *_endpoints(
        "outbound",
        "outbound",
        {
            "list": api.OutboundListView,
            "detail": api.OutboundDetailView,
            "checks": api.OutboundChecksView,
            "submit": api.OutboundSubmitView,
            "withdraw": api.OutboundWithdrawView,
            "membership": api.OutboundMembershipView,
            "cancel": api.OutboundCancelView,
            "extension": api.OutboundExtensionView,
            "departure": api.OutboundDepartureView,
            "return": api.OutboundReturnView,
            "report": api.OutboundReportView,
            "passport-returned": api.OutboundPassportReturnedView,
        },
    ),
    *_endpoints(
        "inbound",
        "inbound",
        {
            "list": api_inbound.InboundListView,
            "detail": api_inbound.InboundDetailView,
            "checks": api_inbound.InboundChecksView,
            "submit": api_inbound.InboundSubmitView,
            "withdraw": api_inbound.InboundWithdrawView,
            "cancel": api_inbound.InboundCancelView,
            "residence-declared": api_inbound.InboundResidenceView,
            "amend": api_inbound.InboundAmendView,
            "report": api_inbound.InboundReportView,
            "visitors/import": api_inbound.InboundVisitorImportView,
        },
    ),
]
