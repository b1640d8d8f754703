"""Django admin for the directory, in Vietnamese."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from org.importing import ImportFileError, ImportResult, org_import
from org.models import (
    ActingAssignment,
    CalendarDay,
    Jurisdiction,
    Passport,
    Person,
    RoleAssignment,
    Unit,
)
from workflow.rules.texts import CITY_TEXTS

IMPORT_MAX_BYTES = 5 * 1024 * 1024
# Beyond this the page would be unreadable; the first errors are enough to fix the file.
IMPORT_ERRORS_SHOWN = 500


class OrgImportForm(forms.Form):
    file = forms.FileField(
        label=_l("Tệp Excel (.xlsx) hoặc CSV (.csv)"),
        help_text=_l("Tối đa 5 MB. Định dạng các cột: xem tài liệu docs/import.md."),
    )
    dry_run = forms.BooleanField(
        label=_l("Chỉ kiểm tra, chưa ghi vào cơ sở dữ liệu"), required=False
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in {".xlsx", ".csv"}:
            raise forms.ValidationError(_("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 5 MB; hãy chia thành nhiều tệp nhỏ hơn."))
        return upload


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["code", "name", "kind", "school_level", "managing_authority", "is_active"]
    list_filter = ["kind", "school_level", "is_active"]
    search_fields = ["code", "name", "name_en"]
    autocomplete_fields = ["parent", "managing_authority"]
    list_select_related = ["managing_authority"]

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="org_unit_import",
            )
        ]
        return own + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a file of units and staff; show the errors by row or the counts."""
        if not request.user.has_perm("org.add_unit"):
            raise PermissionDenied
        result: ImportResult | None = None
        form = OrgImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = org_import(
                    data=upload.read(),
                    filename=upload.name,
                    dry_run=form.cleaned_data["dry_run"],
                    actor=request.user,  # type: ignore[arg-type]
                )
            except ImportFileError as exc:
                form.add_error("file", str(exc))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Nhập đơn vị và cán bộ từ tệp Excel/CSV"),
            "form": form,
            "result": result,
            "errors_shown": result.errors[:IMPORT_ERRORS_SHOWN] if result else [],
            "errors_hidden": max(len(result.errors) - IMPORT_ERRORS_SHOWN, 0) if result else 0,
            "counts": result.summary() if result and result.ok else [],
        }
        return TemplateResponse(request, "admin/org/unit_import.html", context)


class PassportInline(admin.TabularInline[Passport, Person]):
    model = Passport
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = [
        "staff_code",
        "full_name",
        "gender",
        "unit",
        "position",
        "category",
        "is_key_leader",
    ]
    list_filter = ["category", "gender", "is_key_leader", "is_party_managed", "unit__kind"]
    search_fields = ["staff_code", "full_name", "user__username", "unit__name"]
    autocomplete_fields = ["unit", "user"]
    list_select_related = ["unit"]
    inlines = [PassportInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    list_display = ["user", "role", "unit", "starts_on", "ends_on"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


@admin.register(ActingAssignment)
class ActingAssignmentAdmin(admin.ModelAdmin[ActingAssignment]):
    list_display = ["acting_user", "role", "unit", "holder", "starts_on", "ends_on"]
    list_filter = ["role"]
    search_fields = ["acting_user__username", "holder__username", "unit__name"]
    autocomplete_fields = ["acting_user", "holder", "unit"]
    list_select_related = ["acting_user", "holder", "unit"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin[CalendarDay]):
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "date"


class JurisdictionForm(forms.ModelForm[Jurisdiction]):
    """The city's texts for the rule bases: only the keys the rule pack knows."""

    class Meta:
        model = Jurisdiction
        fields = [
            "city_name", "city_short", "place_name", "department_name", "department_name_en",
            "department_short", "reviewing_office", "office_head", "office_code", "legal_basis",
            "rule_bases", "agencies_notified", "report_deadline", "report_period_start",
        ]  # fmt: skip

    def clean_rule_bases(self) -> object:
        value = self.cleaned_data.get("rule_bases")
        if isinstance(value, dict):
            unknown = sorted(set(value) - set(CITY_TEXTS))
            if unknown:
                raise forms.ValidationError(
                    _("Khóa không có trong bộ quy tắc: %(unknown)s. Các khóa: %(known)s.")
                    % {"unknown": ", ".join(unknown)[:500], "known": ", ".join(CITY_TEXTS)}
                )
        return value


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin[Jurisdiction]):
    form = JurisdictionForm
    list_display = ("department_name", "city_name", "reviewing_office", "report_deadline")
