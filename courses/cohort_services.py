"""Writes of cohorts and training days: form a group, enrol into it, move between groups, and register
a training day's attendance for the whole group at once.

Attendance registered here is the same evidence (``Evidence`` of a TRAINING_DAY requirement) that the
trainer could register per person, so progress, the overview and certification all see it.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import (
    Cohort,
    CourseVersion,
    Enrolment,
    Evidence,
    Requirement,
    TrainingDay,
    TrainingDayAttendance,
)
from courses.services import enrolment_create
from organisations.models import Organisation, User


def cohort_create(
    *, organisation: Organisation, version: CourseVersion, name: str, starts_on: datetime.date | None
) -> Cohort:
    name = name.strip()
    if Cohort.objects.filter(organisation=organisation, version=version, name__iexact=name).exists():
        raise ValidationError({"name": _("This course version already has a cohort with that name.")})
    return Cohort.objects.create(organisation=organisation, version=version, name=name, starts_on=starts_on)


def cohort_enrol(*, cohort: Cohort, professional: User) -> Enrolment:
    """Enrol a professional of the cohort's organisation on its course version, in this cohort."""
    if not (professional.is_active and professional.is_professional):
        raise ValidationError({"professional": _("Only active professionals can be enrolled.")})
    if professional.organisation_id != cohort.organisation_id:
        raise ValidationError({"professional": _("Choose a professional of your own organisation.")})
    existing = Enrolment.objects.filter(professional=professional, version=cohort.version).first()
    if existing is not None:
        raise ValidationError(
            {
                "professional": _(
                    "This professional is already enrolled on this course version; change the cohort of that enrolment instead."
                )
            }
        )
    with transaction.atomic():
        enrolment = enrolment_create(professional=professional, version=cohort.version, cohort=cohort.name)
        enrolment.group = cohort
        enrolment.save(update_fields=["group"])
    return enrolment


def enrolment_cohort_change(*, enrolment: Enrolment, cohort: Cohort) -> Enrolment:
    """Move an open enrolment to another cohort of the same organisation and course version."""
    if not enrolment.is_open:
        raise ValidationError(_("This enrolment is closed; its cohort can no longer change."))
    same_organisation = cohort.organisation_id == enrolment.professional.organisation_id
    if not same_organisation or cohort.version_id != enrolment.version_id:
        raise ValidationError({"cohort": _("Choose a cohort of the same course version.")})
    enrolment.group = cohort
    enrolment.cohort = cohort.name
    enrolment.save(update_fields=["group", "cohort"])
    return enrolment


def training_day_plan(
    *, cohort: Cohort, requirement: Requirement, date: datetime.date, place: str, trainer: User
) -> TrainingDay:
    if requirement.version_id != cohort.version_id or requirement.kind != Requirement.Kind.TRAINING_DAY:
        raise ValidationError({"requirement": _("Choose a training day of this cohort's course.")})
    if not (trainer.is_active and trainer.is_supervisor):
        raise ValidationError({"trainer": _("The trainer must be an active trainer or supervisor.")})
    return TrainingDay.objects.create(
        cohort=cohort, requirement=requirement, date=date, place=place.strip(), trainer=trainer
    )


def training_day_members(day: TrainingDay) -> list[Enrolment]:
    """The open enrolments of the day's cohort: whose attendance the trainer registers."""
    return list(
        Enrolment.objects.active()
        .filter(group_id=day.cohort_id)
        .select_related("professional")
        .order_by("professional__full_name")
    )


def training_day_register_attendance(
    *, day: TrainingDay, actor: User, present: Collection[int]
) -> list[TrainingDayAttendance]:
    """Register who of the cohort attended (``present``: enrolment ids; everyone else was absent).

    One evidence row per present member who has not met this training day yet; a member already
    registered (say, per person before) is marked present without a second row. Registered once.
    """
    if day.attendance_registered:
        raise ValidationError(_("Attendance of this training day is already registered."))
    if day.date > timezone.localdate():
        raise ValidationError(_("Attendance cannot be registered for a date in the future."))
    members = training_day_members(day)
    if not members:
        raise ValidationError(_("This cohort has no open enrolments."))
    unknown = set(present) - {m.pk for m in members}
    if unknown:
        raise ValidationError(_("Only members of this cohort can be registered as present."))
    already = set(
        Evidence.objects.filter(
            enrolment__in=members, requirement=day.requirement, status__in=Evidence.COUNTING
        ).values_list("enrolment_id", flat=True)
    )
    with transaction.atomic():
        evidence = {
            row.enrolment_id: row
            for row in Evidence.objects.bulk_create(
                Evidence(
                    enrolment=member,
                    requirement=day.requirement,
                    status=Evidence.Status.DONE,
                    occurred_on=day.date,
                    text=day.place,
                    recorded_by=actor,
                )
                for member in members
                if member.pk in present and member.pk not in already
            )
        }
        # The first evidence moves an enrolment from "enrolled" to "in progress" (as services._evidence_add).
        Enrolment.objects.filter(pk__in=evidence, status=Enrolment.Status.ENROLLED).update(
            status=Enrolment.Status.IN_PROGRESS
        )
        attendances = TrainingDayAttendance.objects.bulk_create(
            TrainingDayAttendance(
                training_day=day,
                enrolment=member,
                present=member.pk in present,
                evidence=evidence.get(member.pk),
            )
            for member in members
        )
        day.attendance_registered_at = timezone.now()
        day.save(update_fields=["attendance_registered_at"])
    return attendances
