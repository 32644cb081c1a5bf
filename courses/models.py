"""The SamenStarten training (DMOP and VIB) as data: courses, versions, requirements, enrolments, evidence.

Progress is never stored: it is derived from evidence rows (who registered what, when) and, for VIB
cycles and families, from the recordings app. A requirement belongs to one course version, and so does
every evidence row through it: publishing a new version never rewrites an older enrolment's history.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Course(models.Model):
    """One of the two parts of the SamenStarten training."""

    class Code(models.TextChoices):
        DMOP = "dmop", _("DMOP")
        VIB = "vib", _("VIB-SamenStarten")

    code = models.CharField(_("code"), max_length=10, choices=Code.choices, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.name


class CourseVersionQuerySet(models.QuerySet["CourseVersion"]):
    def current(self) -> CourseVersionQuerySet:
        return self.filter(is_current=True)


class CourseVersion(models.Model):
    """A curriculum of a course. Enrolments keep the version they started on."""

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="versions", verbose_name=_("course")
    )
    label = models.CharField(_("label"), max_length=50, help_text=_("For example 2025 or 2026-1."))
    is_current = models.BooleanField(
        _("current version"), default=False, help_text=_("New enrolments use the current version.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = CourseVersionQuerySet.as_manager()

    class Meta:
        ordering = ["course__code", "-created_at"]
        verbose_name = _("course version")
        verbose_name_plural = _("course versions")
        constraints = [
            models.UniqueConstraint(fields=["course", "label"], name="unique_course_version_label"),
            models.UniqueConstraint(
                fields=["course"], condition=Q(is_current=True), name="one_current_version_per_course"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.name} {self.label}"


class Requirement(models.Model):
    """One step of a curriculum, met by evidence of the kind it names."""

    class Kind(models.TextChoices):
        TRAINING_DAY = "training_day", _("Attend a training day")
        STUDY_MODULE = "study_module", _("Finish a study module")
        ASSIGNMENT = "assignment", _("Submit an assignment")
        VIB_CYCLES = "vib_cycles", _("Complete supervised VIB cycles")
        SUPERVISION_MEETINGS = "supervision_meetings", _("Attend supervision meetings")
        DISTINCT_FAMILIES = "distinct_families", _("Work with different families")
        MILESTONE = "milestone", _("Staged milestone")
        FINAL_ASSESSMENT = "final_assessment", _("Final assessment")

    # Kinds whose evidence the professional records themself; everything else is the trainer's.
    SELF_REPORTED = frozenset({Kind.STUDY_MODULE, Kind.ASSIGNMENT})
    # Kinds derived from the recordings app instead of evidence rows.
    DERIVED = frozenset({Kind.VIB_CYCLES, Kind.DISTINCT_FAMILIES})
    # Kinds counted up to target_count.
    COUNTED = frozenset({Kind.SUPERVISION_MEETINGS, Kind.VIB_CYCLES, Kind.DISTINCT_FAMILIES})

    version = models.ForeignKey(
        CourseVersion, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("version")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    target_count = models.PositiveSmallIntegerField(
        _("target count"),
        default=1,
        help_text=_(
            "How many meetings, cycles or families are needed. For a milestone: after how many "
            "supervision meetings it can be recorded."
        ),
    )
    needs_second_assessor = models.BooleanField(
        _("needs a second trainer"),
        default=False,
        help_text=_("A milestone judged by the trainer together with a second trainer."),
    )

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="unique_requirement_order"),
            models.CheckConstraint(condition=Q(target_count__gte=1), name="requirement_target_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_self_reported(self) -> bool:
        return self.kind in self.SELF_REPORTED

    @property
    def is_derived(self) -> bool:
        return self.kind in self.DERIVED

    @property
    def is_counted(self) -> bool:
        return self.kind in self.COUNTED


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def active(self) -> EnrolmentQuerySet:
        return self.filter(status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.IN_PROGRESS])

    def with_last_evidence(self) -> EnrolmentQuerySet:
        return self.annotate(last_evidence_at=models.Max("evidence__recorded_at"))


class Enrolment(models.Model):
    """A professional following one version of a course."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        limit_choices_to={"is_professional": True},
        verbose_name=_("professional"),
    )
    version = models.ForeignKey(
        CourseVersion, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("course version")
    )
    cohort = models.CharField(_("cohort"), max_length=50, blank=True)
    # The group this enrolment follows its training days with; ``cohort`` above keeps its name as a label.
    group = models.ForeignKey(
        "Cohort",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("cohort group"),
    )
    started_on = models.DateField(_("start date"), default=timezone.localdate)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_enrolments",
        limit_choices_to={"is_supervisor": True},
        verbose_name=_("trainer / supervisor"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ENROLLED)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["professional__full_name", "version__course__code"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["professional", "version"], name="unique_enrolment_per_version"),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="completed_enrolment_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.professional} · {self.version}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.ENROLLED, self.Status.IN_PROGRESS)

    def is_stale(self, weeks: int, today: datetime.date | None = None) -> bool:
        """No evidence for ``weeks`` weeks (needs ``with_last_evidence``); a new enrolment counts from its start."""
        today = today or timezone.localdate()
        last: datetime.datetime | None = getattr(self, "last_evidence_at", None)
        last_day = timezone.localdate(last) if last else self.started_on
        return self.is_open and (today - last_day).days >= weeks * 7


class Evidence(models.Model):
    """One registered fact towards a requirement: who recorded what, when. Never edited, only reviewed."""

    class Status(models.TextChoices):
        DONE = "done", _("Done")
        SUBMITTED = "submitted", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for rework")
        FAILED = "failed", _("Not passed")

    # Statuses that count towards a requirement.
    COUNTING = (Status.DONE, Status.APPROVED)

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("enrolment")
    )
    requirement = models.ForeignKey(
        Requirement, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("requirement")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("text"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    second_assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second trainer"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        indexes = [models.Index(fields=["enrolment", "requirement"])]

    def __str__(self) -> str:
        return f"{self.requirement} · {self.get_status_display()}"

    @property
    def counts(self) -> bool:
        return self.status in self.COUNTING


class Cohort(models.Model):
    """A group of one organisation's professionals following one course version together."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="cohorts",
        verbose_name=_("organisation"),
    )
    version = models.ForeignKey(
        CourseVersion, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("course version")
    )
    name = models.CharField(_("name"), max_length=50, help_text=_("For example Noord 2026-1."))
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version", "name"], name="unique_cohort_name_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.version}"


class TrainingDay(models.Model):
    """A cohort's training day: one TRAINING_DAY requirement of its version, on a date, at a place."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="training_days", verbose_name=_("cohort")
    )
    requirement = models.ForeignKey(
        Requirement, on_delete=models.PROTECT, related_name="training_days", verbose_name=_("training day")
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="training_days_given",
        limit_choices_to={"is_supervisor": True},
        verbose_name=_("trainer"),
    )
    attendance_registered_at = models.DateTimeField(_("attendance registered at"), null=True, blank=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("training day")
        verbose_name_plural = _("training days")

    def __str__(self) -> str:
        return f"{self.requirement} · {self.date}"

    @property
    def attendance_registered(self) -> bool:
        return self.attendance_registered_at is not None


class TrainingDayAttendance(models.Model):
    """Present or absent at a training day; a present member's attendance is also an evidence row."""

    training_day = models.ForeignKey(
        TrainingDay, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("training day")
    )
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="training_day_attendances",
        verbose_name=_("enrolment"),
    )
    present = models.BooleanField(_("present"))
    evidence = models.OneToOneField(
        Evidence,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evidence"),
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["training_day", "enrolment"], name="one_attendance_per_day_and_enrolment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.training_day}"
