from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisations.models import ImplementationCheck, Licence, Organisation, SupervisorAssignment, User


class LicenceInline(admin.TabularInline[Licence, Organisation]):
    model = Licence
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "recording_retention_days", "ncj_contact"]
    list_select_related = ["ncj_contact"]
    search_fields = ["name"]
    autocomplete_fields = ["ncj_contact"]
    inlines = [LicenceInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    ordering = ["full_name"]
    list_display = [
        "full_name",
        "email",
        "organisation",
        "is_professional",
        "is_supervisor",
        "is_coordinator",
    ]
    list_filter = ["organisation", "is_professional", "is_supervisor", "is_coordinator", "is_administrator"]
    list_select_related = ["organisation"]
    search_fields = ["full_name", "email"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name", "organisation"]}),
        (
            _("Roles"),
            {
                "fields": [
                    "is_professional",
                    "job_title",
                    "is_supervisor",
                    "supervisor_kind",
                    "is_coordinator",
                    "is_administrator",
                ]
            },
        ),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    filter_horizontal = ["groups"]

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # Setting someone else's password would let an administrator log in as them: people reset their
        # own password through the e-mail link instead.
        if str(request.user.pk) != str(id):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


# django-otp's own admin shows the TOTP secret (and its QR code) of every device. Here a device can only
# be seen without its secret, or removed (a lost phone: the person enrols again at their next login).
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin[TOTPDevice]):
    list_display = ["user", "name", "confirmed"]
    list_select_related = ["user"]
    fields = ["user", "name", "confirmed"]
    readonly_fields = ["user", "name", "confirmed"]
    search_fields = ["user__email", "user__full_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SupervisorAssignment)
class SupervisorAssignmentAdmin(admin.ModelAdmin[SupervisorAssignment]):
    list_display = ["supervisor", "trainee", "starts_on", "ends_on"]
    list_select_related = ["supervisor", "trainee"]
    autocomplete_fields = ["supervisor", "trainee"]


@admin.register(ImplementationCheck)
class ImplementationCheckAdmin(admin.ModelAdmin[ImplementationCheck]):
    list_display = ["organisation", "item", "status", "checked_on", "updated_by"]
    list_filter = ["organisation", "item", "status"]
    list_select_related = ["organisation", "updated_by"]
    readonly_fields = ["updated_by", "updated_at"]
