from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from families.models import Consent, DestructionRecord, Family, RetentionPolicy


class ConsentInline(admin.TabularInline[Consent, Family]):
    model = Consent
    extra = 0
    can_delete = False
    fields = readonly_fields = ("purpose", "given_by", "given_on", "valid_until", "withdrawn_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Family)
class FamilyAdmin(admin.ModelAdmin[Family]):
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


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin[RetentionPolicy]):
    list_display = ["organisation", "training_films_days_after_certificate"]
    list_select_related = ["organisation"]


@admin.register(DestructionRecord)
class DestructionRecordAdmin(admin.ModelAdmin[DestructionRecord]):
    """Read only: the proof of destruction is never edited or removed by hand."""

    list_display = ["recording_id", "reason", "recorded_on", "destroyed_at", "object_count"]
    list_filter = ["reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
