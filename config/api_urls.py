"""Version 1 of the HTTP API; each app contributes its routes."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("org.api_urls")),
    path("", include("delegations.api_urls")),
    path("", include("workflow.api_urls")),
    path("", include("approvals.api_urls")),
    path("", include("approvals.record.api_urls")),
]
