"""Django admin for rule-set versions: add new ones, read old ones, never edit."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import admin
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.forms import RuleSetVersionForm, params_as_text
from workflow.models import RuleSetVersion, ruleset_params_in_force


@admin.register(RuleSetVersion)
class RuleSetVersionAdmin(admin.ModelAdmin[RuleSetVersion]):
    form = RuleSetVersionForm
    list_display = ["effective_from", "note", "created_by", "created_at", "in_force"]
    list_select_related = ["created_by"]
    date_hierarchy = "effective_from"
    actions = None  # the bulk delete would bypass the model's guard

    def get_queryset(self, request: HttpRequest) -> QuerySet[RuleSetVersion]:
        current = (
            RuleSetVersion.objects.filter(effective_from__lte=timezone.localdate())
            .order_by("-effective_from")
            .values("pk")[:1]
        )
        in_force = ExpressionWrapper(Q(pk=Subquery(current)), output_field=BooleanField())
        return super().get_queryset(request).annotate(is_in_force=in_force)

    @admin.display(boolean=True, description=_("đang có hiệu lực"))
    def in_force(self, obj: RuleSetVersion) -> bool:
        return bool(getattr(obj, "is_in_force", False))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Saved versions are read-only: an administrator adds a new one instead.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (
            isinstance(obj, RuleSetVersion)
            and obj.is_future
            and super().has_delete_permission(request, obj)
        )

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        _version, params = ruleset_params_in_force(timezone.localdate())
        return {
            "effective_from": timezone.localdate() + datetime.timedelta(days=1),
            "params": params_as_text(params),
        }

    def save_model(
        self, request: HttpRequest, obj: RuleSetVersion, form: Any, change: bool
    ) -> None:
        if not change and request.user.is_authenticated:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
