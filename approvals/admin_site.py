"""The admin site, every change of which is written to the audit log.

Django's admin keeps its own history (``LogEntry``), a table anyone with the database can
rewrite and that says which fields changed, not from what to what. What administrators change
is the authority the record rests on (who holds which role, who acts for whom, the rule-set
versions, the calendars, the agencies' addresses, the registers, the accounts themselves), so
every addition, change and deletion made through the admin is also an event of the hash chain
(:func:`approvals.audit.audit_record`), in the admin's own transaction: ``admin.added`` with
the row's values, ``admin.changed`` with the fields that changed before and after,
``admin.deleted`` with the row as it was. Every model registered on the default site is
covered, Django's and the libraries' included: :class:`AuditedAdminSite` gives each
``ModelAdmin`` the :class:`AuditedAdmin` mixin as it is registered. A password (its hash) is
never copied into the log; that it changed is.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db import models
from django.http import HttpRequest

from approvals.audit import audit_record, changes
from approvals.audit.changes import bounded_snapshot

#: Fields whose value never enters the log (only that it changed).
HIDDEN_FIELDS = frozenset({"password"})
HIDDEN = "***"
#: Where the values read when a change form opened wait for the save (on the request).
_BEFORE = "_admin_audit_before"


def admin_snapshot(obj: models.Model) -> dict[str, Any]:
    """The row's own values (foreign keys as ids, many-to-many as sorted ids, files by name)."""
    values: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        value = getattr(obj, f.attname)
        if isinstance(f, models.FileField):
            value = value.name or ""
        elif isinstance(value, bytes | memoryview):
            value = {"sha256": hashlib.sha256(bytes(value)).hexdigest()}
        values[f.name] = value
    if obj.pk is not None:
        for m2m in obj._meta.many_to_many:
            values[m2m.name] = sorted(getattr(obj, m2m.attname).values_list("pk", flat=True))
    return values


def _hidden(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (HIDDEN if k in HIDDEN_FIELDS and v else v) for k, v in values.items()}


def _related_rows(message: Any) -> Any:
    """Of the admin's change message, what it says of inline rows (added, changed, deleted:
    the parts that name a row); the row's own fields are in the event's values already."""
    if isinstance(message, str):
        return message
    return [part for part in message or [] if any("name" in v for v in part.values())]


def _key(obj: models.Model) -> tuple[str, str]:
    return (obj._meta.label_lower, str(obj.pk))


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ``ModelAdmin`` whose additions, changes and deletions are audit events too."""

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:  # the values before the form changes them
            before = request.__dict__.setdefault(_BEFORE, {})
            before.setdefault(_key(obj), admin_snapshot(obj))
        return obj

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        entry = super().log_addition(request, obj, message)
        after = bounded_snapshot(_hidden(admin_snapshot(obj)))
        audit_record(actor=request.user, action="admin.added", obj=obj, after=after)
        return entry

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        entry = super().log_change(request, obj, message)
        known = request.__dict__.get(_BEFORE, {}).pop(_key(obj), None)
        before: dict[str, Any] | None
        if known is None:  # saved without its change form (a list_editable row): the values now
            before, after = None, bounded_snapshot(admin_snapshot(obj))
        else:
            before, after = changes(known, admin_snapshot(obj))
        if related := _related_rows(message):
            after["admin_changes"] = related
        if before or after:
            audit_record(
                actor=request.user,
                action="admin.changed",
                obj=obj,
                before=_hidden(before) if before is not None else None,
                after=_hidden(after),
            )
        return entry

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        rows = list(queryset)  # a queryset keeps them: Django's own log reads no more
        entries = super().log_deletions(request, queryset)
        for obj in rows:
            before = bounded_snapshot(_hidden(admin_snapshot(obj)))
            audit_record(actor=request.user, action="admin.deleted", obj=obj, before=before)
        return entries


class AuditedAdminSite(admin.AdminSite):
    """The default admin site (``approvals.admin_config``): every registered ``ModelAdmin``
    becomes audited, whichever app registers it."""

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        base = admin_class or admin.ModelAdmin
        if not issubclass(base, AuditedAdmin):
            base = type(base.__name__, (AuditedAdmin, base), {"__module__": base.__module__})
        super().register(model_or_iterable, base, **options)
