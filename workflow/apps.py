from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Quy trình")

    def ready(self) -> None:
        # Receivers and system checks register themselves when their modules are imported.
        from workflow import checks, signals  # noqa: F401
