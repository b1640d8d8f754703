"""Rule parameters: their kinds, defaults, help texts and validation of administrators' input."""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workflow.rules.dates import DateRange


class ParamError(ValueError):
    """A parameter value an administrator typed is not acceptable; the message is Vietnamese."""


class ParamKind(enum.StrEnum):
    INT = "int"
    BOOL = "bool"
    DATE_RANGES = "date_ranges"  # [{"start": "YYYY-MM-DD", "end": "YYYY-MM-DD", "label": ""}]
    STR_LIST = "str_list"
    MAPPING = "mapping"  # a JSON object checked by the parameter's own validator


@dataclass(frozen=True)
class Param:
    """A named parameter with its default (JSON form), help text and validation."""

    name: str
    kind: ParamKind
    default: Any
    help_vi: str
    help_en: str = ""
    minimum: int | None = None
    maximum: int | None = None
    #: Extra validation for MAPPING / STR_LIST values: returns the cleaned value or raises
    #: :class:`ParamError`.
    validator: Callable[[Any], Any] | None = None

    def clean(self, value: Any) -> Any:
        """The normalised JSON value, or :class:`ParamError` with a Vietnamese message."""
        cleaned = _CLEANERS[self.kind](self, value)
        return self.validator(cleaned) if self.validator else cleaned

    def to_python(self, value: Any) -> Any:
        """The value a rule works with (date ranges become :class:`DateRange` tuples)."""
        if self.kind is ParamKind.DATE_RANGES:
            return tuple(
                DateRange(
                    datetime.date.fromisoformat(r["start"]),
                    datetime.date.fromisoformat(r["end"]),
                    r.get("label", ""),
                )
                for r in value
            )
        if self.kind is ParamKind.STR_LIST:
            return tuple(value)
        return value


def _clean_int(param: Param, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParamError("Phải là một số nguyên.")
    if param.minimum is not None and value < param.minimum:
        raise ParamError(f"Phải lớn hơn hoặc bằng {param.minimum}.")
    if param.maximum is not None and value > param.maximum:
        raise ParamError(f"Phải nhỏ hơn hoặc bằng {param.maximum}.")
    return int(value)


def _clean_bool(param: Param, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ParamError("Phải là true hoặc false.")
    return value


def _parse_day(value: Any, what: str, position: int) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ParamError(
            f"Khoảng thời gian thứ {position}: {what} phải là ngày dạng YYYY-MM-DD."
        ) from None


def _clean_date_ranges(param: Param, value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise ParamError("Phải là một danh sách các khoảng thời gian {start, end, label}.")
    cleaned = []
    for position, item in enumerate(value, start=1):
        if not isinstance(item, dict) or not {"start", "end"} <= item.keys():
            raise ParamError(f"Khoảng thời gian thứ {position}: cần có “start” và “end”.")
        unknown = item.keys() - {"start", "end", "label"}
        if unknown:
            raise ParamError(
                f"Khoảng thời gian thứ {position}: không có trường “{sorted(unknown)[0]}”."
            )
        start = _parse_day(item["start"], "ngày bắt đầu", position)
        end = _parse_day(item["end"], "ngày kết thúc", position)
        if end < start:
            raise ParamError(
                f"Khoảng thời gian thứ {position}: ngày kết thúc phải sau hoặc bằng ngày bắt đầu."
            )
        label = item.get("label", "")
        if not isinstance(label, str):
            raise ParamError(f"Khoảng thời gian thứ {position}: nhãn phải là chuỗi ký tự.")
        cleaned.append({"start": start.isoformat(), "end": end.isoformat(), "label": label})
    return cleaned


def _clean_str_list(param: Param, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ParamError("Phải là một danh sách chuỗi ký tự.")
    return list(value)


def _clean_mapping(param: Param, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ParamError("Phải là một đối tượng JSON.")
    return value


_CLEANERS: dict[ParamKind, Callable[[Param, Any], Any]] = {
    ParamKind.INT: _clean_int,
    ParamKind.BOOL: _clean_bool,
    ParamKind.DATE_RANGES: _clean_date_ranges,
    ParamKind.STR_LIST: _clean_str_list,
    ParamKind.MAPPING: _clean_mapping,
}


def int_param(
    name: str, default: int, help_vi: str, help_en: str, *, minimum: int = 0, maximum: int
) -> Param:
    """A whole number between ``minimum`` and ``maximum`` (days, months, caps, quotas)."""
    return Param(name, ParamKind.INT, default, help_vi, help_en, minimum=minimum, maximum=maximum)


def date_ranges_param(name: str, help_vi: str, help_en: str) -> Param:
    """Administrator-declared periods, both ends inclusive; none by default."""
    return Param(name, ParamKind.DATE_RANGES, [], help_vi, help_en)


@dataclass(frozen=True)
class ParamGroup:
    """The parameters of one rule, or a shared group such as ``timing`` or ``authority``."""

    key: str
    title_vi: str
    title_en: str
    params: tuple[Param, ...]

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)
