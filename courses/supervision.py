"""Supervision sessions: recorded by the supervisor, prepared and reflected on by the trainee.

A session replaces the attendance tick. It names its date and duration, the supervisors, one trainee or
a group (through their enrolments), the cycles and films discussed, the supervisor's report with
werkpunten, and per trainee the learning question (beforehand) and reflection (afterwards). The
supervision requirements are derived from the sessions (``courses.progress``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.access import may_sign_off
from courses.models import Enrolment, SupervisionParticipant, SupervisionSession
from courses.progress import EnrolmentProgress
from organisations.models import SupervisorAssignment, User
from recordings.models import Recording, VibCycle

MAX_MINUTES = 480
# Sessions may be planned ahead (so trainees can write their learning question), but not for years.
PLAN_AHEAD_DAYS = 365


def _assigned(supervisor: User, enrolment: Enrolment) -> bool:
    return (
        enrolment.is_open
        and may_sign_off(supervisor, enrolment)
        and SupervisorAssignment.objects.active().filter(supervisor=supervisor, enrolment=enrolment).exists()
    )


def _session_errors(
    *, actor: User, held_on: datetime.date, duration_minutes: int, enrolments: list[Enrolment]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if held_on > timezone.localdate() + datetime.timedelta(days=PLAN_AHEAD_DAYS):
        errors["held_on"] = _("Plan a session at most a year ahead.")
    if not 1 <= duration_minutes <= MAX_MINUTES:
        errors["duration_minutes"] = _("Give the duration in minutes, from 1 to 480.")
    if not enrolments:
        errors["enrolments"] = _("Choose at least one trainee.")
    elif any(not _assigned(actor, enrolment) for enrolment in enrolments):
        errors["enrolments"] = _(
            "You can only record a session for open enrolments you are assigned to, of your kind."
        )
    elif len({enrolment.version.course_id for enrolment in enrolments}) > 1:
        errors["enrolments"] = _("A group session is for trainees of one course.")
    return errors


def _discussed_errors(
    enrolments: list[Enrolment], cycles: list[VibCycle], recordings: list[Recording]
) -> dict[str, str]:
    trainees = {enrolment.professional_id for enrolment in enrolments}
    errors: dict[str, str] = {}
    if any(cycle.professional_id not in trainees for cycle in cycles):
        errors["cycles"] = _("Choose cycles of the trainees in this session.")
    if any(recording.professional_id not in trainees for recording in recordings):
        errors["recordings"] = _("Choose films of the trainees in this session.")
    return errors


def supervision_session_record(
    *,
    actor: User,
    held_on: datetime.date,
    duration_minutes: int,
    enrolments: Iterable[Enrolment],
    cycles: Iterable[VibCycle] = (),
    recordings: Iterable[Recording] = (),
    report: str = "",
    work_points: str = "",
    co_supervisors: Iterable[User] = (),
) -> SupervisionSession:
    """Record (or plan) a session led by ``actor`` for one trainee or a group; field-keyed errors."""
    enrolments, cycles, recordings = list(enrolments), list(cycles), list(recordings)
    errors = _session_errors(
        actor=actor, held_on=held_on, duration_minutes=duration_minutes, enrolments=enrolments
    )
    errors |= _discussed_errors(enrolments, cycles, recordings)
    if any(not person.is_supervisor for person in co_supervisors):
        errors["co_supervisors"] = _("A co-supervisor must have the supervisor role.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session = SupervisionSession.objects.create(
            held_on=held_on,
            duration_minutes=duration_minutes,
            report=report.strip(),
            work_points=work_points.strip(),
            recorded_by=actor,
        )
        session.supervisors.set([actor, *co_supervisors])
        session.cycles.set(cycles)
        session.recordings.set(recordings)
        SupervisionParticipant.objects.bulk_create(
            SupervisionParticipant(session=session, enrolment=enrolment) for enrolment in enrolments
        )
        for enrolment in enrolments:
            if enrolment.status == Enrolment.Status.ENROLLED:
                enrolment.status = Enrolment.Status.IN_PROGRESS
                enrolment.save(update_fields=["status"])
    return session


def supervision_report_set(*, session: SupervisionSession, report: str, work_points: str) -> None:
    """The supervisor writes (or corrects) the report with werkpunten."""
    session.report = report.strip()
    session.work_points = work_points.strip()
    session.save(update_fields=["report", "work_points"])


def supervision_learning_question_set(*, participant: SupervisionParticipant, text: str) -> None:
    """The trainee's learning question, written beforehand: until the day of the session."""
    if participant.session.held_on < timezone.localdate():
        raise ValidationError({"learning_question": _("The session has taken place: write a reflection.")})
    participant.learning_question = text.strip()
    participant.save(update_fields=["learning_question"])


def supervision_reflection_set(*, participant: SupervisionParticipant, text: str) -> None:
    """The trainee's reflection, written afterwards: from the day of the session."""
    if participant.session.held_on > timezone.localdate():
        raise ValidationError({"reflection": _("Write your reflection after the session.")})
    participant.reflection = text.strip()
    participant.save(update_fields=["reflection"])


def sessions_attach(progresses: list[EnrolmentProgress]) -> None:
    """Give each enrolment's progress its supervision sessions, newest first (one query)."""
    by_enrolment = {progress.enrolment.pk: progress for progress in progresses}
    rows = (
        SupervisionParticipant.objects.filter(enrolment_id__in=by_enrolment)
        .select_related("session")
        .order_by("-session__held_on", "-session_id")
    )
    for row in rows:
        by_enrolment[row.enrolment_id].sessions.append(row.session)
