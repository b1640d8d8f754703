from typing import Any

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from health_check.checks import Database
from health_check.contrib.redis import Redis
from redis.asyncio import Redis as RedisClient

from config.health import Beat, HealthView, Worker
from delegations.urls import agreement_urlpatterns, inbound_urlpatterns


def readiness_checks(redis_url: str) -> list[Any]:
    """The database, Redis if used, and a live worker and beat (unless Celery is eager)."""
    checks: list[Any] = [Database]
    if redis_url:
        checks.append((Redis, {"client_factory": lambda: RedisClient.from_url(redis_url)}))
    checks += [Worker, Beat]
    return checks


# The admin speaks of the product, not of Django ("Trang quản trị cho Django").
admin.site.site_header = _("Quản trị Đoàn ra – Đoàn vào")
admin.site.site_title = _("Đoàn ra – Đoàn vào")
admin.site.index_title = _("Danh bạ, tham số và sổ sách")

# Errors Django raises itself: JSON under /api/ (with the request id for a 500), our pages
# elsewhere (a 400 of Django's, e.g. too many fields, never viewflow's page).
handler400 = "config.api.bad_request"
handler404 = "config.api.page_not_found"
handler500 = "config.api.server_error"

urlpatterns = [
    # Health (django-health-check; docs/production.md): liveness answers while the process
    # runs; readiness checks the database, Redis, the worker's heartbeat and beat's last run.
    # ``?format=json`` names a failing component.
    path("health/live/", HealthView.as_view(checks=[]), name="health_live"),
    path(
        "health/ready/",
        HealthView.as_view(checks=readiness_checks(settings.REDIS_URL)),
        name="health_ready",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/v1/", include("config.api_urls")),
    path("doan-ra/", include("delegations.urls")),
    path("doan-vao/", include(inbound_urlpatterns)),
    path("bien-ban-ghi-nho/", include(agreement_urlpatterns)),
    path("viec/", include("workflow.urls")),
    path("", include("org.urls")),
    path("", include("approvals.urls")),
    path("", include("approvals.record.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
