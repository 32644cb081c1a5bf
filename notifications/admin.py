from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["subject", "user", "created_at", "read_at"]
    list_select_related = ["user"]
