"""Writes of the courses app: enrolling, recording evidence, reviewing and the final sign-off.

Every function takes objects already authorised by ``courses.access``; the business rules that do not
depend on who asks (right kind of requirement, enrolment still open, milestone reached) are checked here
and reported as a translated ``ValidationError``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from annotations.models import Category
from certification.services import certification_grant, certification_start_training
from courses.models import (
    AssessmentCriterion,
    Course,
    CourseVersion,
    CriterionScore,
    Enrolment,
    Evidence,
    Requirement,
)
from courses.progress import progress_for
from notifications.services import notification_send
from organisations.models import SupervisorAssignment, User

Kind = Requirement.Kind


def enrolment_create(
    *,
    professional: User,
    version: CourseVersion,
    supervisor: User | None = None,
    cohort: str = "",
    started_on: datetime.date | None = None,
) -> Enrolment:
    """Enrol a professional on a course version; an assigned supervisor also gets a SupervisorAssignment.

    The central rules only let a supervisor see a trainee through an active assignment, so enrolling
    with a supervisor ensures one exists.
    """
    if not professional.is_professional:
        raise ValidationError(_("Only professionals can be enrolled."))
    if supervisor is not None and not supervisor.is_supervisor:
        raise ValidationError(_("The trainer must have the supervisor role."))
    if Enrolment.objects.filter(professional=professional, version=version).exists():
        raise ValidationError(_("This professional is already enrolled on this course version."))
    with transaction.atomic():
        enrolment = Enrolment.objects.create(
            professional=professional,
            version=version,
            supervisor=supervisor,
            cohort=cohort,
            started_on=started_on or timezone.localdate(),
        )
        if supervisor is not None:
            assignment_create(enrolment=enrolment, supervisor=supervisor)
        certification_start_training(professional=professional, course_code=version.course.code)
    return enrolment


def _kind_error(enrolment: Enrolment, supervisor: User) -> str:
    """Why ``supervisor`` cannot be assigned to ``enrolment``'s course, or "" when they can."""
    if not supervisor.is_supervisor or not supervisor.is_active:
        return _("Only an active supervisor or trainer can be assigned.")
    if enrolment.version.course.code == Course.Code.VIB and not supervisor.gives_vib_supervision:
        return _("A DMOP trainer cannot supervise a VIB training: choose an AIT VIB supervisor.")
    if enrolment.version.course.code == Course.Code.DMOP and not supervisor.gives_dmop_training:
        return _("A VIB supervisor cannot train or sign off DMOP: choose a DMOP trainer.")
    return ""


def assignment_create(
    *,
    enrolment: Enrolment,
    supervisor: User,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> SupervisorAssignment:
    """Assign a supervisor (VIB) or trainer (DMOP) to an open enrolment; the course decides the kind.

    The assignment lets them see the trainee's work until its end date, or until the enrolment is
    completed or withdrawn (``SupervisorAssignmentQuerySet.active``). External AIT supervisors belong to
    no organisation, so any active supervisor of the right kind can be assigned.
    """
    starts_on = starts_on or timezone.localdate()
    errors: dict[str, str] = {}
    if not enrolment.is_open:
        errors["enrolment"] = _("This enrolment is closed; no one can be assigned to it.")
    if kind_error := _kind_error(enrolment, supervisor):
        errors["supervisor"] = kind_error
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The end date must be on or after the start date.")
    current = SupervisorAssignment.objects.active(starts_on).filter(
        supervisor=supervisor, enrolment=enrolment
    )
    if not errors and current.exists():
        errors["supervisor"] = _("This supervisor is already assigned to this enrolment.")
    if errors:
        raise ValidationError(errors)
    return SupervisorAssignment.objects.create(
        supervisor=supervisor,
        trainee=enrolment.professional,
        enrolment=enrolment,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def assignment_end(*, assignment: SupervisorAssignment, ends_on: datetime.date | None = None) -> None:
    """End an assignment (its last day is ``ends_on``, default yesterday: from today it no longer holds)."""
    ends_on = ends_on or timezone.localdate() - datetime.timedelta(days=1)
    assignment.ends_on = max(ends_on, assignment.starts_on - datetime.timedelta(days=1))
    assignment.save(update_fields=["ends_on"])


def enrolment_requirements_met(enrolment: Enrolment) -> bool:
    """Everything but the final sign-off is met (derived from evidence and reviewed VIB cycles)."""
    return progress_for([enrolment])[0].requirements_met


def _require_open(enrolment: Enrolment, requirement: Requirement, *kinds: str) -> None:
    if requirement.version_id != enrolment.version_id or requirement.kind not in kinds:
        raise ValidationError(_("This requirement does not belong to this enrolment."))
    if not enrolment.is_open:
        raise ValidationError(_("This enrolment is closed; nothing can be added to it."))


def _evidence_add(
    *,
    enrolment: Enrolment,
    requirement: Requirement,
    actor: User,
    status: str,
    occurred_on: datetime.date | None = None,
    text: str = "",
    second_assessor: User | None = None,
) -> Evidence:
    evidence = Evidence.objects.create(
        enrolment=enrolment,
        requirement=requirement,
        status=status,
        occurred_on=occurred_on or timezone.localdate(),
        text=text,
        recorded_by=actor,
        second_assessor=second_assessor,
    )
    # The first evidence moves an enrolment from "enrolled" to "in progress".
    if enrolment.status == Enrolment.Status.ENROLLED:
        enrolment.status = Enrolment.Status.IN_PROGRESS
        enrolment.save(update_fields=["status"])
    return evidence


def attendance_register(
    *, enrolment: Enrolment, requirement: Requirement, actor: User, occurred_on: datetime.date, note: str = ""
) -> Evidence:
    """The trainer registers attendance of a training day.

    Supervision is not ticked: its requirements follow from recorded supervision sessions only
    (``courses.supervision.supervision_session_record``), which name what was discussed.
    """
    if requirement.kind == Kind.SUPERVISION_MEETINGS:
        raise ValidationError(
            _("Supervision is not ticked off: record a supervision session, which counts automatically.")
        )
    _require_open(enrolment, requirement, Kind.TRAINING_DAY)
    if occurred_on > timezone.localdate():
        raise ValidationError(_("Attendance cannot be registered for a date in the future."))
    if requirement.kind == Kind.TRAINING_DAY and _counted(enrolment, requirement) >= requirement.target_count:
        raise ValidationError(_("Attendance of this training day is already registered."))
    return _evidence_add(
        enrolment=enrolment,
        requirement=requirement,
        actor=actor,
        status=Evidence.Status.DONE,
        occurred_on=occurred_on,
        text=note,
    )


def study_module_mark_done(*, enrolment: Enrolment, requirement: Requirement, actor: User) -> Evidence:
    """The professional marks a study module (reading, e-learning) as finished."""
    _require_open(enrolment, requirement, Kind.STUDY_MODULE)
    if _counted(enrolment, requirement):
        raise ValidationError(_("This study module is already marked as done."))
    return _evidence_add(
        enrolment=enrolment, requirement=requirement, actor=actor, status=Evidence.Status.DONE
    )


def assignment_submit(*, enrolment: Enrolment, requirement: Requirement, actor: User, text: str) -> Evidence:
    """The professional submits (or resubmits after a return) an assignment for review."""
    _require_open(enrolment, requirement, Kind.ASSIGNMENT)
    existing = Evidence.objects.filter(enrolment=enrolment, requirement=requirement)
    if existing.filter(status__in=[Evidence.Status.SUBMITTED, Evidence.Status.APPROVED]).exists():
        raise ValidationError(_("This assignment is already submitted or approved."))
    evidence = _evidence_add(
        enrolment=enrolment,
        requirement=requirement,
        actor=actor,
        status=Evidence.Status.SUBMITTED,
        text=text.strip(),
    )
    if enrolment.supervisor is not None:
        _notify(
            enrolment.supervisor,
            _("An assignment awaits your review"),
            _("%(name)s submitted the assignment “%(title)s”.")
            % {"name": enrolment.professional.full_name, "title": requirement.title},
            reverse("courses:assignment_review", args=[evidence.pk]),
        )
    return evidence


def assignment_review(*, evidence: Evidence, reviewer: User, approved: bool, comment: str) -> Evidence:
    """The trainer approves an assignment or returns it for rework (with a comment saying why)."""
    if evidence.status != Evidence.Status.SUBMITTED:
        raise ValidationError(_("This assignment has already been reviewed."))
    if not approved and not comment.strip():
        raise ValidationError(_("Explain what needs rework when you return an assignment."))
    evidence.status = Evidence.Status.APPROVED if approved else Evidence.Status.RETURNED
    evidence.reviewed_by = reviewer
    evidence.reviewed_at = timezone.now()
    evidence.review_comment = comment.strip()
    evidence.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    subject = _("Your assignment was approved") if approved else _("Your assignment was returned")
    _notify(
        evidence.enrolment.professional,
        subject,
        evidence.requirement.title,
        reverse("courses:my_training"),
    )
    return evidence


Score = tuple[AssessmentCriterion, int, str]


def _scores_check(requirement: Requirement, scores: Sequence[Score]) -> None:
    """Scores, when given, cover every criterion of the requirement once, on the scale, with a motivation."""
    if not scores:
        return
    criteria = set(requirement.criteria.values_list("pk", flat=True))
    scale = {value for value, _label in AssessmentCriterion.SCALE}
    if sorted(c.pk for c, _s, _m in scores) != sorted(criteria):
        raise ValidationError(_("Score every criterion of this assessment once."))
    if any(score not in scale or not motivation.strip() for _c, score, motivation in scores):
        raise ValidationError(_("Give every criterion a score on the scale and a motivation."))


def _scores_save(evidence: Evidence, scores: Sequence[Score]) -> None:
    CriterionScore.objects.bulk_create(
        CriterionScore(evidence=evidence, criterion=criterion, score=score, motivation=motivation.strip())
        for criterion, score, motivation in scores
    )


def milestone_record(
    *,
    enrolment: Enrolment,
    requirement: Requirement,
    actor: User,
    occurred_on: datetime.date,
    second_assessor: User | None,
    text: str,
    passed: bool = True,
    scores: Sequence[Score] = (),
) -> Evidence:
    """Record a staged milestone, such as AIT's interim evaluation after the 8th supervision.

    Scored on the requirement's criteria. A negative result is kept as history and leaves the
    milestone open for a new attempt.
    """
    _require_open(enrolment, requirement, Kind.MILESTONE)
    _scores_check(requirement, scores)
    item = progress_for([enrolment])[0].item_for(requirement.pk)
    if item.met:
        raise ValidationError(_("This milestone is already recorded."))
    if item.locked:
        raise ValidationError(item.next_step)
    if requirement.needs_second_assessor:
        if second_assessor is None or not second_assessor.is_supervisor:
            raise ValidationError(_("This milestone is judged together with a second trainer: choose one."))
        if second_assessor.pk == actor.pk:
            raise ValidationError(_("The second trainer must be someone else."))
    with transaction.atomic():
        evidence = _evidence_add(
            enrolment=enrolment,
            requirement=requirement,
            actor=actor,
            status=Evidence.Status.DONE if passed else Evidence.Status.FAILED,
            occurred_on=occurred_on,
            text=text.strip(),
            second_assessor=second_assessor,
        )
        _scores_save(evidence, scores)
    return evidence


def final_assessment_record(
    *,
    enrolment: Enrolment,
    requirement: Requirement,
    actor: User,
    passed: bool,
    motivation: str,
    scores: Sequence[Score] = (),
) -> Evidence:
    """The trainer's final judgement with its motivation.

    Passing is only possible when every other requirement is met; it completes the enrolment and
    grants the certificate (``certification.services.certification_grant``) in the same transaction.
    """
    _require_open(enrolment, requirement, Kind.FINAL_ASSESSMENT)
    _scores_check(requirement, scores)
    motivation = motivation.strip()
    if not motivation:
        raise ValidationError(_("Give a short motivation for your judgement."))
    if passed and not enrolment_requirements_met(enrolment):
        raise ValidationError(
            _("Not every requirement is met yet, so the final assessment cannot be passed.")
        )
    status = Evidence.Status.DONE if passed else Evidence.Status.FAILED
    with transaction.atomic():
        evidence = _evidence_add(
            enrolment=enrolment, requirement=requirement, actor=actor, status=status, text=motivation
        )
        _scores_save(evidence, scores)
        if passed:
            _enrolment_complete(enrolment=enrolment, signed_off_by=actor, motivation=motivation)
    return evidence


def _enrolment_complete(*, enrolment: Enrolment, signed_off_by: User, motivation: str) -> None:
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_on = timezone.localdate()
    enrolment.save(update_fields=["status", "completed_on"])
    certification_grant(
        professional=enrolment.professional,
        course_code=enrolment.version.course.code,
        signed_off_by=signed_off_by,
        motivation=motivation,
    )
    _notify(
        enrolment.professional,
        _("You have completed %(course)s") % {"course": enrolment.version.course.name},
        _("Your trainer recorded the final assessment as passed."),
        reverse("courses:my_training"),
    )


def enrolment_withdraw(*, enrolment: Enrolment) -> Enrolment:
    """Withdraw an open enrolment; its evidence stays as history."""
    if not enrolment.is_open:
        raise ValidationError(_("Only an open enrolment can be withdrawn."))
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment.withdrawn_on = timezone.localdate()
    enrolment.save(update_fields=["status", "withdrawn_on"])
    return enrolment


def _counted(enrolment: Enrolment, requirement: Requirement) -> int:
    return Evidence.objects.filter(
        enrolment=enrolment, requirement=requirement, status__in=Evidence.COUNTING
    ).count()


def _notify(user: User, subject: str, body: str, url: str) -> None:
    notification_send(user=user, subject=str(subject), body=str(body), url=url)


def course_version_copy(*, version: CourseVersion, label: str) -> CourseVersion:
    """Copy a curriculum and its annotation vocabularies into a new, not yet current version, to edit
    without touching enrolled history."""
    if CourseVersion.objects.filter(course=version.course, label=label).exists():
        raise ValidationError(_("This course already has a version with that label."))
    with transaction.atomic():
        copy = CourseVersion.objects.create(course=version.course, label=label, is_current=False)
        requirements = Requirement.objects.bulk_create(
            Requirement(
                version=copy,
                order=requirement.order,
                kind=requirement.kind,
                title=requirement.title,
                description=requirement.description,
                target_count=requirement.target_count,
                needs_second_assessor=requirement.needs_second_assessor,
            )
            for requirement in version.requirements.all()
        )
        by_order = {requirement.order: requirement for requirement in requirements}
        AssessmentCriterion.objects.bulk_create(
            AssessmentCriterion(
                requirement=by_order[criterion.requirement.order],
                order=criterion.order,
                title=criterion.title,
                description=criterion.description,
            )
            for criterion in AssessmentCriterion.objects.filter(requirement__version=version).select_related(
                "requirement"
            )
        )
        # The vocabularies (home visit and nabespreking) go along: a trainee on the copy must annotate.
        Category.objects.bulk_create(
            Category(
                course_version=copy,
                name=category.name,
                colour=category.colour,
                description=category.description,
                order=category.order,
                recording_kind=category.recording_kind,
                is_contact_principle=category.is_contact_principle,
            )
            for category in Category.objects.filter(course_version=version)
        )
    return copy


def course_version_make_current(*, version: CourseVersion) -> CourseVersion:
    """Make ``version`` the one new enrolments use; enrolments on older versions keep theirs."""
    with transaction.atomic():
        CourseVersion.objects.filter(course=version.course, is_current=True).exclude(pk=version.pk).update(
            is_current=False
        )
        if not version.is_current:
            version.is_current = True
            version.save(update_fields=["is_current"])
    return version
