"""The SamenStarten training (DMOP and VIB) as data: courses, versions, requirements, enrolments, evidence.

Progress is never stored: it is derived from evidence rows (who registered what, when) and, for VIB
cycles and families, from the recordings app. A requirement belongs to one course version, and so does
every evidence row through it: publishing a new version never rewrites an older enrolment's history.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
    def is_derived(self) -> bool:
        return self.kind in self.DERIVED

    @property
    def is_counted(self) -> bool:
        return self.kind in self.COUNTED


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def active(self) -> EnrolmentQuerySet:
        return self.filter(status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.IN_PROGRESS])

    def open_vib(self, professional_id: int) -> EnrolmentQuerySet:
        """The professional's open VIB enrolments (the VIB gate: training films need one)."""
        return self.active().filter(professional_id=professional_id, version__course__code=Course.Code.VIB)

    def with_last_evidence(self) -> EnrolmentQuerySet:
        return self.annotate(last_evidence_at=models.Max("evidence__recorded_at"))


class Enrolment(models.Model):
    """A professional following one version of a course."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", pgettext_lazy("enrolment status", "Withdrawn")

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
    # Supervision is the supervisor's record (``courses.supervision``). Ticks registered before sessions
    # existed still count, as history, but only those a supervisor other than the trainee registered.
    UNCOUNTED = Q(requirement__kind=Requirement.Kind.SUPERVISION_MEETINGS) & (
        Q(recorded_by__is_supervisor=False) | Q(recorded_by=F("enrolment__professional"))
    )

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
    # Attendance becomes evidence for this requirement: only a training day may be one (never supervision).
    requirement = models.ForeignKey(
        Requirement,
        on_delete=models.PROTECT,
        related_name="training_days",
        limit_choices_to={"kind": "training_day"},
        verbose_name=_("training day"),
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


class SupervisionSessionQuerySet(models.QuerySet["SupervisionSession"]):
    def held(self, today: datetime.date | None = None) -> SupervisionSessionQuerySet:
        return self.filter(held_on__lte=today or timezone.localdate())


class SupervisionSession(models.Model):
    """One supervision meeting, individual or in a group: what was discussed, and the supervisor's report.

    It replaces the attendance tick: the supervision requirements are derived from these sessions.
    """

    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="led_supervision_sessions", verbose_name=_("supervisors")
    )
    # Links into the workspace at the moment: the cycles and films (with their clips) discussed.
    cycles = models.ManyToManyField(
        "recordings.VibCycle", blank=True, related_name="supervision_sessions", verbose_name=_("cycles")
    )
    recordings = models.ManyToManyField(
        "recordings.Recording", blank=True, related_name="supervision_sessions", verbose_name=_("films")
    )
    report = models.TextField(_("report"), blank=True)
    work_points = models.TextField(_("werkpunten"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = SupervisionSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("supervision session")
        verbose_name_plural = _("supervision sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=480),
                name="supervision_duration_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.held_on}"


class SupervisionParticipant(models.Model):
    """A trainee (through their enrolment) in a session, with their learning question and reflection."""

    session = models.ForeignKey(
        SupervisionSession, on_delete=models.CASCADE, related_name="participants", verbose_name=_("session")
    )
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="supervision_participations",
        verbose_name=_("enrolment"),
    )
    # Written by the trainee beforehand (until the day of the session).
    learning_question = models.TextField(_("learning question"), blank=True)
    # Written by the trainee afterwards.
    reflection = models.TextField(_("reflection"), blank=True)

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="one_participation_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.enrolment}"


class AssessmentCriterion(models.Model):
    """A criterion of an assessment (the interim evaluation or the final assessment) of a curriculum version.

    Data, editable by administrators; copied with the version. Scored on ``SCALE`` with a motivation.
    """

    SCALE = (
        (1, _("1 - insufficient")),
        (2, _("2 - developing")),
        (3, _("3 - sufficient")),
        (4, _("4 - good")),
    )

    requirement = models.ForeignKey(
        Requirement, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("requirement")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["requirement", "order"]
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")
        constraints = [
            models.UniqueConstraint(fields=["requirement", "order"], name="unique_criterion_order")
        ]

    def __str__(self) -> str:
        return self.title


class CriterionScore(models.Model):
    """One criterion's score and motivation within one assessment (an evidence row, kept as history)."""

    evidence = models.ForeignKey(
        Evidence, on_delete=models.CASCADE, related_name="scores", verbose_name=_("assessment")
    )
    criterion = models.ForeignKey(
        AssessmentCriterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    score = models.PositiveSmallIntegerField(_("score"), choices=AssessmentCriterion.SCALE)
    motivation = models.TextField(_("motivation"))

    class Meta:
        ordering = ["evidence", "criterion__order"]
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(fields=["evidence", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=4), name="criterion_score_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"
