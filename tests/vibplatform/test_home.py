"""The home page answers "what now?" per role, each count linking to the place to act."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from annotations.models import Annotation
from certification.models import Certificate
from certification.services import certification_grant
from courses import services as courses
from courses.models import CourseVersion, Enrolment
from families.models import Consent
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


def test_the_home_page_takes_a_constant_number_of_queries(
    client_for, professional, supervisor, django_assert_max_num_queries
):
    client = client_for(supervisor)
    counts = []
    for films in (1, 6):
        for _ in range(films):
            film = create_recording(professional, status=Recording.Status.READY)
            _feedback_published(client_for, supervisor, film, 100)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for user_client in (client, client_for(professional)):
            with CaptureQueriesContext(connection) as captured:
                assert user_client.get(reverse("home")).status_code == 200
            counts.append(len(captured))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
