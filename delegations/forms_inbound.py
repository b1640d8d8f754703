"""Forms of the inbound pages (đoàn vào): the shape of the input only.

The rules about visitors, dates and lead times live in the services and the IN-* rule pack.
The visitor list comes from the partner's sheet (XLSX or CSV), read by
:mod:`delegations.services.visitor_import`, or is typed row by row (:data:`VisitorFormSet`),
each row read by the same reader as a sheet row.
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from delegations.forms import (
    DATE_WIDGET,
    CountryField,
    DossierForm,
    RequestFilterForm,
    RowFormSet,
    model_field,
    row_formset,
    textarea,
)
from delegations.models import InboundStatus, InboundVisit
from delegations.selectors import agreement_choices
from delegations.services.inbound import InboundInput, VisitorInput
from delegations.services.visitor_import import MAX_ROWS, parse_visitor_rows

SHEET_ACCEPT = ".xlsx,.csv"
MAX_SHEET_BYTES = 5 * 1024 * 1024


_model_field = functools.partial(model_field, InboundVisit)


def sheet_field(required: bool = False) -> forms.FileField:
    return forms.FileField(
        label=_("Danh sách khách (tệp XLSX hoặc CSV)"),
        required=required,
        allow_empty_file=True,
        help_text=_(
            "Các cột: Họ tên, Quốc tịch (mã 2 chữ cái), Số hộ chiếu, Ngày hết hạn, "
            "Ngày sinh, Tổ chức, Chức danh. Tệp mới thay toàn bộ danh sách cũ."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": SHEET_ACCEPT}),
    )


class InboundForm(DossierForm):
    """The visit's own fields, plus the visitor sheet (optional when editing)."""

    unit_label = _("Đơn vị đón đoàn")
    date_order = (
        "arrival_date",
        "departure_date",
        _("Ngày đoàn về phải sau hoặc trùng ngày đoàn đến."),
    )

    organisation = _model_field("organisation")
    country = CountryField(label=_("Quốc gia"))
    purpose_category = _model_field("purpose_category")
    purpose = _model_field("purpose", widget=textarea(4), max_length=5000)
    arrival_date = _model_field("arrival_date", widget=DATE_WIDGET)
    departure_date = _model_field("departure_date", widget=DATE_WIDGET)
    programme = _model_field("programme", widget=textarea(4), max_length=20000)
    venues = _model_field("venues", widget=textarea(2), max_length=5000)
    interpreter = _model_field("interpreter")
    press_coverage = _model_field("press_coverage")
    sponsor = _model_field("sponsor")
    enterprise_involved = _model_field("enterprise_involved")
    involves_student_recruitment = _model_field("involves_student_recruitment")
    involves_advertising = _model_field("involves_advertising")
    is_conference = _model_field("is_conference")
    agreement = forms.ModelChoiceField(
        queryset=agreement_choices(None),
        required=False,
        label=_("Biên bản ghi nhớ"),
    )
    senior_guest_level = _model_field("senior_guest_level", required=False)
    prime_minister_decides = _model_field("prime_minister_decides")
    accommodation_kind = _model_field("accommodation_kind", required=False)
    accommodation_address = _model_field("accommodation_address")
    visitor_file = sheet_field()

    def clean_visitor_file(self) -> Any:
        upload = self.cleaned_data.get("visitor_file")
        if upload and upload.size > MAX_SHEET_BYTES:
            raise forms.ValidationError(_("Tệp lớn quá 5 MB."))
        return upload

    def to_input(self, visitors: list[VisitorInput]) -> InboundInput:
        data = self.cleaned_data
        # Optional text fields arrive as None from choice fields left empty.
        values: dict[str, Any] = {
            name: "" if data.get(name) is None else data[name]
            for name in InboundInput.SCALAR_FIELDS
            if name != "agreement_id"
        }
        values["agreement_id"] = data["agreement"].pk if data.get("agreement") else None
        values["country"] = str(values["country"]).upper()
        return InboundInput(visitors=visitors, **values)


def initial_from_visit(visit: InboundVisit) -> dict[str, Any]:
    initial = {name: getattr(visit, name) for name in InboundInput.SCALAR_FIELDS}
    initial["agreement"] = initial.pop("agreement_id")
    initial["version"] = visit.version
    return initial


def _visitor_text(label: Any, max_length: int = 255, **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.TextInput(attrs=attrs),
    )


class VisitorRowForm(forms.Form):
    """One visitor typed on the form; every field is text, read by the sheet's reader."""

    full_name = _visitor_text(_("Họ tên"), autocomplete="off")
    # Not limited to 2 characters here: "Japan" gets the sheet reader's own message.
    nationality = _visitor_text(
        _("Quốc tịch (mã 2 chữ cái)"), max_length=64, autocapitalize="characters", size=3
    )
    passport_number = _visitor_text(_("Số hộ chiếu"), max_length=32, autocomplete="off")
    passport_expiry = forms.CharField(
        label=_("Ngày hết hạn"), required=False, max_length=10, widget=DATE_WIDGET
    )
    date_of_birth = forms.CharField(
        label=_("Ngày sinh"), required=False, max_length=10, widget=DATE_WIDGET
    )
    organisation = _visitor_text(_("Tổ chức"))
    title = _visitor_text(_("Chức danh"))


class BaseVisitorFormSet(RowFormSet):
    """The typed visitors; :meth:`visitors` is the list once the formset is valid."""

    delete_label = _("Xóa dòng này")

    def clean(self) -> None:
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        rows = [{k: v for k, v in f.cleaned_data.items() if k != "DELETE"} for f in kept]
        self._visitors, problems = parse_visitor_rows(rows)
        for (index, name), messages in problems.items():
            for message in messages:
                kept[index].add_error(name, message)
        if problems:
            raise forms.ValidationError(
                _("Danh sách khách có lỗi; xem các ô được đánh dấu."), code="rows"
            )

    def visitors(self) -> list[VisitorInput]:
        return list(getattr(self, "_visitors", []))


#: As for the sheet: at most MAX_ROWS rows, whatever TOTAL_FORMS claims.
VisitorFormSet = row_formset(VisitorRowForm, BaseVisitorFormSet, extra=1, most=MAX_ROWS)
VISITOR_PREFIX = "visitors"


def visitor_initial(visitors: list[VisitorInput]) -> list[dict[str, Any]]:
    """The stored roster as the formset's initial rows (dates as the date input writes them)."""
    return [
        {
            "full_name": v.full_name,
            "nationality": v.nationality,
            "passport_number": v.passport_number,
            "passport_expiry": v.passport_expiry.isoformat() if v.passport_expiry else "",
            "date_of_birth": v.date_of_birth.isoformat() if v.date_of_birth else "",
            "organisation": v.organisation,
            "title": v.title,
        }
        for v in visitors
    ]


class InboundFilterForm(RequestFilterForm):
    """Filters of the visit list."""

    statuses = InboundStatus.choices
    search_label = _("Tìm theo số hồ sơ, tổ chức, nội dung, tên khách")


class ResidenceForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú (nơi khai báo, số biên nhận)"),
        required=False,
        max_length=2000,
        widget=textarea(2),
    )


class AmendForm(forms.Form):
    """Change the dates or the roster (a new sheet) of an approved visit."""

    reason = forms.CharField(label=_("Lý do điều chỉnh"), max_length=2000, widget=textarea(2))
    arrival_date = forms.DateField(label=_("Ngày đoàn đến mới"), required=False, widget=DATE_WIDGET)
    departure_date = forms.DateField(
        label=_("Ngày đoàn về mới"), required=False, widget=DATE_WIDGET
    )
    visitor_file = sheet_field()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        arrival: datetime.date | None = data.get("arrival_date")
        departure: datetime.date | None = data.get("departure_date")
        if arrival and departure and departure < arrival:
            self.add_error("departure_date", _("Ngày đoàn về phải sau hoặc trùng ngày đoàn đến."))
        return data


class VisitReportForm(forms.Form):
    text = forms.CharField(
        label=_("Báo cáo kết quả đón đoàn"), max_length=50000, widget=textarea(8)
    )
