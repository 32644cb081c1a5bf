"""A VIB cycle counts only when its checklist holds; refusals name what is missing (in Dutch)."""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from annotations.models import Annotation
from courses import services as course_services
from courses.models import CourseVersion, Enrolment
from courses.progress import progress_for
from notifications.models import Notification
from organisations.models import SupervisorAssignment, User
from recordings.models import Recording, VibCycle
from tests.annotations.conftest import create_recording
from tests.conftest import make_person


@pytest.fixture
def vib_enrolment(professional, supervisor, vib_categories) -> Enrolment:
    import_module("courses.migrations.0002_curricula").ship_curricula(apps, None)
    version = CourseVersion.objects.get(course__code="vib", is_current=True)
    return course_services.enrolment_create(professional=professional, version=version, supervisor=supervisor)


@pytest.fixture
def complete_cycle(professional, supervisor, vib_enrolment, make_annotation) -> VibCycle:
    """Both films ready, the trainee's own analysis on each, the supervisor's published feedback."""
    cycle = VibCycle.objects.create(professional=professional, enrolment=vib_enrolment)
    home = create_recording(professional, cycle=cycle)
    review = create_recording(professional, cycle=cycle, kind=Recording.Kind.REVIEW_CONVERSATION)
    make_annotation(home, professional)
    make_annotation(review, professional)
    make_annotation(home, supervisor, kind=Annotation.Kind.FEEDBACK)
    return cycle


def _mark(client_for, user: User, cycle: VibCycle):  # type: ignore[no-untyped-def]
    url = reverse("annotations:cycle_mark_reviewed", args=[cycle.pk])
    return client_for(user).post(url, follow=True)


def _cycles_done(enrolment: Enrolment) -> int:
    progress = progress_for([enrolment])[0]
    return next(item.done for item in progress.requirements if item.requirement.kind == "vib_cycles")


def test_a_complete_cycle_is_reviewed_and_counts_for_its_enrolment(client_for, supervisor, complete_cycle):
    response = _mark(client_for, supervisor, complete_cycle)

    assert response.status_code == 200
    complete_cycle.refresh_from_db()
    assert complete_cycle.reviewed_by == supervisor
    assert _cycles_done(complete_cycle.enrolment) == 1


def test_a_cycle_with_only_a_film_awaiting_upload_is_refused_naming_what_is_missing(
    client_for, professional, supervisor, vib_enrolment
):
    cycle = VibCycle.objects.create(professional=professional, enrolment=vib_enrolment)
    create_recording(professional, cycle=cycle, status=Recording.Status.AWAITING_UPLOAD)

    response = _mark(client_for, supervisor, cycle)

    html = response.content.decode()
    assert "Ontbreekt" in html
    assert "Een klaarstaande film van het huisbezoek" in html
    assert "Een klaarstaande nabespreking" in html
    assert "Gepubliceerde feedback van de supervisor" in html
    cycle.refresh_from_db()
    assert cycle.reviewed_at is None
    assert _cycles_done(vib_enrolment) == 0


def test_a_cycle_without_the_trainees_own_analysis_of_the_nabespreking_is_refused(
    client_for, supervisor, complete_cycle
):
    Annotation.objects.filter(
        recording__kind=Recording.Kind.REVIEW_CONVERSATION, kind=Annotation.Kind.ANALYSIS
    ).delete()

    response = _mark(client_for, supervisor, complete_cycle)

    assert "Eigen analyse van de nabespreking" in response.content.decode()
    complete_cycle.refresh_from_db()
    assert complete_cycle.reviewed_at is None


def test_feedback_of_another_supervisor_does_not_let_this_one_review(
    client_for, supervisor, vib_enrolment, complete_cycle
):
    other = make_person("vera@ait.example", is_supervisor=True, supervisor_kind=User.SupervisorKind.VIB)
    course_services.assignment_create(enrolment=vib_enrolment, supervisor=other)

    response = _mark(client_for, other, complete_cycle)

    assert "Gepubliceerde feedback van de supervisor" in response.content.decode()
    complete_cycle.refresh_from_db()
    assert complete_cycle.reviewed_at is None


def test_a_supervisor_assigned_without_the_enrolment_cannot_review(
    client_for, professional, supervisor, complete_cycle, make_annotation
):
    loose = make_person("lies@ait.example", is_supervisor=True, supervisor_kind=User.SupervisorKind.VIB)
    SupervisorAssignment.objects.create(supervisor=loose, trainee=professional)
    make_annotation(complete_cycle.recordings.first(), loose, kind=Annotation.Kind.FEEDBACK)

    response = _mark(client_for, loose, complete_cycle)

    assert "voor VIB aan deze inschrijving" in response.content.decode()
    complete_cycle.refresh_from_db()
    assert complete_cycle.reviewed_at is None


def test_a_dmop_trainer_cannot_review_a_cycle(client_for, professional, complete_cycle):
    trainer = make_person("dirk@dmop.example", is_supervisor=True, supervisor_kind=User.SupervisorKind.DMOP)
    SupervisorAssignment.objects.create(supervisor=trainer, trainee=professional)

    assert _mark(client_for, trainer, complete_cycle).status_code == 403
    complete_cycle.refresh_from_db()
    assert complete_cycle.reviewed_at is None


def test_a_practice_cycle_never_counts(client_for, professional, supervisor, complete_cycle):
    complete_cycle.enrolment = None
    complete_cycle.save()

    response = _mark(client_for, supervisor, complete_cycle)

    assert "Hoort bij een lopende VIB-inschrijving" in response.content.decode()
    complete_cycle.refresh_from_db()
    assert complete_cycle.reviewed_at is None


def test_cycles_count_only_for_the_enrolment_they_were_made_in(
    client_for, professional, supervisor, complete_cycle, vib_enrolment
):
    _mark(client_for, supervisor, complete_cycle)
    course_services.enrolment_withdraw(enrolment=vib_enrolment)
    version = course_services.course_version_copy(version=vib_enrolment.version, label="2026")
    second = Enrolment.objects.create(professional=professional, version=version)

    assert _cycles_done(second) == 0


def test_the_supervisor_can_undo_a_review_while_the_enrolment_is_open(client_for, supervisor, complete_cycle):
    _mark(client_for, supervisor, complete_cycle)

    response = client_for(supervisor).post(
        reverse("annotations:cycle_unmark_reviewed", args=[complete_cycle.pk])
    )

    assert response.status_code == 302
    complete_cycle.refresh_from_db()
    assert complete_cycle.reviewed_at is None
    assert _cycles_done(complete_cycle.enrolment) == 0


def test_after_sign_off_the_review_can_no_longer_be_undone(
    client_for, supervisor, complete_cycle, vib_enrolment
):
    _mark(client_for, supervisor, complete_cycle)
    Enrolment.objects.filter(pk=vib_enrolment.pk).update(status="completed", completed_on="2026-01-01")

    response = client_for(supervisor).post(
        reverse("annotations:cycle_unmark_reviewed", args=[complete_cycle.pk])
    )

    assert response.status_code == 302
    complete_cycle.refresh_from_db()
    assert complete_cycle.reviewed_at is not None


def test_the_trainee_cannot_undo_a_review(client_for, professional, supervisor, complete_cycle):
    _mark(client_for, supervisor, complete_cycle)

    url = reverse("annotations:cycle_unmark_reviewed", args=[complete_cycle.pk])
    assert client_for(professional).post(url).status_code == 403
    assert client_for(supervisor).get(url).status_code == 405


def test_the_cycle_page_shows_the_checklist_to_the_trainee(client_for, professional, complete_cycle):
    response = client_for(professional).get(reverse("annotations:cycle", args=[complete_cycle.pk]))

    assert response.status_code == 200
    items = response.context["checklist"]
    assert all(item.met for item in items)
    assert "Eigen analyse van het huisbezoek" in response.content.decode()


def test_marking_twice_keeps_the_first_review_and_notifies_the_trainee_once(
    client_for, professional, supervisor, complete_cycle
):
    _mark(client_for, supervisor, complete_cycle)
    first = VibCycle.objects.get(pk=complete_cycle.pk).reviewed_at

    _mark(client_for, supervisor, complete_cycle)

    assert VibCycle.objects.get(pk=complete_cycle.pk).reviewed_at == first
    assert Notification.objects.filter(user=professional, subject__icontains="cyclus").count() == 1
