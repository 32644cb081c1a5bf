from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from annotations.models import Category
from courses.models import CourseVersion


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    """The VIB vocabulary per course version: administrators rename, recolour, reorder and add terms."""

    list_display = ["name", "course_version", "colour", "order"]
    list_editable = ["colour", "order"]
    list_filter = ["course_version"]
    search_fields = ["name", "description"]
    ordering = ["course_version", "order", "name"]
    actions = ["copy_to_current_version"]

    # National administrators (with their second factor) own the vocabulary; no per-model grants needed.
    def _is_administrator(self, request: HttpRequest) -> bool:
        user: Any = request.user  # django-otp adds is_verified() to the user at runtime
        return bool(user.is_active and user.is_administrator and user.is_verified())

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_administrator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_administrator(request)

    @admin.action(description=_("Copy to the current version of the same course"))
    def copy_to_current_version(self, request: HttpRequest, queryset: QuerySet[Category]) -> None:
        copied = 0
        for category in queryset.select_related("course_version"):
            current = CourseVersion.objects.filter(
                course_id=category.course_version.course_id, is_current=True
            ).first()
            if current is None or current.pk == category.course_version_id:
                continue
            _row, created = Category.objects.get_or_create(
                course_version=current,
                name=category.name,
                defaults={
                    "colour": category.colour,
                    "description": category.description,
                    "order": category.order,
                },
            )
            copied += int(created)
        self.message_user(request, _("%(count)d categories copied.") % {"count": copied}, messages.SUCCESS)
