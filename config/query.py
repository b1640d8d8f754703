"""Narrowing a query by the filters a caller filled in, leaving out the empty ones; whether a
relation was read with its row."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.db.models.fields.mixins import FieldCacheMixin

_Row = TypeVar("_Row", bound=Model)


def filter_given(qs: QuerySet[_Row], **lookups: Any) -> QuerySet[_Row]:
    """``qs`` filtered by each lookup whose value is given (not empty), one ``filter`` each,
    in order."""
    for lookup, value in lookups.items():
        if value:
            qs = qs.filter(**{lookup: value})
    return qs


def loaded_with(obj: Model, name: str) -> bool:
    """Whether the relation ``name`` of ``obj`` was read with it (``select_related``): following
    it costs no query."""
    field = obj._meta.get_field(name)
    return isinstance(field, FieldCacheMixin) and field.is_cached(obj)
