"""Django admin for the directory, in Vietnamese."""

from __future__ import annotations

from django.contrib import admin

from org.models import ActingAssignment, CalendarDay, Passport, Person, RoleAssignment, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "school_level", "managing_authority", "is_active"]
    list_filter = ["kind", "school_level", "is_active"]
    search_fields = ["code", "name", "name_en"]
    autocomplete_fields = ["parent", "managing_authority"]
    list_select_related = ["managing_authority"]


class PassportInline(admin.TabularInline):
    model = Passport
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["staff_code", "full_name", "unit", "position", "category", "is_key_leader"]
    list_filter = ["category", "is_key_leader", "is_party_managed", "unit__kind"]
    search_fields = ["staff_code", "full_name", "user__username", "unit__name"]
    autocomplete_fields = ["unit", "user"]
    list_select_related = ["unit"]
    inlines = [PassportInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "starts_on", "ends_on"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


@admin.register(ActingAssignment)
class ActingAssignmentAdmin(admin.ModelAdmin):
    list_display = ["acting_user", "role", "unit", "holder", "starts_on", "ends_on"]
    list_filter = ["role"]
    search_fields = ["acting_user__username", "holder__username", "unit__name"]
    autocomplete_fields = ["acting_user", "holder", "unit"]
    list_select_related = ["acting_user", "holder", "unit"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "date"
