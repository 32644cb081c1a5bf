"""The DMOP's data that national administrators keep: the contact moment schedule, the factor lists and
each organisation's DMOP policy. Families, contact moments and plans are health data and stay out of the
admin site; they change only through the instrument's pages."""

from django.contrib import admin
from django.http import HttpRequest

from dmop.models import DmopPolicy, Factor, ScheduledMoment


@admin.register(ScheduledMoment)
class ScheduledMomentAdmin(admin.ModelAdmin[ScheduledMoment]):
    list_display = ["kind", "order", "from_age_days", "to_age_days"]
    ordering = ["order"]


@admin.register(Factor)
class FactorAdmin(admin.ModelAdmin[Factor]):
    list_display = ["label", "domain", "kind", "is_active"]
    list_filter = ["domain", "kind", "is_active"]
    search_fields = ["label"]

    def has_delete_permission(self, request: HttpRequest, obj: Factor | None = None) -> bool:
        return False  # assessments refer to factors: deactivate instead


@admin.register(DmopPolicy)
class DmopPolicyAdmin(admin.ModelAdmin[DmopPolicy]):
    list_display = ["organisation", "retention_months", "correction_days"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation", "exporters"]
