"""Rule-set parameters: defaults, validation of an administrator's input, and merging.

A parameter set is JSON: ``{group: {name: value}}`` where a group is a rule id
(``"OUT-ANNUAL-QUOTA": {"quota": 2}``) or a shared group (``"timing"``, ``"authority"``).
A stored rule-set version is merged over the code defaults, group by group and name by name, so
a rule added after the version was written starts with its default.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from workflow.rules.pack import param_groups
from workflow.rules.param_types import ParamError

JsonParams = dict[str, dict[str, Any]]


class ParamErrors(ValueError):
    """Every problem found in an administrator's input, by ``group.name`` (Vietnamese)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def default_params() -> JsonParams:
    """The code defaults of every group, as JSON (a fresh copy each call)."""
    return {
        key: {p.name: copy.deepcopy(p.default) for p in group.params}
        for key, group in param_groups().items()
    }


def merge_params(base: Mapping[str, Mapping[str, Any]], overrides: Mapping[str, Any]) -> JsonParams:
    """``overrides`` over ``base``, name by name; unknown groups and names are ignored."""
    merged: JsonParams = {key: dict(values) for key, values in base.items()}
    for key, values in overrides.items():
        if key in merged and isinstance(values, Mapping):
            merged[key].update(
                {name: copy.deepcopy(v) for name, v in values.items() if name in merged[key]}
            )
    return merged


def validate_params(raw: Any) -> JsonParams:
    """Check an administrator's (possibly partial) parameter set; return it normalised.

    Raises :class:`ParamErrors` listing every unknown rule or parameter and every bad value.
    """
    if not isinstance(raw, Mapping):
        raise ParamErrors({"": ["Tham số phải là một đối tượng JSON {mã quy tắc: {tên: giá trị}}"]})
    groups = param_groups()
    errors: dict[str, list[str]] = {}
    cleaned: JsonParams = {}
    for key, values in raw.items():
        group = groups.get(key)
        if group is None:
            errors.setdefault(key, []).append(f"Không có quy tắc hoặc nhóm tham số “{key}”.")
            continue
        if not isinstance(values, Mapping):
            errors.setdefault(key, []).append("Phải là một đối tượng JSON {tên tham số: giá trị}.")
            continue
        cleaned[key] = {}
        for name, value in values.items():
            param = group.param(name)
            if param is None:
                errors.setdefault(f"{key}.{name}", []).append(f"“{key}” không có tham số “{name}”.")
                continue
            try:
                cleaned[key][name] = param.clean(value)
            except ParamError as error:
                errors.setdefault(f"{key}.{name}", []).append(str(error))
    if errors:
        raise ParamErrors(errors)
    return cleaned


class ParamSet:
    """A complete parameter set: JSON for storage, Python values for the rules."""

    def __init__(self, overrides: Mapping[str, Any] | None = None) -> None:
        self.json: JsonParams = merge_params(default_params(), overrides or {})
        groups = param_groups()
        self.values: dict[str, dict[str, Any]] = {
            key: {p.name: p.to_python(self.json[key][p.name]) for p in group.params}
            for key, group in groups.items()
        }

    def group(self, key: str) -> dict[str, Any]:
        return self.values[key]

    def __getitem__(self, key: str) -> dict[str, Any]:
        return self.values[key]


def as_param_set(params: ParamSet | Mapping[str, Any] | None) -> ParamSet:
    return params if isinstance(params, ParamSet) else ParamSet(params)
