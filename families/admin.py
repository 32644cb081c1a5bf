from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from families.models import Consent, Family


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    can_delete = False
    fields = readonly_fields = ("purpose", "given_by", "given_on", "valid_until", "withdrawn_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Family)
class FamilyAdmin(admin.ModelAdmin):
    """Codes and the consent ledger only; withdrawing goes through the family page (it erases films)."""

    list_display = ["code", "organisation", "created_at"]
    list_select_related = ["organisation"]
    search_fields = ["code"]
    readonly_fields = ["organisation", "code", "created_at"]
    inlines = [ConsentInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
