"""Administrators edit the curricula here. A version with enrolments is frozen: copy it to change it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses import services
from courses.models import (
    AssessmentCriterion,
    Cohort,
    Course,
    CourseVersion,
    Enrolment,
    Evidence,
    Requirement,
    TrainingDay,
)
from organisations.models import SupervisorAssignment


class CourseVersionInline(admin.TabularInline[CourseVersion, Course]):
    model = CourseVersion
    extra = 0
    fields = ["label", "is_current", "created_at"]
    readonly_fields = ["is_current", "created_at"]
    show_change_link = True


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin[Course]):
    list_display = ["name", "code"]
    inlines = [CourseVersionInline]


class RequirementInline(admin.TabularInline[Requirement, CourseVersion]):
    model = Requirement
    extra = 0
    fields = ["order", "kind", "title", "description", "target_count", "needs_second_assessor"]

    # Evidence of enrolled professionals points at these rows: editing them would rewrite history.
    def _editable(self, obj: CourseVersion | None) -> bool:
        return obj is None or not obj.enrolments.exists()

    def has_add_permission(self, request: HttpRequest, obj: CourseVersion | None = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: CourseVersion | None = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: CourseVersion | None = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(CourseVersion)
class CourseVersionAdmin(admin.ModelAdmin[CourseVersion]):
    list_display = ["course", "label", "is_current", "created_at"]
    list_filter = ["course", "is_current"]
    list_select_related = ["course"]
    readonly_fields = ["is_current"]
    inlines = [RequirementInline]
    actions = ["copy_version", "make_current"]

    @admin.action(description=_("Copy as a new version (to edit)"))
    def copy_version(self, request: HttpRequest, queryset: QuerySet[CourseVersion]) -> None:
        for version in queryset.select_related("course"):
            label = f"{version.label}-{timezone.localdate():%Y%m%d}"
            try:
                services.course_version_copy(version=version, label=label)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)

    @admin.action(description=_("Make current (new enrolments use it)"))
    def make_current(self, request: HttpRequest, queryset: QuerySet[CourseVersion]) -> None:
        for version in queryset.select_related("course"):
            services.course_version_make_current(version=version)


class EvidenceInline(admin.TabularInline[Evidence, Enrolment]):
    model = Evidence
    extra = 0
    readonly_fields = (
        "requirement",
        "status",
        "occurred_on",
        "recorded_by",
        "recorded_at",
        "second_assessor",
        "reviewed_by",
    )
    fields = readonly_fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Enrolment | None = None) -> bool:
        return False


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin[Enrolment]):
    list_display = ["professional", "version", "status", "started_on", "supervisor", "cohort"]
    list_filter = ["status", "version__course", "professional__organisation"]
    list_select_related = ["professional", "version__course", "supervisor"]
    search_fields = ["professional__full_name", "professional__email", "cohort"]
    raw_id_fields = ["professional", "supervisor"]
    inlines = [EvidenceInline]

    def save_model(self, request: HttpRequest, obj: Enrolment, form: object, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Same rule as the enrolment service: the trainer must be able to see the trainee.
        assigned = SupervisorAssignment.objects.active().filter(supervisor=obj.supervisor, enrolment=obj)
        if obj.supervisor is not None and obj.is_open and not assigned.exists():
            try:
                services.assignment_create(enrolment=obj, supervisor=obj.supervisor)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))


class TrainingDayInline(admin.TabularInline[TrainingDay, Cohort]):
    model = TrainingDay
    extra = 0
    autocomplete_fields = ["trainer"]
    fields = ["requirement", "date", "place", "trainer", "attendance_registered_at"]
    readonly_fields = ["attendance_registered_at"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin[Cohort]):
    list_display = ["name", "organisation", "version", "starts_on"]
    list_filter = ["organisation", "version"]
    list_select_related = ["organisation", "version__course"]
    search_fields = ["name"]
    inlines = [TrainingDayInline]


@admin.register(AssessmentCriterion)
class AssessmentCriterionAdmin(admin.ModelAdmin[AssessmentCriterion]):
    """Criteria of the interim evaluation and the final assessment, per curriculum version (shipped as a
    marked draft set); administrators edit them here."""

    list_display = ["title", "requirement", "order"]
    list_filter = ["requirement__version__course", "requirement__version"]
    list_select_related = ["requirement__version__course"]
    raw_id_fields = ["requirement"]
