"""The site's addresses plus views that fail: a broken API view and page, Redis down."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.health import HealthView
from config.urls import handler400, handler404, handler500, readiness_checks
from config.urls import urlpatterns as site_urlpatterns
from tests.faults.conftest import _closed_port


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [
    path("api/v1/broken/", broken),
    path("broken/", broken),
    # Readiness as configured with a REDIS_URL on which nothing listens (Redis is down).
    path(
        "health/ready-redis-down/",
        HealthView.as_view(checks=readiness_checks(f"redis://127.0.0.1:{_closed_port()}/0")),
    ),
    *site_urlpatterns,
]

__all__ = ["handler400", "handler404", "handler500", "urlpatterns"]
