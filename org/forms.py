"""Input of the directory pages (shape only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from org.models import UnitKind


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Tên hoặc mã"), "type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Loại đơn vị"),
        required=False,
        choices=[("", _("Tất cả")), *UnitKind.choices],
    )
    after = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
