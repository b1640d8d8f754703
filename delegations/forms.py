"""Forms of the outbound pages: the shape of the input only.

Cross-object rules (who may travel, whose passport, quotas) live in the services and the rule
pack; these forms check types, lengths and choices, and turn the input into an
:class:`~delegations.services.outbound.OutboundInput`.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, ClassVar

from django import forms
from django.db.models import Model
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from config.countries import country_choices, unknown_country_message
from config.values import MAX_ID
from delegations.models import (
    AttachmentKind,
    MemberRole,
    OutboundMember,
    OutboundRequest,
    RequestStatus,
)
from delegations.models.dates import dates_outside_window
from delegations.privacy import mask_passport
from delegations.selectors import agreement_choices
from delegations.services.outbound import OutboundInput, member_inputs, stop_inputs
from org.models import Passport, Person

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _country_options() -> list[tuple[str, Any]]:
    # Evaluated when the form renders, so the names follow the reader's language.
    return [("", _("— Chọn quốc gia —")), *country_choices()]


class CountrySelect(forms.Select):
    """A ``<select>`` of some 250 countries, written in one pass.

    Django renders every option through a template; with up to 50 itinerary rows that is
    12,000 template renders per page. The options are escaped once per language instead.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        chosen = str(value or "").upper()
        options = []
        for code, label in self.choices:
            if code and code == chosen:
                options.append(
                    str(format_html('<option value="{}" selected>{}</option>', code, label))
                )
            else:
                options.append(_plain_option(str(code), str(label)))
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe("".join(options)))  # noqa: S308


@lru_cache(maxsize=1024)
def _plain_option(code: str, label: str) -> str:
    return str(format_html('<option value="{}">{}</option>', code, label))


class CountryField(forms.ChoiceField):
    """A country picker: names in the reader's language, the ISO 3166-1 code as the value.

    A code typed by hand (any case) is accepted when it names a country; anything else gets a
    message that says what is expected.
    """

    widget = CountrySelect

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=_country_options, **kwargs)

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).strip().upper()

    def validate(self, value: Any) -> None:
        if value and not self.valid_value(value):
            raise forms.ValidationError(unknown_country_message(str(value)), code="invalid_choice")
        super().validate(value)


def model_field(model: type[Model], name: str, **kwargs: Any) -> forms.Field:
    """The form field Django derives from the model field (label, choices, lengths)."""
    field = model._meta.get_field(name).formfield(**kwargs)  # type: ignore[union-attr]
    assert field is not None
    field.label = capfirst(field.label)
    return field


def textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


_model_field = functools.partial(model_field, OutboundRequest)


class DossierForm(forms.Form):
    """What the outbound and the inbound dossier forms share: the version the form was opened
    on, the unit to file for when the user may file for several, and the two dates of the stay,
    in order and inside the allowed window."""

    unit_label: Any = ""
    #: The first and the last date field, and what to say when the last comes first.
    date_order: tuple[str, str, Any] = ("", "", "")

    #: The version the form was opened on: saving over someone else's change is refused.
    version = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, units: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units and len(units) > 1:
            self.fields["unit"] = forms.TypedChoiceField(
                label=self.unit_label, choices=[(u.pk, u.name) for u in units], coerce=int
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first_name, last_name, out_of_order = self.date_order
        first, last = data.get(first_name), data.get(last_name)
        if first and last and last < first:
            self.add_error(last_name, out_of_order)
        dates = ((first_name, first), (last_name, last))
        for name, messages in dates_outside_window(dates).items():
            self.add_error(name, messages)
        return data


class OutboundForm(DossierForm):
    """The dossier's own fields (members and itinerary come in formsets)."""

    unit_label = _("Lập hồ sơ cho đơn vị")
    date_order = ("departure_date", "return_date", _("Ngày về phải sau hoặc trùng ngày đi."))

    kind = _model_field("kind")
    purpose_category = _model_field("purpose_category")
    purpose = _model_field("purpose", widget=textarea(4))
    expected_results = _model_field("expected_results", widget=textarea())
    departure_date = _model_field("departure_date", widget=DATE_WIDGET)
    return_date = _model_field("return_date", widget=DATE_WIDGET)
    inviter_name = _model_field("inviter_name")
    inviter_country = CountryField(required=False, label=_("Quốc gia của bên mời"))
    inviter_is_enterprise = _model_field("inviter_is_enterprise")
    named_invitation = _model_field("named_invitation")
    partner = _model_field("partner", required=False)
    agreement = forms.ModelChoiceField(
        queryset=agreement_choices(None),
        required=False,
        label=_("Biên bản ghi nhớ"),
    )
    funding_source = _model_field("funding_source")
    funding_details = _model_field("funding_details", widget=textarea(2))
    estimated_cost = forms.IntegerField(
        label=_("Dự toán (đồng)"), required=False, min_value=0, max_value=10**13
    )
    sponsored_by_enterprise = _model_field("sponsored_by_enterprise")
    tied_to_contract = _model_field("tied_to_contract")
    work_programme = _model_field("work_programme", widget=textarea(4))
    presentation_abroad = _model_field("presentation_abroad")
    presentation_text = _model_field("presentation_text", widget=textarea(4))
    head_appraisal = _model_field("head_appraisal", widget=textarea())


class MemberForm(forms.Form):
    """One traveller: the person is picked by search; the passport is one of theirs."""

    person = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Vai trò"), choices=MemberRole.choices)
    passport = forms.TypedChoiceField(
        label=_("Hộ chiếu"), coerce=int, empty_value=None, required=False, choices=[]
    )
    relative_of = forms.TypedChoiceField(
        label=_("Là người thân của"), coerce=int, empty_value=None, required=False, choices=[]
    )

    #: Set by :func:`prepare_members`: the directory entry shown on the row.
    person_obj: Person | None = None
    #: Set by the edit page: whether the person confirmed (``MemberConfirmation``), if saved.
    confirmation: str | None = None

    def person_id(self) -> int | None:
        value = self["person"].value()
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None


def passport_label(passport: Passport) -> str:
    return f"{passport.get_kind_display()} {mask_passport(passport.number)} – " + str(
        _("hết hạn %(date)s") % {"date": passport.expires_on.strftime("%d/%m/%Y")}
    )


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def _deleted(form: forms.Form) -> bool:
    """Whether the row's "remove" box is ticked (rows added by HTMX have one too)."""
    return bool(form.cleaned_data.get(forms.formsets.DELETION_FIELD_NAME))


def add_delete_field(form: forms.Form, label: Any) -> None:
    """The formset's "remove this row" box, also on rows built alone for HTMX."""
    form.fields[forms.formsets.DELETION_FIELD_NAME] = forms.BooleanField(
        label=label, required=False
    )


class RowFormSet(forms.BaseFormSet):  # type: ignore[type-arg,unused-ignore]
    """Rows the user adds and removes: each carries the "remove" box, labelled
    ``delete_label``."""

    delete_label: ClassVar[StrOrPromise]

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        add_delete_field(form, self.delete_label)


def row_formset(
    form: type[forms.Form], formset: type[RowFormSet], *, extra: int, most: int
) -> type[forms.BaseFormSet[Any]]:
    """A formset of removable ``form`` rows, at most ``most`` of them.

    Django builds up to ``absolute_max`` forms whatever TOTAL_FORMS claims (default max +
    1,000): with ``most`` as that bound too, a forged "10000" costs no more than a full list.
    """
    return forms.formset_factory(
        form,
        formset=formset,
        extra=extra,
        can_delete=True,
        max_num=most,
        absolute_max=most,
        validate_max=True,
    )


class BaseMemberFormSet(RowFormSet):
    delete_label = _("Bỏ khỏi đoàn")

    def clean(self) -> None:
        if any(self.errors):
            return
        people = [
            f.cleaned_data["person"] for f in self.forms if f.cleaned_data and not _deleted(f)
        ]
        for form in self.forms:
            data = form.cleaned_data
            if not data or _deleted(form):
                continue
            relative = data.get("relative_of")
            if relative is not None and (relative == data["person"] or relative not in people):
                form.add_error("relative_of", _("Chọn một thành viên khác của đoàn."))


MemberFormSet = row_formset(MemberForm, BaseMemberFormSet, extra=0, most=200)


def prepare_members(
    member_forms: Iterable[MemberForm],
    people: Iterable[Person],
    member_ids: Iterable[int] | None = None,
) -> None:
    """Attach each row's person and limit its passport and relative choices.

    ``people`` are the directory entries the user may see, with their passports prefetched; a
    row whose person is not among them keeps an empty passport list. ``member_ids`` are the
    delegation's people a relative may be tied to (default: the rows' own people).
    """
    member_forms = list(member_forms)
    by_id = {p.pk: p for p in people}
    ids: list[int | None] = (
        list(member_ids) if member_ids is not None else [f.person_id() for f in member_forms]
    )
    names = [(pid, by_id[pid].full_name) for pid in ids if pid in by_id]
    for form in member_forms:
        pid = form.person_id()
        person = by_id.get(pid) if pid else None
        form.person_obj = person
        passports = list(person.passports.all()) if person is not None else []
        _choice_field(form, "passport").choices = [("", _("— Chưa chọn —"))] + [
            (p.pk, passport_label(p)) for p in passports
        ]
        _choice_field(form, "relative_of").choices = [("", "—")] + [
            (other, name) for other, name in names if other != pid
        ]


class StopForm(forms.Form):
    """One country of the itinerary."""

    country = CountryField(label=_("Quốc gia"))
    days = forms.IntegerField(label=_("Số ngày"), min_value=1, max_value=365)
    cities = forms.CharField(label=_("Thành phố"), required=False, max_length=255)
    major_event = forms.BooleanField(label=_("Sự kiện lớn"), required=False)


class BaseStopFormSet(RowFormSet):
    delete_label = _("Bỏ dòng này")


StopFormSet = row_formset(StopForm, BaseStopFormSet, extra=1, most=50)


def _rows(formset: forms.BaseFormSet[Any]) -> list[dict[str, Any]]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not _deleted(f)]


def outbound_input(
    form: OutboundForm, members: forms.BaseFormSet[Any], stops: forms.BaseFormSet[Any]
) -> OutboundInput:
    """The service's input from three valid forms."""
    data = form.cleaned_data
    return OutboundInput(
        kind=data["kind"],
        purpose_category=data["purpose_category"],
        purpose=data["purpose"],
        expected_results=data.get("expected_results") or "",
        departure_date=data["departure_date"],
        return_date=data["return_date"],
        funding_source=data["funding_source"],
        funding_details=data.get("funding_details") or "",
        estimated_cost=data.get("estimated_cost") or 0,
        members=member_inputs(_rows(members)),
        itinerary=stop_inputs(_rows(stops)),
        inviter_name=data.get("inviter_name") or "",
        inviter_country=(data.get("inviter_country") or "").upper(),
        inviter_is_enterprise=bool(data.get("inviter_is_enterprise")),
        named_invitation=bool(data.get("named_invitation")),
        sponsored_by_enterprise=bool(data.get("sponsored_by_enterprise")),
        tied_to_contract=bool(data.get("tied_to_contract")),
        work_programme=data.get("work_programme") or "",
        presentation_abroad=bool(data.get("presentation_abroad")),
        presentation_text=data.get("presentation_text") or "",
        head_appraisal=data.get("head_appraisal") or "",
        partner_id=data["partner"].pk if data.get("partner") else None,
        agreement_id=data["agreement"].pk if data.get("agreement") else None,
    )


def initial_from_request(
    request: OutboundRequest, member_rows: Iterable[OutboundMember] | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """Initial data of the three forms from a saved request (``member_rows``: its members, when
    the caller has read them)."""
    scalar = {name: getattr(request, name) for name in OutboundInput.SCALAR_FIELDS}
    scalar["partner"] = scalar.pop("partner_id")
    scalar["agreement"] = scalar.pop("agreement_id")
    scalar["version"] = request.version
    members = [
        {
            "person": m.person_id,
            "role": m.role,
            "passport": m.passport_id,
            "relative_of": m.relative_of_id,
        }
        for m in (request.members.all() if member_rows is None else member_rows)
    ]
    stops = [
        {"country": s.country, "days": s.days, "cities": s.cities, "major_event": s.major_event}
        for s in request.itinerary.all()
    ]
    return scalar, members, stops


class RequestFilterForm(forms.Form):
    """Filters of a request list; ``before`` is the keyset cursor (the last id shown). A kind
    names its statuses and what the text search looks in."""

    statuses: list[tuple[str, Any]] = []
    search_label: Any = ""

    before = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"] = forms.ChoiceField(
            label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *self.statuses]
        )
        self.fields["q"] = forms.CharField(label=self.search_label, required=False, max_length=100)
        self.order_fields(["status", "q", "before"])

    def clean_q(self) -> str:
        return str(self.cleaned_data.get("q") or "").replace("\x00", "").strip()


class OutboundFilterForm(RequestFilterForm):
    """Filters of "my requests"."""

    statuses = RequestStatus.choices
    search_label = _("Tìm theo số hồ sơ, nội dung, thành viên")


class JustificationForm(forms.Form):
    """One text per check that needs a written justification before submission."""

    def __init__(self, *args: Any, checks: Iterable[dict[str, Any]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for check in checks:
            self.fields[f"j_{check['rule']}"] = forms.CharField(
                label=check.get("message") or check["rule"],
                help_text=check.get("basis") or "",
                required=False,
                max_length=5000,
                widget=textarea(3),
            )

    def justifications(self) -> dict[str, str]:
        return {
            name[2:]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("j_") and value
        }


class ReasonForm(forms.Form):
    """Withdrawal or cancellation."""

    reason = forms.CharField(label=_("Lý do"), max_length=2000, widget=textarea(2))


class DateForm(forms.Form):
    """Return confirmed (the day defaults to today)."""

    date = forms.DateField(label=_("Ngày"), widget=DATE_WIDGET, initial=datetime.date.today)


class DepartureForm(forms.Form):
    """Departure confirmed: the day is typed, never pre-filled (one click must not confirm a
    departure on the wrong day)."""

    date = forms.DateField(label=_("Ngày xuất cảnh thực tế"), widget=DATE_WIDGET)


class ExtensionForm(forms.Form):
    new_return_date = forms.DateField(label=_("Ngày về mới"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Lý do gia hạn"), max_length=2000, widget=textarea(2))


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("Báo cáo kết quả chuyến đi"), max_length=50000, widget=textarea(8)
    )


class PassportReturnedForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Người nộp lại hộ chiếu"), coerce=int, choices=[])
    date = forms.DateField(label=_("Ngày nộp"), widget=DATE_WIDGET, initial=datetime.date.today)

    def __init__(self, *args: Any, people: Iterable[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "person").choices = list(people)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại tài liệu"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("Tệp (PDF, PNG, JPEG, DOCX, XLSX; tối đa 10 MB)"),
        allow_empty_file=True,  # the service says "empty" in its own words
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"}),
    )
