from django.contrib import admin
from django.http import HttpRequest

from certification.models import (
    Certificate,
    CertificationEvent,
    CourseCertificationPolicy,
    RecertificationEvidence,
)


@admin.register(CourseCertificationPolicy)
class CourseCertificationPolicyAdmin(admin.ModelAdmin[CourseCertificationPolicy]):
    list_display = [
        "course_code",
        "issuing_body",
        "validity_years",
        "min_guidance_trajectories",
        "min_supervisions",
        "min_intervision_sessions",
        "min_presentations",
    ]


class CertificationEventInline(admin.TabularInline[CertificationEvent, Certificate]):
    model = CertificationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "from_status", "to_status", "valid_until", "reason"]

    def has_add_permission(self, request: HttpRequest, obj: Certificate | None = None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin[Certificate]):
    # Read-only: status changes only through the services (grant, renew, revoke/reinstate pages).
    list_display = ["professional", "course_code", "status", "certified_on", "valid_until"]
    list_filter = ["course_code", "status"]
    search_fields = ["professional__full_name", "professional__email"]
    list_select_related = ["professional"]
    inlines = [CertificationEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Certificate | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Certificate | None = None) -> bool:
        return False


@admin.register(RecertificationEvidence)
class RecertificationEvidenceAdmin(admin.ModelAdmin[RecertificationEvidence]):
    list_display = ["certificate", "kind", "date", "confirmed_at"]
    list_filter = ["kind"]
    list_select_related = ["certificate__professional"]
    raw_id_fields = ["certificate", "recorded_by", "confirmed_by"]
