from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from organisations.models import ImplementationCheck, Licence, Organisation, SupervisorAssignment, User


class LicenceInline(admin.TabularInline):
    model = Licence
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "recording_retention_days", "ncj_contact"]
    list_select_related = ["ncj_contact"]
    search_fields = ["name"]
    autocomplete_fields = ["ncj_contact"]
    inlines = [LicenceInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
                    "video_access_until",
                ]
            },
        ),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    filter_horizontal = ["groups"]


@admin.register(SupervisorAssignment)
class SupervisorAssignmentAdmin(admin.ModelAdmin):
    list_display = ["supervisor", "trainee", "starts_on", "ends_on"]
    list_select_related = ["supervisor", "trainee"]
    autocomplete_fields = ["supervisor", "trainee"]


@admin.register(ImplementationCheck)
class ImplementationCheckAdmin(admin.ModelAdmin):
    list_display = ["organisation", "item", "status", "checked_on", "updated_by"]
    list_filter = ["organisation", "item", "status"]
    list_select_related = ["organisation", "updated_by"]
    readonly_fields = ["updated_by", "updated_at"]
