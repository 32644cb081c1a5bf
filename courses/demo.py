"""Demo enrolments for `manage.py seed_demo`: the trainee and a colleague in DMOP and VIB, with evidence.

The story is consistent: the colleague completed the whole DMOP training (so the DMOP certificate rests on
a passed final assessment), the trainee is halfway, with supervision sessions that carry a learning
question and a report.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from courses import services
from courses.models import Cohort, CourseVersion, Enrolment, Requirement, TrainingDay
from courses.supervision import supervision_session_record
from organisations.demo import DemoPeople
from organisations.models import User

Kind = Requirement.Kind


def seed(people: DemoPeople) -> None:
    """Idempotent: an enrolment that already exists is left as it is, evidence included."""
    today = timezone.localdate()
    for code in ("dmop", "vib"):
        version = CourseVersion.objects.current().get(course__code=code)
        trainee = _enrol(people.trainee, version, people.supervisor, today - datetime.timedelta(days=120))
        trainer = people.supervisor if code == "dmop" else None
        colleague = _enrol(people.colleague, version, trainer, today - datetime.timedelta(days=200))
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
    for weeks_ago in (10, 7, 4):
        session = supervision_session_record(
            actor=people.supervisor,
            held_on=today - datetime.timedelta(weeks=weeks_ago),
            duration_minutes=60,
            enrolments=[enrolment],
            report="We keken naar de initiatieven van het kind en hoe moeder die ontvangt.",
            work_points="Meer benoemen wat je ziet; in de nabespreking eerst een positief beeld laten zien.",
        )
        participant = session.participants.get()
        participant.learning_question = "Hoe laat ik moeder zelf ontdekken wat haar kind laat zien?"
        participant.reflection = "Stilzetten bij een initiatief werkt: moeder zag het zelf."
        participant.save(update_fields=["learning_question", "reflection"])


def _colleague_evidence(enrolment: Enrolment, people: DemoPeople, today: datetime.date) -> None:
    if enrolment.version.course.code != "dmop":
        services.attendance_register(
            enrolment=enrolment,
            requirement=_first(enrolment, Kind.TRAINING_DAY),
            actor=people.supervisor,
            occurred_on=today - datetime.timedelta(days=190),
        )
        return
    _complete_dmop(enrolment, people, today)


def _complete_dmop(enrolment: Enrolment, people: DemoPeople, today: datetime.date) -> None:
    """The whole DMOP route, signed off: the colleague's DMOP certificate comes from this final assessment."""
    trainer, colleague = people.supervisor, people.colleague
    for requirement in enrolment.version.requirements.order_by("order"):
        day = today - datetime.timedelta(days=190 - 10 * requirement.order)
        if requirement.kind == Kind.TRAINING_DAY:
            services.attendance_register(
                enrolment=enrolment, requirement=requirement, actor=trainer, occurred_on=day
            )
        elif requirement.kind == Kind.STUDY_MODULE:
            services.study_module_mark_done(enrolment=enrolment, requirement=requirement, actor=colleague)
        elif requirement.kind == Kind.ASSIGNMENT:
            evidence = services.assignment_submit(
                enrolment=enrolment,
                requirement=requirement,
                actor=colleague,
                text="Casus gezin B: de vijf domeinen in kaart; plan van aanpak met de ouders gemaakt.",
            )
            services.assignment_review(evidence=evidence, reviewer=trainer, approved=True, comment="Helder.")
        elif requirement.kind == Kind.SUPERVISION_MEETINGS:
            for n in range(requirement.target_count):
                supervision_session_record(
                    actor=trainer,
                    held_on=day + datetime.timedelta(days=n),
                    duration_minutes=90,
                    enrolments=[enrolment],
                    report="Casuïstiekbespreking: eigen DMOP-gesprek besproken.",
                )
    final = _first(enrolment, Kind.FINAL_ASSESSMENT)
    services.final_assessment_record(
        enrolment=enrolment,
        requirement=final,
        actor=trainer,
        passed=True,
        motivation="Demo: past het DMOP zelfstandig toe; eindbeoordeling DMOP behaald.",
    )
