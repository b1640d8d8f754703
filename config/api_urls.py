"""Version 1 of the HTTP API; each app contributes its routes."""

from csp.decorators import csp_exempt
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

# The Swagger page starts its viewer with an inline script, so it goes without the site's CSP.
swagger_page = csp_exempt()(SpectacularSwaggerView.as_view(url_name="api-schema"))

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", swagger_page, name="api-docs"),
    path("", include("org.api_urls")),
    path("", include("delegations.api_urls")),
    path("", include("workflow.api_urls")),
    path("", include("approvals.api_urls")),
    path("", include("approvals.record.api_urls")),
]
