from django.contrib import admin

from delegations.models import Agreement, Partner


class AgreementInline(admin.TabularInline[Agreement, Partner]):
    model = Agreement
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin[Partner]):
    list_display = ["name", "country", "is_enterprise"]
    list_filter = ["country", "is_enterprise"]
    search_fields = ["name", "name_en"]
    inlines = [AgreementInline]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin[Agreement]):
    list_display = ["title", "partner", "unit", "signed_on", "expires_on"]
    search_fields = ["title", "partner__name"]
    autocomplete_fields = ["partner", "unit"]
    date_hierarchy = "signed_on"
