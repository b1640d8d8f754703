from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("Tổ chức")

    def ready(self) -> None:
        # Revokes API tokens at log-out (a receiver registers on import).
        from config import auth  # noqa: F401
