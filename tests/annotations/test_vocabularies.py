"""Vocabularies per curriculum version and recording kind, and "aan"/"uit" per contact principle."""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Annotation, Category
from courses import services as course_services
from courses.models import CourseVersion, Enrolment
from recordings.models import Recording, VibCycle
from tests.annotations.conftest import create_recording


@pytest.fixture
def vib_version(vib_categories) -> CourseVersion:
    import_module("courses.migrations.0002_curricula").ship_curricula(apps, None)
    return CourseVersion.objects.get(course__code="vib", is_current=True)


def _create(client, recording: Recording, category: Category, **extra: object):  # type: ignore[no-untyped-def]
    body = {"start_ms": 1000, "category": category.pk, "text": "Kijkt het kind aan"} | extra
    url = reverse("api-recording-annotations", args=[recording.pk])
    return client.post(url, body, content_type="application/json")


def test_a_trainee_on_a_copied_version_can_annotate(client_for, professional, vib_version):
    copy = course_services.course_version_copy(version=vib_version, label="2026-kopie")
    Enrolment.objects.create(professional=professional, version=copy)
    recording = create_recording(professional)
    category = Category.objects.get(course_version=copy, recording_kind="home_visit", order=1)

    response = _create(client_for(professional), recording, category)

    assert response.status_code == 201, response.content
    assert (
        Category.objects.filter(course_version=copy).count()
        == Category.objects.filter(course_version=vib_version).count()
    )


def test_the_nabespreking_uses_its_own_vocabulary(client_for, professional, vib_version):
    review = create_recording(professional, kind=Recording.Kind.REVIEW_CONVERSATION)
    home_term = Category.objects.get(course_version=vib_version, recording_kind="home_visit", order=1)
    guidance_term = Category.objects.get(
        course_version=vib_version, recording_kind="review_conversation", order=1
    )
    client = client_for(professional)

    refused = _create(client, review, home_term)
    accepted = _create(client, review, guidance_term)

    assert refused.status_code == 400
    assert "woordenlijst" in refused.json()["category"][0]
    assert accepted.status_code == 201


def test_a_contact_principle_is_marked_on_or_off_and_a_working_point_is_not(
    client_for, professional, vib_version
):
    recording = create_recording(professional)
    principle = Category.objects.get(course_version=vib_version, name="Initiatief nemen")
    working_point = Category.objects.get(course_version=vib_version, name="Werkpunt")
    client = client_for(professional)

    assert _create(client, recording, principle, contact="on").json()["contact"] == "on"
    refused = _create(client, recording, working_point, contact="off")
    wrong = _create(client, recording, principle, contact="maybe")

    assert refused.status_code == 400 and "contactprincipe" in refused.json()["contact"][0]
    assert wrong.status_code == 400
    assert Annotation.objects.filter(recording=recording).count() == 1


def test_the_cycle_page_counts_on_and_off_per_principle_over_the_family(
    client_for, professional, vib_version, make_annotation
):
    first = create_recording(professional)
    later = create_recording(professional)  # another cycle of the same family code
    principle = Category.objects.get(course_version=vib_version, name="Initiatief nemen")
    make_annotation(first, professional, category=principle, contact="on")
    make_annotation(first, professional, category=principle, contact="off")
    make_annotation(later, professional, category=principle, contact="on")

    response = client_for(professional).get(reverse("annotations:cycle", args=[first.cycle_id]))

    assert response.status_code == 200
    cycle_row = response.context["principles"][0]
    family_row = response.context["family_principles"][0]
    assert (cycle_row.name, cycle_row.on, cycle_row.off) == ("Initiatief nemen", 1, 1)
    assert (family_row.on, family_row.off) == (2, 1)


def _route_films(professional, enrolment, principle, make_annotation, families: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(families):
        cycle = VibCycle.objects.create(professional=professional, enrolment=enrolment)
        film = create_recording(professional, cycle=cycle)
        make_annotation(film, professional, category=principle, contact="on")
        make_annotation(film, professional, category=principle, contact="off")


def test_the_route_counts_on_and_off_per_principle_over_the_enrolments_films_in_constant_queries(
    client_for, professional, vib_version, make_annotation
):
    enrolment = Enrolment.objects.create(professional=professional, version=vib_version)
    principle = Category.objects.get(course_version=vib_version, name="Initiatief nemen")
    practice = create_recording(professional)  # a cycle outside the enrolment does not count for it
    make_annotation(practice, professional, category=principle, contact="on")
    client = client_for(professional)
    _route_films(professional, enrolment, principle, make_annotation, families=1)
    client.get(reverse("courses:my_training"))  # warm the session and caches

    with CaptureQueriesContext(connection) as small:
        response = client.get(reverse("courses:my_training"))
    row = response.context["progresses"][0].principles[0]
    assert (row.name, row.on, row.off) == ("Initiatief nemen", 1, 1)
    _route_films(professional, enrolment, principle, make_annotation, families=3)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("courses:my_training"))

    row = response.context["progresses"][0].principles[0]
    assert (row.name, row.on, row.off) == ("Initiatief nemen", 4, 4)
    assert 'data-principle="Initiatief nemen"' in response.content.decode()
    assert len(large) == len(small)
