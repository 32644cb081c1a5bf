"""Fixtures of the courses tests: the shipped curricula, enrolments of the personas, evidence helpers."""

from __future__ import annotations

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from courses import services
from courses.models import CourseVersion, Enrolment, Evidence, Requirement
from organisations.models import User
from recordings.models import Recording, VibCycle
from tests.families.factories import family_of

Kind = Requirement.Kind


@pytest.fixture
def curricula(db) -> dict[str, CourseVersion]:
    # The data migration ships the curricula; transactional (browser) tests flush them, so re-ship.
    import_module("courses.migrations.0002_curricula").ship_curricula(apps, None)
    return {
        version.course.code: version for version in CourseVersion.objects.current().select_related("course")
    }


@pytest.fixture
def dmop_enrolment(professional, supervisor, curricula) -> Enrolment:
    return services.enrolment_create(
        professional=professional, version=curricula["dmop"], supervisor=supervisor
    )


@pytest.fixture
def vib_enrolment(professional, supervisor, curricula) -> Enrolment:
    return services.enrolment_create(
        professional=professional, version=curricula["vib"], supervisor=supervisor
    )


def requirement_of(enrolment: Enrolment, kind: str, nth: int = 0) -> Requirement:
    return list(enrolment.version.requirements.filter(kind=kind).order_by("order"))[nth]


def add_evidence(
    enrolment: Enrolment, requirement: Requirement, by: User, count: int = 1, **fields: object
) -> None:
    for _ in range(count):
        Evidence.objects.create(
            enrolment=enrolment,
            requirement=requirement,
            status=fields.get("status", Evidence.Status.DONE),
            recorded_by=by,
            second_assessor=fields.get("second_assessor"),
        )


def hold_sessions(enrolment: Enrolment, supervisor: User, count: int = 1) -> None:
    """``count`` held supervision sessions of one trainee, one a day up to today: what the supervision
    requirements are counted from (ticks are refused)."""
    from courses.supervision import supervision_session_record

    today = timezone.localdate()
    for days_ago in range(count, 0, -1):
        supervision_session_record(
            actor=supervisor,
            held_on=today - datetime.timedelta(days=days_ago),
            duration_minutes=60,
            enrolments=[enrolment],
        )


def reviewed_cycles(professional: User, supervisor: User, families: list[str]) -> None:
    """One reviewed VIB cycle per family code, each with a home-visit recording."""
    today = timezone.localdate()
    for code in families:
        family = family_of(professional, code, given_on=today)
        cycle = VibCycle.objects.create(
            professional=professional,
            family=family,
            enrolment=Enrolment.objects.open_vib(professional.pk).first(),
            supervisor=supervisor,
            reviewed_at=timezone.now(),
            reviewed_by=supervisor,
        )
        Recording.objects.create(professional=professional, family=family, cycle=cycle, status="ready")


def meet_all_but_final(enrolment: Enrolment, supervisor: User, second: User) -> None:
    """Evidence for every requirement of ``enrolment`` except the final assessment."""
    professional = enrolment.professional
    supervisions = enrolment.version.requirements.filter(kind=Kind.SUPERVISION_MEETINGS)
    # One run of sessions: the first trajectory fills up, the later ones count for "tweede jaar".
    hold_sessions(enrolment, supervisor, count=sum(r.target_count for r in supervisions))
    for requirement in enrolment.version.requirements.all():
        if requirement.kind in (Kind.FINAL_ASSESSMENT, Kind.SUPERVISION_MEETINGS):
            continue
        if requirement.kind == Kind.VIB_CYCLES:
            reviewed_cycles(professional, supervisor, [f"GEZIN-{n}" for n in range(requirement.target_count)])
        elif requirement.kind == Kind.DISTINCT_FAMILIES:
            continue  # met by the cycles above (target 4 <= 8 families)
        elif requirement.kind == Kind.MILESTONE:
            add_evidence(enrolment, requirement, supervisor, second_assessor=second)
        elif requirement.kind == Kind.ASSIGNMENT:
            add_evidence(enrolment, requirement, professional, status=Evidence.Status.APPROVED)
        else:
            add_evidence(enrolment, requirement, supervisor, count=requirement.target_count)


def many_professionals(
    organisation, count: int, versions: list[CourseVersion], supervisor: User | None = None
) -> list[User]:
    """``count`` professionals, each enrolled on ``versions`` with one piece of evidence, in bulk."""
    from organisations.models import SupervisorAssignment

    start = User.objects.count()
    people = User.objects.bulk_create(
        User(
            email=f"p{start + n}@bulk.example",
            full_name=f"Professional {start + n:04d}",
            organisation=organisation,
            is_professional=True,
            password="!",
        )
        for n in range(count)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(professional=person, version=version, supervisor=supervisor)
        for person in people
        for version in versions
    )
    first = {version.pk: version.requirements.order_by("order").first() for version in versions}
    Evidence.objects.bulk_create(
        Evidence(
            enrolment=enrolment,
            requirement=first[enrolment.version_id],
            status=Evidence.Status.DONE,
            recorded_by=supervisor or enrolment.professional,
        )
        for enrolment in enrolments
    )
    if supervisor is not None:
        SupervisorAssignment.objects.bulk_create(
            SupervisorAssignment(supervisor=supervisor, trainee=person, starts_on=timezone.localdate())
            for person in people
        )
    return people


def count_queries(callable_) -> tuple[int, object]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        result = callable_()
    return len(context.captured_queries), result


def criteria_data(requirement: Requirement, score: int = 3) -> dict[str, str]:
    """Form data scoring every criterion of an assessment (interim evaluation or final assessment)."""
    data: dict[str, str] = {}
    for criterion in requirement.criteria.all():
        data[f"score_{criterion.pk}"] = str(score)
        data[f"motivation_{criterion.pk}"] = f"Motivatie bij {criterion.title}"
    return data
