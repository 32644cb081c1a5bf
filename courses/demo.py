"""Demo enrolments for `manage.py seed_demo`: the trainee and a colleague in DMOP and VIB, with evidence."""

from __future__ import annotations

import datetime

from django.utils import timezone

from courses import services
from courses.models import Cohort, CourseVersion, Enrolment, Requirement, TrainingDay
from organisations.demo import DemoPeople
from organisations.models import User

Kind = Requirement.Kind


def seed(people: DemoPeople) -> None:
    """Idempotent: an enrolment that already exists is left as it is, evidence included."""
    today = timezone.localdate()
    for code in ("dmop", "vib"):
        version = CourseVersion.objects.current().get(course__code=code)
        trainee = _enrol(people.trainee, version, people.supervisor, today - datetime.timedelta(days=120))
        colleague = _enrol(people.colleague, version, None, today - datetime.timedelta(days=200))
        if trainee is not None:
            _trainee_evidence(trainee, people, today)
        if colleague is not None:
            _colleague_evidence(colleague, people, today)
    _seed_cohort(people, today)


def _seed_cohort(people: DemoPeople, today: datetime.date) -> None:
    """The DMOP enrolments form the cohort "Demo 2025"; its second training day was yesterday and awaits
    the trainer's group registration (log in as the demo supervisor: "Mijn trainingsdagen")."""
    version = CourseVersion.objects.current().get(course__code="dmop")
    cohort, created = Cohort.objects.get_or_create(
        organisation=people.organisation, version=version, name="Demo 2025"
    )
    if not created:
        return
    Enrolment.objects.filter(version=version, professional__organisation=people.organisation).update(
        group=cohort
    )
    TrainingDay.objects.create(
        cohort=cohort,
        requirement=version.requirements.filter(kind=Kind.TRAINING_DAY).order_by("order")[1],
        date=today - datetime.timedelta(days=1),
        place="GGD-kantoor, zaal 2",
        trainer=people.supervisor,
    )


def _enrol(
    professional: User, version: CourseVersion, supervisor: User | None, started_on: datetime.date
) -> Enrolment | None:
    if Enrolment.objects.filter(professional=professional, version=version).exists():
        return None
    return services.enrolment_create(
        professional=professional,
        version=version,
        supervisor=supervisor,
        cohort="Demo 2025",
        started_on=started_on,
    )


def _first(enrolment: Enrolment, kind: str) -> Requirement:
    return enrolment.version.requirements.filter(kind=kind).order_by("order").first()  # type: ignore[return-value]


def _trainee_evidence(enrolment: Enrolment, people: DemoPeople, today: datetime.date) -> None:
    day = _first(enrolment, Kind.TRAINING_DAY)
    services.attendance_register(
        enrolment=enrolment,
        requirement=day,
        actor=people.supervisor,
        occurred_on=today - datetime.timedelta(days=100),
    )
    services.study_module_mark_done(
        enrolment=enrolment, requirement=_first(enrolment, Kind.STUDY_MODULE), actor=people.trainee
    )
    if enrolment.version.course.code == "dmop":
        services.assignment_submit(
            enrolment=enrolment,
            requirement=_first(enrolment, Kind.ASSIGNMENT),
            actor=people.trainee,
            text="Casus gezin A: competentie van de ouders sterk, sociaal netwerk klein; afgesproken: ...",
        )
        return
    meetings = _first(enrolment, Kind.SUPERVISION_MEETINGS)
    for weeks_ago in (10, 7, 4):
        services.attendance_register(
            enrolment=enrolment,
            requirement=meetings,
            actor=people.supervisor,
            occurred_on=today - datetime.timedelta(weeks=weeks_ago),
        )


def _colleague_evidence(enrolment: Enrolment, people: DemoPeople, today: datetime.date) -> None:
    services.attendance_register(
        enrolment=enrolment,
        requirement=_first(enrolment, Kind.TRAINING_DAY),
        actor=people.supervisor,
        occurred_on=today - datetime.timedelta(days=190),
    )
