"""Collects the names that live outside the code: in the database, in queues, in sent e-mails.

Used by ``test_public_names.py``. After a deliberate change (which then needs a data migration or
a note in ``docs/architecture.md``), print the snapshot again with::

    DEBUG=true DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python -c "import django, json;
    django.setup(); from tests.guard.public_names import snapshot;
    print(json.dumps(snapshot(), ensure_ascii=False, indent=2))"
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from viewflow.workflow.fields import get_flow_ref

from config import celery_app
from workflow.flows.agreement import AgreementFlow
from workflow.flows.extension import OutboundExtensionFlow
from workflow.flows.inbound import InboundFlow
from workflow.flows.outbound import OutboundFlow
from workflow.flows.unit_report import UnitReportFlow


def flow_names() -> dict[str, list[str]]:
    """Each flow's stored reference and node names (``Process.flow_class``, ``Task.flow_task``)."""

    return {
        get_flow_ref(flow_class): sorted(node.name for node in flow_class.instance.nodes())
        for flow_class in (
            OutboundFlow,
            InboundFlow,
            OutboundExtensionFlow,
            AgreementFlow,
            UnitReportFlow,
        )
    }


def celery_task_names() -> list[str]:
    """Task names used by beat's schedule and by messages already in a queue."""

    celery_app.loader.import_default_modules()
    return sorted(name for name in celery_app.tasks if not name.startswith("celery."))


def url_names() -> dict[str, str]:
    """URL name → route (e-mails already sent link to these paths)."""

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> dict[str, str]:
        found: dict[str, str] = {}
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                found |= walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    pattern.namespace or namespace,
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                key = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found[key] = prefix + str(pattern.pattern)
        return found

    # Django's admin names its own pages (and changes them with each installed app): not ours.
    found = walk(get_resolver().url_patterns, "", None)
    return dict(sorted((k, v) for k, v in found.items() if not k.startswith("admin:")))


def snapshot() -> dict[str, Any]:
    return {"flows": flow_names(), "celery_tasks": celery_task_names(), "urls": url_names()}
