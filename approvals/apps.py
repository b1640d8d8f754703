from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Phê duyệt và hồ sơ lưu")

    def ready(self) -> None:
        from approvals import signals  # noqa: F401
        from approvals.notifications import notification_attachments
        from approvals.outbox import attachment_provider_register

        attachment_provider_register(notification_attachments)
