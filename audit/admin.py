from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from audit.models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin[AccessLogEntry]):
    """Read-only: the log is append-only evidence, readable by administrators with two factors."""

    list_display = [
        "timestamp",
        "action_code",
        "user_name",
        "role",
        "family_code",
        "object_type",
        "object_id",
    ]
    list_filter = ["action_code", "object_type"]
    search_fields = ["family_code", "object_id", "user_name"]
    date_hierarchy = "timestamp"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user: Any = request.user
        return bool(user.is_active and user.is_administrator and user.is_verified())

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]
