"""The decision form of a task page: the step's actions and the fields that step records."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from workflow.steps import REVIEWS_REPORT, Step, action_label


class TaskDecisionForm(forms.Form):
    """One decision on one step; whether a comment is required is the service's rule."""

    action = forms.ChoiceField(label=_("Ý kiến xử lý"), widget=forms.RadioSelect, choices=[])
    comment = forms.CharField(
        label=_("Ý kiến, lý do"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bắt buộc khi trả lại hoặc không đồng ý."),
    )

    def __init__(self, *args: Any, step: Step, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [(a, action_label(step, a)) for a in step.actions]
        if step.lists_missing_items:
            self.fields["missing_items"] = forms.CharField(
                label=_("Nội dung cần bổ sung (mỗi dòng một nội dung)"),
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("Chỉ dùng khi trả lại hồ sơ để bổ sung."),
            )
        if step.records_city_decision:
            self.fields["decision_number"] = forms.CharField(
                label=_("Số văn bản của UBND Thành phố"), required=False, max_length=64
            )
            self.fields["decision_date"] = forms.DateField(
                label=_("Ngày văn bản"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
        if step.effect == REVIEWS_REPORT:
            self.fields["comment"].help_text = _("Bắt buộc khi trả lại báo cáo.")

    def service_fields(self) -> dict[str, Any]:
        """The ``fields`` argument of ``task_complete`` for this step."""
        data = self.cleaned_data
        fields: dict[str, Any] = {}
        if "missing_items" in self.fields and data["action"] == "return":
            fields["missing_items"] = [
                line.strip() for line in (data.get("missing_items") or "").splitlines()
            ][:50]
        if self.step.records_city_decision:
            fields["decision_number"] = data.get("decision_number") or ""
            fields["decision_date"] = data.get("decision_date")
        return fields
