"""The administrator's form for a new rule-set version."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.models import RuleSetVersion, ruleset_params_in_force
from workflow.rules.params import ParamErrors, merge_params, validate_params


def params_as_text(params: dict[str, Any]) -> str:
    return json.dumps(params, ensure_ascii=False, indent=2, sort_keys=False)


class RuleSetVersionForm(forms.ModelForm[RuleSetVersion]):
    """A new version: the effective date and the parameters that change.

    The JSON may be partial (``{"OUT-ANNUAL-QUOTA": {"quota": 3}}``); it is validated against
    each rule's parameter declarations and merged over the version in force on the effective
    date, and the complete set is stored.
    """

    params = forms.CharField(
        label=_("Tham số (JSON)"),
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false"}),
        help_text=_(
            "Dạng {mã quy tắc: {tên tham số: giá trị}}. Có thể chỉ ghi các tham số thay đổi; "
            "các tham số khác giữ như phiên bản đang có hiệu lực."
        ),
    )

    class Meta:
        model = RuleSetVersion
        fields = ["effective_from", "params", "note"]

    def clean_effective_from(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["effective_from"]
        if day < timezone.localdate():
            raise forms.ValidationError(
                _(
                    "Ngày hiệu lực không được trước hôm nay: các hồ sơ đã xét theo phiên bản cũ "
                    "phải giữ nguyên kết quả."
                )
            )
        return day

    def clean_params(self) -> dict[str, Any]:
        text = self.cleaned_data["params"]
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("JSON không hợp lệ (dòng %(line)s, cột %(column)s): %(msg)s")
                % {"line": error.lineno, "column": error.colno, "msg": error.msg}
            ) from None
        try:
            return validate_params(raw)
        except ParamErrors as errors:
            raise forms.ValidationError(
                [f"{key}: {message}" if key else message
                 for key, messages in errors.errors.items() for message in messages]
            ) from None  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, overrides = cleaned.get("effective_from"), cleaned.get("params")
        if day is not None and overrides is not None:
            _version, base = ruleset_params_in_force(day)
            cleaned["params"] = merge_params(base, overrides)
        return cleaned
