"""API routes of the record (mounted under ``/api/v1/``)."""

from django.urls import path

from approvals.record import api as api
from approvals.record import api_rounds

urlpatterns = [
    path("documents/<int:pk>/", api.DocumentDetailView.as_view(), name="api-document-detail"),
    path("documents/<int:pk>/file/", api.DocumentFileView.as_view(), name="api-document-file"),
    path(
        "documents/<int:pk>/reissue/",
        api.DocumentReissueView.as_view(),
        name="api-document-reissue",
    ),
    path(
        "documents/<int:pk>/number/",
        api.DocumentNumberView.as_view(),
        name="api-document-number",
    ),
    path("audit/", api.AuditListView.as_view(), name="api-audit"),
    path(
        "audit/verification/",
        api.AuditVerificationView.as_view(),
        name="api-audit-verification",
    ),
    path("exports/<slug:dataset>.<slug:fmt>", api.ExportView.as_view(), name="api-export"),
    path("reports/annual/", api.AnnualReportView.as_view(), name="api-report-annual"),
    path("abroad-now/", api.AbroadNowView.as_view(), name="api-abroad-now"),
    path("reporting-rounds/", api_rounds.RoundListView.as_view(), name="api-reporting-round-list"),
    path(
        "reporting-rounds/<int:pk>/",
        api_rounds.RoundDetailView.as_view(),
        name="api-reporting-round-detail",
    ),
]
