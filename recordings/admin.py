from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from recordings.models import Recording, Rendition, VibCycle


class ReadOnlyInline(admin.TabularInline[Rendition, Recording]):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RenditionInline(ReadOnlyInline):
    model = Rendition
    fields = ["kind", "status", "width", "height", "size"]


@admin.register(Recording)
class RecordingAdmin(admin.ModelAdmin[Recording]):
    """Metadata only, never the film. Deleting goes through recording_delete (objects + tombstone), so the
    admin cannot delete rows: that would leave the family's film in storage."""

    list_display = ["id", "professional", "kind", "purpose", "status", "progress", "created_at"]
    list_filter = ["status", "kind", "purpose"]
    list_select_related = ["professional"]
    search_fields = ["id", "family__code"]
    readonly_fields = [
        "professional",
        "family",
        "cycle",
        "storage_prefix",
        "original_key",
        "original_size",
        "duration_ms",
        "width",
        "height",
        "has_audio",
        "created_at",
        "processing_started_at",
        "last_progress_at",
        "ready_at",
        "deleted_at",
        "deleted_by",
        "deletion_reason",
    ]
    inlines = [RenditionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(VibCycle)
class VibCycleAdmin(admin.ModelAdmin[VibCycle]):
    list_display = ["pk", "professional", "supervisor", "created_at", "reviewed_at"]
    list_select_related = ["professional", "supervisor"]
