"""Version 1 of the HTTP API; each app contributes its routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("org.api_urls")),
]
