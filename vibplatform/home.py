"""The home page: per role, what waits for this person now, each count linking to where to act.

Every block is one small function ``(user, today) -> HomeBlock | None`` listed in ``ITEMS`` under the role
that sees it; ``None`` (nothing waiting) leaves the block out. A new kind of work (supervision sessions to
hold, open checklist items) is one more function and one more line in ``ITEMS``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from annotations.models import Annotation
from annotations.services import feedback_queue
from certification.models import Certificate
from courses.models import Enrolment, Requirement, SupervisionParticipant, SupervisionSession
from courses.progress import progress_for
from courses.worklist import ASSESSMENT_PAGES, awaiting_actions, trainee_progress
from families.models import Consent
from notifications.models import Notification
from organisations.http import AuthenticatedRequest
from organisations.models import ImplementationCheck, User
from organisations.services import implementation_checklist
from recordings.models import Recording

SHOWN = 5  # lines per block; the count and the link lead to the rest
CONSENT_WARNING_DAYS = 30
CERTIFICATE_WARNING_DAYS = 90
STUCK_WEEKS = 8
PLAYABLE = [Recording.Status.PLAYABLE, Recording.Status.READY]


@dataclass
class HomeLine:
    text: str
    url: str
    detail: str = ""


@dataclass
class HomeBlock:
    title: str
    count: int
    url: str
    lines: list[HomeLine] = field(default_factory=list)


HomeItem = Callable[[User, datetime.date], "HomeBlock | None"]


def film_name(recording: Recording) -> str:
    """ "Huisbezoek 3 december 2026 14:05 · gezin FAM-12": enough to tell two films of one day apart."""
    moment = date_format(timezone.localtime(recording.created_at), "DATETIME_FORMAT")
    family = _("family %(code)s") % {"code": recording.family.code}
    return f"{recording.get_kind_display()} {moment} · {family}"


# --- Professional ------------------------------------------------------------------------------------------


def next_steps(user: User, today: datetime.date) -> HomeBlock | None:
    enrolments = Enrolment.objects.filter(professional=user).active().select_related("version__course")
    lines = [
        HomeLine(
            f"{progress.enrolment.version.course.name}: {progress.next_step.requirement.title}",
            reverse("courses:enrolment_detail", args=[progress.enrolment.pk]),
            progress.next_step.next_step,
        )
        for progress in progress_for(enrolments)
        if progress.next_step is not None
    ]
    return (
        HomeBlock(_("Your next step"), len(lines), reverse("courses:my_training"), lines) if lines else None
    )


def new_feedback(user: User, today: datetime.date) -> HomeBlock | None:
    unread = Notification.objects.filter(user=user, message="feedback_published", read_at__isnull=True)
    shown = list(unread.select_related("recording__family")[:SHOWN])
    if not shown:
        return None
    lines = [
        HomeLine(film_name(item.recording) if item.recording else item.subject_text, item.url, item.body_text)
        for item in shown
    ]
    return HomeBlock(_("New feedback"), unread.count(), reverse("notifications:list"), lines)


def films_to_analyse(user: User, today: datetime.date) -> HomeBlock | None:
    own_analysis = Annotation.objects.filter(
        recording=OuterRef("pk"), author=user, kind=Annotation.Kind.ANALYSIS
    )
    films = (
        Recording.objects.filter(professional=user, status__in=PLAYABLE)
        .exclude(Exists(own_analysis))
        .select_related("family")
        .order_by("created_at")
    )
    shown = list(films[:SHOWN])
    if not shown:
        return None
    lines = [HomeLine(film_name(film), reverse("annotations:workspace", args=[film.pk])) for film in shown]
    return HomeBlock(
        _("Films waiting for your own analysis"), films.count(), reverse("recordings:list"), lines
    )


def consents_expiring(user: User, today: datetime.date) -> HomeBlock | None:
    horizon = today + datetime.timedelta(days=CONSENT_WARNING_DAYS)
    consents = (
        Consent.objects.filter(
            Q(recorded_by=user) | Q(family__recordings__professional=user),
            withdrawn_at__isnull=True,
            valid_until__gte=today,
            valid_until__lte=horizon,
        )
        .select_related("family")
        .distinct()
        .order_by("valid_until", "pk")
    )
    lines = [
        HomeLine(
            _("Consent of family %(code)s") % {"code": consent.family.code},
            reverse("families:detail", args=[consent.family_id]),
            _("valid through %(day)s") % {"day": date_format(consent.valid_until)},
        )
        for consent in consents[:SHOWN]
    ]
    return (
        HomeBlock(_("Consents about to end"), len(lines), reverse("recordings:list"), lines)
        if lines
        else None
    )


def learning_questions_to_write(user: User, today: datetime.date) -> HomeBlock | None:
    """Sessions ahead (today included: the question may be written until the day itself) without one."""
    participations = (
        SupervisionParticipant.objects.filter(
            enrolment__professional=user, learning_question="", session__held_on__gte=today
        )
        .select_related("session", "enrolment__version__course")
        .order_by("session__held_on", "session_id")
    )
    lines = [
        HomeLine(
            _("Supervision on %(day)s") % {"day": date_format(participation.session.held_on)},
            reverse("courses:supervision_session", args=[participation.session_id]),
            participation.enrolment.version.course.name,
        )
        for participation in participations
    ]
    return (
        HomeBlock(_("Learning questions to write"), len(lines), reverse("courses:my_training"), lines[:SHOWN])
        if lines
        else None
    )


def certificates_expiring(user: User, today: datetime.date) -> HomeBlock | None:
    return _expiring_certificates(
        Certificate.objects.filter(professional=user), today, reverse("certification:mine")
    )


# --- Supervisor --------------------------------------------------------------------------------------------


def feedback_waiting(user: User, today: datetime.date) -> HomeBlock | None:
    queue = feedback_queue(user)
    shown = list(queue[:SHOWN])
    if not shown:
        return None
    lines = [
        HomeLine(
            f"{film.professional.full_name} · {film_name(film)}",
            reverse("annotations:workspace", args=[film.pk]),
            _("waiting %(time)s") % {"time": timesince(film.created_at)},
        )
        for film in shown
    ]
    return HomeBlock(_("Films waiting for your feedback"), queue.count(), reverse("annotations:queue"), lines)


def sessions_to_hold(user: User, today: datetime.date) -> HomeBlock | None:
    """Supervision sessions the user leads from today on, with how many learning questions are in."""
    participants = SupervisionParticipant.objects.select_related("enrolment__professional")
    sessions = (
        SupervisionSession.objects.filter(supervisors=user, held_on__gte=today)
        .prefetch_related(Prefetch("participants", queryset=participants))
        .order_by("held_on", "pk")
    )
    shown = list(sessions[:SHOWN])
    if not shown:
        return None
    lines = [_session_line(session) for session in shown]
    return HomeBlock(_("Supervision sessions to hold"), sessions.count(), reverse("courses:trainees"), lines)


def _session_line(session: SupervisionSession) -> HomeLine:
    people = list(session.participants.all())
    names = ", ".join(person.enrolment.professional.full_name for person in people)
    written = sum(1 for person in people if person.learning_question)
    return HomeLine(
        f"{date_format(session.held_on)} · {names}",
        reverse("courses:supervision_session", args=[session.pk]),
        _("learning questions written: %(written)d of %(total)d")
        % {"written": written, "total": len(people)},
    )


def assessments_due(user: User, today: datetime.date) -> HomeBlock | None:
    """Interim evaluations and final assessments that may be recorded now, each opening its form."""
    items = [item for item in awaiting_actions(user, trainee_progress(user)) if item.kind in ASSESSMENT_PAGES]
    lines = [
        HomeLine(
            f"{item.professional.full_name} · {item.title}",
            item.url,
            _("since %(day)s") % {"day": date_format(item.since)},
        )
        for item in items[:SHOWN]
    ]
    return HomeBlock(_("Assessments due"), len(items), reverse("courses:trainees"), lines) if lines else None


# Cycles to review are in the feedback queue, assessments in their own block.
_NOT_REGISTRATIONS = {*ASSESSMENT_PAGES, Requirement.Kind.VIB_CYCLES}


def registrations_due(user: User, today: datetime.date) -> HomeBlock | None:
    """Attendance and assignments the supervisor or trainer must register or review."""
    items = [
        item for item in awaiting_actions(user, trainee_progress(user)) if item.kind not in _NOT_REGISTRATIONS
    ]
    lines = [
        HomeLine(
            f"{item.professional.full_name}: {item.what.lower()} · {item.title}",
            item.url,
            _("since %(day)s") % {"day": date_format(item.since)},
        )
        for item in items[:SHOWN]
    ]
    return (
        HomeBlock(_("Waiting for you to assess or register"), len(items), reverse("courses:trainees"), lines)
        if lines
        else None
    )


# --- Coordinator -------------------------------------------------------------------------------------------


def stuck_professionals(user: User, today: datetime.date) -> HomeBlock | None:
    enrolments = (
        Enrolment.objects.filter(professional__organisation=user.organisation)
        .active()
        .with_last_evidence()
        .select_related("professional", "version__course")
        .order_by("started_on")
    )
    stuck = [enrolment for enrolment in enrolments if enrolment.is_stale(STUCK_WEEKS, today)]
    lines = [
        HomeLine(
            f"{enrolment.professional.full_name} · {enrolment.version.course.name}",
            reverse("courses:enrolment_detail", args=[enrolment.pk]),
            _("no progress for %(weeks)d weeks or more") % {"weeks": STUCK_WEEKS},
        )
        for enrolment in stuck[:SHOWN]
    ]
    url = f"{reverse('courses:overview')}?stale_weeks={STUCK_WEEKS}"
    return HomeBlock(_("Who is stuck"), len(stuck), url, lines) if lines else None


def open_checklist_items(user: User, today: datetime.date) -> HomeBlock | None:
    """Conditions of the organisation's implementation checklist not met yet (untouched ones included)."""
    if user.organisation is None:
        return None
    checks = [
        check
        for check in implementation_checklist(user.organisation)
        if check.status != ImplementationCheck.Status.DONE
    ]
    lines = [
        HomeLine(
            check.get_item_display(),
            reverse("organisations:implementation_check", args=[check.item]),
            check.get_status_display(),
        )
        for check in checks[:SHOWN]
    ]
    url = reverse("organisations:coordination")
    return HomeBlock(_("Open checklist items"), len(checks), url, lines) if lines else None


def organisation_certificates_expiring(user: User, today: datetime.date) -> HomeBlock | None:
    certificates = Certificate.objects.filter(professional__organisation=user.organisation)
    return _expiring_certificates(certificates, today, reverse("certification:overview"), with_name=True)


def _expiring_certificates(
    certificates: QuerySet[Certificate], today: datetime.date, url: str, *, with_name: bool = False
) -> HomeBlock | None:
    horizon = today + datetime.timedelta(days=CERTIFICATE_WARNING_DAYS)
    expiring = list(
        certificates.filter(
            status=Certificate.Status.CERTIFIED, valid_until__gte=today, valid_until__lte=horizon
        )
        .select_related("professional")
        .order_by("valid_until")
    )
    lines = [
        HomeLine(
            f"{certificate.professional.full_name} · {certificate.get_course_code_display()}"
            if with_name
            else certificate.get_course_code_display(),
            reverse("certification:detail", args=[certificate.pk]),
            _("valid through %(day)s") % {"day": date_format(certificate.valid_until or today)},
        )
        for certificate in expiring[:SHOWN]
    ]
    return HomeBlock(_("Certificates about to expire"), len(expiring), url, lines) if lines else None


# --- The page ----------------------------------------------------------------------------------------------

ITEMS: dict[str, list[HomeItem]] = {
    "is_professional": [
        next_steps,
        new_feedback,
        learning_questions_to_write,
        films_to_analyse,
        consents_expiring,
        certificates_expiring,
    ],
    "is_supervisor": [feedback_waiting, sessions_to_hold, assessments_due, registrations_due],
    "is_coordinator": [stuck_professionals, organisation_certificates_expiring, open_checklist_items],
}


def home_blocks(user: User, today: datetime.date | None = None) -> list[HomeBlock]:
    today = today or timezone.localdate()
    items = [item for role, role_items in ITEMS.items() if getattr(user, role) for item in role_items]
    return [block for item in items if (block := item(user, today)) is not None]


@login_required
@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "home.html", {"blocks": home_blocks(request.user)})
