"""Template filters and tags of the request and task pages: dates from ISO strings, labels,
the fields of a form."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms, template
from django.utils.translation import gettext_lazy as _

from approvals.models import NoticeReason, NoticeStatus
from config.countries import country_label
from delegations.labels import step_title as _step_title
from delegations.models import AttachmentKind, OutboundRequest, Route

register = template.Library()

SEVERITY_LABELS = {
    "block": _("Chặn"),
    "justify": _("Cần giải trình"),
    "route": _("Thay đổi thẩm quyền"),
    "warn": _("Lưu ý"),
}


@register.filter
def iso_date(value: Any) -> datetime.date | None:
    """A date from the ISO text the presenters give (dates pass through)."""
    if isinstance(value, datetime.date) or value is None:
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@register.filter
def severity_label(value: str) -> str:
    return str(SEVERITY_LABELS.get(value, value))


@register.filter
def route_label(value: str | None) -> str:
    if not value:
        return str(_("Chưa xác định"))
    return str(dict(Route.choices).get(value, value))


@register.filter
def outbound_choice(value: Any, field_name: str) -> str:
    """The label of a choice value of an outbound request's field (kind, funding_source...)."""
    field = OutboundRequest._meta.get_field(field_name)
    choices = getattr(field, "choices", None) or []
    return str(dict(choices).get(value, value or ""))


@register.filter
def step_title(name: str) -> str:
    return _step_title(name)


@register.filter
def notice_reason(value: str) -> str:
    return str(dict(NoticeReason.choices).get(value, value))


@register.filter
def notice_status(value: str) -> str:
    return str(dict(NoticeStatus.choices).get(value, value))


@register.filter
def attachment_kind(value: str) -> str:
    return str(dict(AttachmentKind.choices).get(value, value))


@register.filter
def failed_first(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Checks that did not pass first (blocking, then justify, route, warn), then the rest."""
    order = {"block": 0, "justify": 1, "route": 2, "warn": 3}
    return sorted(checks, key=lambda c: (bool(c["passed"]), order.get(c["severity"], 9)))


@register.filter
def failed_checks(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The checks that did not pass, in :func:`failed_first` order (shown open)."""
    return [c for c in failed_first(checks) if not c["passed"]]


@register.filter
def passed_checks(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The checks that passed (folded under a summary)."""
    return [c for c in checks if c["passed"]]


@register.filter
def country(code: str) -> str:
    """A country's name in the reader's language, from its ISO code (unknown codes as given)."""
    return country_label(code)


@register.inclusion_tag("partials/fields.html")
def form_fields(form: forms.BaseForm, *names: str) -> dict[str, list[forms.BoundField]]:
    """The fields ``names`` of ``form``, in that order, each shown by ``partials/field.html``."""
    return {"fields": [form[name] for name in names]}
