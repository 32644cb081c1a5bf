"""Writes of the courses app: enrolling, recording evidence, reviewing and the final sign-off.

Every function takes objects already authorised by ``courses.access``; the business rules that do not
depend on who asks (right kind of requirement, enrolment still open, milestone reached) are checked here
and reported as a translated ``ValidationError``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CourseVersion, Enrolment, Evidence, Requirement
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
            supervisor_assignment_ensure(supervisor=supervisor, trainee=professional)
        # Imported here: certification is a separate app that may in turn look at courses.
        from certification.services import certification_start_training

        certification_start_training(professional=professional, course_code=version.course.code)
    return enrolment


def supervisor_assignment_ensure(*, supervisor: User, trainee: User) -> SupervisorAssignment:
    """Return the active assignment of ``supervisor`` to ``trainee``, creating one from today if needed."""
    today = timezone.localdate()
    active = SupervisorAssignment.objects.active(today).filter(supervisor=supervisor, trainee=trainee).first()
    if active is not None:
        return active
    assignment, _created = SupervisorAssignment.objects.update_or_create(
        supervisor=supervisor, trainee=trainee, starts_on=today, defaults={"ends_on": None}
    )
    return assignment


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
    """The trainer registers attendance of a training day or a supervision meeting."""
    _require_open(enrolment, requirement, Kind.TRAINING_DAY, Kind.SUPERVISION_MEETINGS)
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


def milestone_record(
    *,
    enrolment: Enrolment,
    requirement: Requirement,
    actor: User,
    occurred_on: datetime.date,
    second_assessor: User | None,
    text: str,
) -> Evidence:
    """Record a staged milestone, such as AIT's interim evaluation after the 8th supervision."""
    _require_open(enrolment, requirement, Kind.MILESTONE)
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
    return _evidence_add(
        enrolment=enrolment,
        requirement=requirement,
        actor=actor,
        status=Evidence.Status.DONE,
        occurred_on=occurred_on,
        text=text.strip(),
        second_assessor=second_assessor,
    )


def final_assessment_record(
    *, enrolment: Enrolment, requirement: Requirement, actor: User, passed: bool, motivation: str
) -> Evidence:
    """The trainer's final judgement with its motivation.

    Passing is only possible when every other requirement is met; it completes the enrolment and
    grants the certificate (``certification.services.certification_grant``) in the same transaction.
    """
    _require_open(enrolment, requirement, Kind.FINAL_ASSESSMENT)
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
        if passed:
            _enrolment_complete(enrolment=enrolment, signed_off_by=actor, motivation=motivation)
    return evidence


def _enrolment_complete(*, enrolment: Enrolment, signed_off_by: User, motivation: str) -> None:
    # Imported here: certification is a separate app that may in turn look at courses.
    from certification.services import certification_grant

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
    """Copy a curriculum into a new, not yet current version, to edit without touching enrolled history."""
    if CourseVersion.objects.filter(course=version.course, label=label).exists():
        raise ValidationError(_("This course already has a version with that label."))
    with transaction.atomic():
        copy = CourseVersion.objects.create(course=version.course, label=label, is_current=False)
        Requirement.objects.bulk_create(
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
