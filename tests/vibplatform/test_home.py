"""The home page answers "what now?" per role, each count linking to the place to act."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from annotations.models import Annotation
from certification.models import Certificate
from certification.services import certification_grant
from courses import services as courses
from courses import supervision
from courses.models import CourseVersion, Enrolment, Requirement, SupervisionParticipant, SupervisionSession
from families.models import Consent
from organisations.models import ImplementationCheck, User
from organisations.services import implementation_check_save
from recordings.models import Recording
from tests.annotations.conftest import FAMILY_CODE, create_recording
from tests.conftest import make_person

DAY = datetime.timedelta(days=1)


@pytest.fixture
def curricula(db) -> dict[str, CourseVersion]:
    import_module("courses.migrations.0002_curricula").ship_curricula(apps, None)
    return {
        version.course.code: version for version in CourseVersion.objects.current().select_related("course")
    }


def _feedback_published(client_for, supervisor, recording, start_ms: int) -> Annotation:  # type: ignore[no-untyped-def]
    remark = Annotation.objects.create(
        recording=recording,
        author=supervisor,
        start_ms=start_ms,
        text="Mooi",
        kind="feedback",
        visibility="draft",
    )
    client_for(supervisor).post(reverse("api-annotation-publish", args=[remark.pk]))
    return remark


def _certificate_expiring(professional, days: int) -> Certificate:  # type: ignore[no-untyped-def]
    trainer = make_person(f"trainer{professional.pk}@ncj.example", is_supervisor=True, supervisor_kind="dmop")
    certificate = certification_grant(
        professional=professional, course_code="dmop", signed_off_by=trainer, motivation="ok"
    )
    today = timezone.localdate()
    Certificate.objects.filter(pk=certificate.pk).update(
        certified_on=today - 900 * DAY, valid_until=today + days * DAY
    )
    return certificate


def test_the_professional_sees_next_step_feedback_films_and_what_expires(
    client_for, professional, supervisor, curricula
):
    courses.enrolment_create(professional=professional, version=curricula["vib"], supervisor=supervisor)
    with_feedback = create_recording(professional, status=Recording.Status.READY)
    remark = _feedback_published(client_for, supervisor, with_feedback, 1500)
    Consent.objects.filter(family_id=with_feedback.family_id).update(
        valid_until=timezone.localdate() + 10 * DAY
    )
    _certificate_expiring(professional, days=60)

    page = client_for(professional).get(reverse("home")).content.decode()

    assert "Je volgende stap" in page and "VIB-SamenStarten" in page
    assert "Nieuwe feedback" in page
    assert f"#annotation-{remark.pk}" in page  # straight to the moment
    assert f"gezin {FAMILY_CODE}" in page
    assert "Films die wachten op je eigen analyse" in page
    assert reverse("annotations:workspace", args=[with_feedback.pk]) in page
    assert "Toestemmingen die bijna aflopen" in page
    assert "Certificaten die bijna verlopen" in page
    assert 'href="/recordings/new/"' in page  # the primary action


def test_a_film_with_own_analysis_no_longer_waits(client_for, professional):
    film = create_recording(professional, status=Recording.Status.READY)
    Annotation.objects.create(recording=film, author=professional, start_ms=0, text="x", kind="analysis")

    page = client_for(professional).get(reverse("home")).content.decode()

    assert "Films die wachten op je eigen analyse" not in page


def test_the_supervisor_sees_waiting_films_with_waiting_time_and_what_to_assess(
    client_for, professional, supervisor, curricula
):
    courses.enrolment_create(professional=professional, version=curricula["dmop"], supervisor=supervisor)
    film = create_recording(professional, status=Recording.Status.READY)
    Recording.objects.filter(pk=film.pk).update(created_at=timezone.now() - 3 * DAY)

    page = client_for(supervisor).get(reverse("home")).content.decode()

    assert "Films die wachten op je feedback" in page
    assert "wacht al 3\xa0dagen" in page  # timesince joins with a no-break space
    assert "Wacht op jouw beoordeling of registratie" in page
    assert "Petra" in page


def test_the_coordinator_sees_who_is_stuck_and_expiring_certificates_of_the_own_organisation_only(
    client_for, coordinator, professional, professional_other_org, curricula
):
    stuck = courses.enrolment_create(professional=professional, version=curricula["dmop"])
    Enrolment.objects.filter(pk=stuck.pk).update(started_on=timezone.localdate() - 70 * DAY)
    elsewhere = courses.enrolment_create(professional=professional_other_org, version=curricula["dmop"])
    Enrolment.objects.filter(pk=elsewhere.pk).update(started_on=timezone.localdate() - 70 * DAY)
    _certificate_expiring(professional, days=20)
    _certificate_expiring(professional_other_org, days=20)

    page = client_for(coordinator).get(reverse("home")).content.decode()

    assert "Wie loopt vast" in page and "Petra" in page
    assert "Certificaten die bijna verlopen" in page
    assert "Olga" not in page
    assert "Je volgende stap" not in page  # no trainee wording for a coordinator


def test_nothing_waiting_says_so(client_for, administrator):
    page = client_for(administrator).get(reverse("home")).content.decode()
    assert "Er wacht nu niets op je." in page


def _session(supervisor: User, enrolments: list[Enrolment], days: int) -> SupervisionSession:
    """A supervision session ``days`` from today (negative: held already)."""
    return supervision.supervision_session_record(
        actor=supervisor,
        held_on=timezone.localdate() + days * DAY,
        duration_minutes=60,
        enrolments=enrolments,
    )


def _milestone_target(enrolment: Enrolment) -> int:
    milestone = enrolment.version.requirements.get(kind=Requirement.Kind.MILESTONE)
    return milestone.target_count


def test_the_professional_is_asked_for_the_learning_question_of_a_coming_session_only(
    client_for, professional, colleague, supervisor, curricula
):
    vib = courses.enrolment_create(professional=professional, version=curricula["vib"], supervisor=supervisor)
    coming = _session(supervisor, [vib], days=7)
    held = _session(supervisor, [vib], days=-7)  # asks for a reflection, not a question
    theirs = courses.enrolment_create(professional=colleague, version=curricula["vib"], supervisor=supervisor)
    colleagues_session = _session(supervisor, [theirs], days=3)
    client = client_for(professional)

    page = client.get(reverse("home")).content.decode()

    assert "Leervragen om te schrijven" in page
    assert reverse("courses:supervision_session", args=[coming.pk]) in page
    assert reverse("courses:supervision_session", args=[held.pk]) not in page
    assert reverse("courses:supervision_session", args=[colleagues_session.pk]) not in page

    SupervisionParticipant.objects.filter(session=coming).update(learning_question="Hoe benoem ik het?")
    assert "Leervragen om te schrijven" not in client.get(reverse("home")).content.decode()


def test_the_supervisor_sees_the_sessions_to_hold_and_only_the_own(
    client_for, professional, supervisor, supervisor_unassigned, curricula
):
    vib = courses.enrolment_create(professional=professional, version=curricula["vib"], supervisor=supervisor)
    coming = _session(supervisor, [vib], days=2)
    held = _session(supervisor, [vib], days=-2)

    page = client_for(supervisor).get(reverse("home")).content.decode()

    assert "Supervisies die je gaat geven" in page
    assert reverse("courses:supervision_session", args=[coming.pk]) in page
    assert reverse("courses:supervision_session", args=[held.pk]) not in page
    assert "leervragen geschreven: 0 van 1" in page
    other = client_for(supervisor_unassigned).get(reverse("home")).content.decode()
    assert "Supervisies die je gaat geven" not in other
    assert reverse("courses:supervision_session", args=[coming.pk]) not in other


def test_an_interim_evaluation_is_due_after_the_required_sessions_and_opens_its_form(
    client_for, professional, supervisor, supervisor_unassigned, curricula
):
    vib = courses.enrolment_create(professional=professional, version=curricula["vib"], supervisor=supervisor)
    target = _milestone_target(vib)
    for days in range(target - 1):
        _session(supervisor, [vib], days=-30 + days)
    milestone = vib.version.requirements.get(kind=Requirement.Kind.MILESTONE)
    form = reverse("courses:milestone_record", args=[vib.pk, milestone.pk])
    client = client_for(supervisor)

    assert "Beoordelingen die klaarstaan" not in client.get(reverse("home")).content.decode()

    _session(supervisor, [vib], days=-1)
    page = client.get(reverse("home")).content.decode()

    assert "Beoordelingen die klaarstaan" in page
    assert page.count(form) == 1  # not repeated under registrations
    assert "Beoordelingen die klaarstaan" not in (
        client_for(supervisor_unassigned).get(reverse("home")).content.decode()
    )


def test_the_coordinator_sees_the_open_checklist_items_of_the_own_organisation_only(
    client_for, coordinator, coordinator_other_org
):
    for item in ImplementationCheck.Item.values:
        if item != ImplementationCheck.Item.CAMERAS:
            implementation_check_save(
                organisation=coordinator.organisation,
                item=item,
                actor=coordinator,
                status=ImplementationCheck.Status.DONE,
                checked_on=timezone.localdate(),
                note="",
            )

    page = client_for(coordinator).get(reverse("home")).content.decode()
    other = client_for(coordinator_other_org).get(reverse("home")).content.decode()

    assert "Open punten van de checklist" in page
    assert reverse("organisations:implementation_check", args=["cameras"]) in page
    assert reverse("organisations:implementation_check", args=["double_contact_moment"]) not in page
    assert reverse("organisations:coordination") in page
    # Not started in the other organisation, where its coordinator sees it.
    assert reverse("organisations:implementation_check", args=["double_contact_moment"]) in other

    implementation_check_save(
        organisation=coordinator.organisation,
        item=ImplementationCheck.Item.CAMERAS,
        actor=coordinator,
        status=ImplementationCheck.Status.DONE,
        checked_on=timezone.localdate(),
        note="",
    )
    assert "Open punten van de checklist" not in client_for(coordinator).get(reverse("home")).content.decode()


def _grow(client_for, professional, colleague, supervisor, coordinator, curricula, films: int) -> None:  # type: ignore[no-untyped-def]
    """More of every row the home blocks read: films with feedback, sessions, assessments, checklist."""
    for _ in range(films):
        film = create_recording(professional, status=Recording.Status.READY)
        _feedback_published(client_for, supervisor, film, 100)
    trainee = professional if films == 1 else colleague
    enrolment = courses.enrolment_create(
        professional=trainee, version=curricula["vib"], supervisor=supervisor
    )
    for days in range(_milestone_target(enrolment)):
        _session(supervisor, [enrolment], days=-30 + days)
    for days in range(films):
        _session(supervisor, [Enrolment.objects.get(professional=professional)], days=days + 1)
    for item in ImplementationCheck.Item.values[: films - 1 or 1]:
        implementation_check_save(
            organisation=coordinator.organisation,
            item=item,
            actor=coordinator,
            status=ImplementationCheck.Status.IN_PROGRESS,
            checked_on=None,
            note="",
        )


def test_the_home_page_takes_a_constant_number_of_queries(
    client_for, professional, colleague, supervisor, coordinator, curricula
):
    people = (supervisor, professional, coordinator)
    counts = []
    for films in (1, 6):
        _grow(client_for, professional, colleague, supervisor, coordinator, curricula, films)
        for person in people:
            client = client_for(person)
            page = client.get(reverse("home"))  # warm the session and the translations
            with CaptureQueriesContext(connection) as captured:
                page = client.get(reverse("home"))
            assert page.status_code == 200
            counts.append(len(captured))
    assert counts[:3] == counts[3:], counts
