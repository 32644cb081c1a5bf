"""The VIB gate: a training film needs an open VIB enrolment, a practice film a valid VIB certificate.

The page and the API obey the same rule (one service decides); nothing is stored when refused.
"""

from django.urls import reverse

from certification.services import certification_grant
from courses.models import Enrolment
from families.models import Consent
from recordings.models import Recording
from tests.recordings.test_api import api_for, payload
from tests.recordings.test_views_create import form_data

PAGE = reverse("recordings:create")
API = "/api/recordings/"


def test_the_page_refuses_a_training_film_without_an_open_vib_enrolment(client_for, colleague):
    response = client_for(colleague).post(PAGE, form_data())

    assert response.status_code == 200
    assert "VIB-inschrijving" in response.context["form"].errors["purpose"][0]
    assert not Recording.objects.exists() and not Consent.objects.exists()


def test_the_api_refuses_a_training_film_without_an_open_vib_enrolment(colleague):
    response = api_for(colleague).post(API, payload(), format="json")

    assert response.status_code == 400
    assert "VIB-inschrijving" in response.json()["purpose"][0]
    assert not Recording.objects.exists()


def test_a_withdrawn_enrolment_closes_the_gate(client_for, professional):
    Enrolment.objects.filter(professional=professional).update(status="withdrawn", withdrawn_on="2026-01-01")

    response = client_for(professional).post(PAGE, form_data())

    assert "VIB-inschrijving" in response.context["form"].errors["purpose"][0]
    assert not Recording.objects.exists()


def test_an_enrolled_professional_films_and_the_cycle_belongs_to_the_enrolment(client_for, professional):
    response = client_for(professional).post(PAGE, form_data())

    assert response.status_code == 302
    cycle = Recording.objects.get().cycle
    assert cycle.enrolment == Enrolment.objects.get(professional=professional)


def test_the_api_refuses_a_practice_film_without_a_certificate(professional):
    response = api_for(professional).post(API, payload(purpose="practice"), format="json")

    assert response.status_code == 400
    assert "VIB-certificaat" in response.json()["purpose"][0]


def test_a_certified_professional_without_enrolment_films_practice_and_the_cycle_never_counts(
    colleague, administrator
):
    certification_grant(
        professional=colleague, course_code="vib", signed_off_by=administrator, motivation="ok"
    )

    practice = api_for(colleague).post(API, payload(purpose="practice"), format="json")
    training = api_for(colleague).post(API, payload(purpose="training"), format="json")

    assert practice.status_code == 201
    assert training.status_code == 400
    assert Recording.objects.get().cycle.enrolment is None
