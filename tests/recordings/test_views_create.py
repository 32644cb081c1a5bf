"""The consent-first page: record the family's consent and create the recording awaiting its upload."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Consent
from recordings.models import Recording, VibCycle

URL = reverse("recordings:create")


def form_data(**changes: object) -> dict[str, object]:
    today = timezone.localdate()
    return {
        "family_code": "FAM-123",
        "given_by": "parents",
        "purposes": ["vib_supervision"],
        "given_on": (today - datetime.timedelta(days=1)).isoformat(),
        "valid_until": (today + datetime.timedelta(days=365)).isoformat(),
        "kind": "home_visit",
        "purpose": "training",
        "cycle": "",
    } | changes


def test_professional_records_consent_and_gets_a_recording_in_a_new_cycle(
    client_for, professional, supervisor
):
    response = client_for(professional).post(URL, form_data())
    recording = Recording.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("recordings:detail", args=[recording.pk])
    assert recording.status == Recording.Status.AWAITING_UPLOAD
    assert recording.family.code == "FAM-123"
    assert recording.family.organisation == professional.organisation
    assert recording.cycle.family == recording.family
    assert recording.cycle.professional == professional
    assert recording.cycle.supervisor == supervisor


def test_page_shows_the_form_in_dutch(client_for, professional):
    response = client_for(professional).get(URL)
    assert response.status_code == 200
    assert "Familiecode" in response.content.decode()


def test_review_conversation_joins_an_existing_cycle_of_the_professional(client_for, professional, recording):
    response = client_for(professional).post(
        URL,
        form_data(
            kind="review_conversation", cycle=str(recording.cycle_id), family_code=recording.family.code
        ),
    )
    assert response.status_code == 302
    conversation = Recording.objects.get(kind="review_conversation")
    assert conversation.cycle == recording.cycle
    assert VibCycle.objects.count() == 1


def test_review_conversation_needs_a_cycle(client_for, professional):
    response = client_for(professional).post(URL, form_data(kind="review_conversation"))
    assert response.status_code == 200
    assert "VIB-cyclus" in response.content.decode()
    assert not Recording.objects.exists()


def test_another_professionals_cycle_cannot_be_chosen(client_for, professional, colleague, make_recording):
    theirs = make_recording(colleague)
    response = client_for(professional).post(
        URL, form_data(kind="review_conversation", cycle=str(theirs.cycle_id))
    )
    assert response.status_code == 200
    assert Recording.objects.count() == 1


@pytest.mark.parametrize("family_code", ["Jansen Pietje", "ab", "123456789", "<script>", "x" * 33])
def test_family_code_must_be_pseudonymous(client_for, professional, family_code):
    response = client_for(professional).post(URL, form_data(family_code=family_code))
    assert response.status_code == 200
    assert response.context["form"].errors["family_code"]
    assert not Consent.objects.exists()
    # What was typed stays in the form (nothing lost).
    assert response.context["form"]["given_by"].value() == "parents"


def test_consent_that_already_ended_is_refused(client_for, professional):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client_for(professional).post(URL, form_data(valid_until=yesterday.isoformat()))
    assert response.status_code == 200
    assert "al afgelopen" in response.context["form"].errors["valid_until"][0]
    assert not Consent.objects.exists()


def test_consent_given_in_the_future_is_refused(client_for, professional):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(professional).post(URL, form_data(given_on=tomorrow.isoformat()))
    assert response.context["form"].errors["given_on"]


def test_practice_recording_needs_a_valid_vib_certificate(client_for, professional):
    response = client_for(professional).post(URL, form_data(purpose="practice"))
    assert response.status_code == 200
    assert "VIB-certificaat" in response.context["form"].errors["purpose"][0]
    assert not Recording.objects.exists()


def test_certified_professional_may_film_a_practice_family(client_for, professional, administrator):
    from certification.services import certification_grant

    certification_grant(
        professional=professional, course_code="vib", signed_off_by=administrator, motivation="ok"
    )
    response = client_for(professional).post(URL, form_data(purpose="practice"))
    assert response.status_code == 302
    assert Recording.objects.get().purpose == Recording.Purpose.PRACTICE


def test_anonymous_is_sent_to_login(client_for):
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["supervisor", "coordinator", "administrator"])
def test_only_professionals_make_recordings(request, client_for, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(URL).status_code == 403
    assert client_for(user).post(URL, form_data()).status_code == 403


def test_wrong_method(client_for, professional):
    assert client_for(professional).put(URL).status_code == 405
