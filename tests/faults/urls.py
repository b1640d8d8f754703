"""The site's addresses plus an API view and a page that fail, for the error handler tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler404, handler500
from config.urls import urlpatterns as site_urlpatterns


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [
    path("api/v1/broken/", broken),
    path("broken/", broken),
    *site_urlpatterns,
]

__all__ = ["handler404", "handler500", "urlpatterns"]
