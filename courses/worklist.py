"""What awaits a supervisor/trainer: their trainees' progress and the actions waiting for them, oldest first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Enrolment, Evidence, Requirement
from courses.progress import EnrolmentProgress, progress_for
from organisations.models import User
from organisations.rules import assigned_trainee_ids
from recordings.models import Recording, VibCycle

Kind = Requirement.Kind
# Requirements the trainer registers, shown as waiting once they are possible.
_TRAINER_REGISTERS = (Kind.TRAINING_DAY, Kind.MILESTONE, Kind.FINAL_ASSESSMENT)
# Assessments open straight on their form; attendance is registered from the enrolment page.
ASSESSMENT_PAGES = {
    Kind.MILESTONE: "courses:milestone_record",
    Kind.FINAL_ASSESSMENT: "courses:final_assessment",
}


@dataclass
class ActionItem:
    since: datetime.date
    professional: User
    what: str
    title: str
    url: str
    kind: str = ""  # the requirement kind, or VIB_CYCLES for a cycle to review


def trainee_progress(supervisor: User) -> list[EnrolmentProgress]:
    """Progress of every enrolment of the supervisor's assigned trainees (any organisation)."""
    enrolments = (
        Enrolment.objects.filter(professional_id__in=assigned_trainee_ids(supervisor))
        .select_related("professional__organisation", "version__course")
        .with_last_evidence()
        .order_by("professional__full_name", "version__course__code", "started_on")
    )
    return progress_for(enrolments)


def awaiting_actions(supervisor: User, progresses: list[EnrolmentProgress]) -> list[ActionItem]:
    """Attendance and judgements to register, assignments and VIB cycles to review: oldest first."""
    items = _registrations(progresses) + _assignments(supervisor) + _cycles(supervisor)
    return sorted(items, key=lambda item: (item.since, item.professional.full_name))


def _registrations(progresses: list[EnrolmentProgress]) -> list[ActionItem]:
    items = []
    for progress in progresses:
        enrolment = progress.enrolment
        if not enrolment.is_open:
            continue
        pending = [
            item
            for item in progress.requirements
            if item.requirement.kind in _TRAINER_REGISTERS and not item.met and not item.locked
        ]
        # Only the first training day waiting: the later ones are not due yet.
        for item in pending[:1] + [p for p in pending[1:] if p.requirement.kind != Kind.TRAINING_DAY]:
            items.append(_registration(enrolment, item.requirement))
    return items


def _registration(enrolment: Enrolment, requirement: Requirement) -> ActionItem:
    last = getattr(enrolment, "last_evidence_at", None)
    since = timezone.localdate(last) if last and requirement.kind != Kind.TRAINING_DAY else None
    page = ASSESSMENT_PAGES.get(Kind(requirement.kind))
    return ActionItem(
        since=since or enrolment.started_on,
        professional=enrolment.professional,
        what=_("Assess") if page else _("Register"),
        title=f"{enrolment.version.course.name}: {requirement.title}",
        url=reverse(page, args=[enrolment.pk, requirement.pk])
        if page
        else reverse("courses:enrolment_detail", args=[enrolment.pk]),
        kind=requirement.kind,
    )


def _assignments(supervisor: User) -> list[ActionItem]:
    submitted = (
        Evidence.objects.filter(
            status=Evidence.Status.SUBMITTED,
            enrolment__professional_id__in=assigned_trainee_ids(supervisor),
        )
        .select_related("enrolment__professional", "enrolment__version__course", "requirement")
        .order_by("recorded_at")
    )
    return [
        ActionItem(
            since=timezone.localdate(evidence.recorded_at),
            professional=evidence.enrolment.professional,
            what=_("Review assignment"),
            title=f"{evidence.enrolment.version.course.name}: {evidence.requirement.title}",
            url=reverse("courses:assignment_review", args=[evidence.pk]),
            kind=Kind.ASSIGNMENT,
        )
        for evidence in submitted
    ]


def _cycles(supervisor: User) -> list[ActionItem]:
    """VIB cycles with a playable film that the supervisor has not reviewed yet."""
    cycles = (
        VibCycle.objects.filter(
            professional_id__in=assigned_trainee_ids(supervisor),
            reviewed_at__isnull=True,
            recordings__status__in=[Recording.Status.PLAYABLE, Recording.Status.READY],
        )
        .select_related("professional")
        .distinct()
        .order_by("created_at")
    )
    return [
        ActionItem(
            since=timezone.localdate(cycle.created_at),
            professional=cycle.professional,
            what=_("Review recording"),
            title=str(cycle),
            # The review itself happens on the annotations app's cycle page.
            url=reverse("annotations:cycle", args=[cycle.pk]),
            kind=Kind.VIB_CYCLES,
        )
        for cycle in cycles
    ]
