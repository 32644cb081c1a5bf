"""The upload page: choose a file or film with the camera; only for the recording's own professional."""

import pytest
from django.urls import reverse

from recordings.models import Recording


def page_url(recording: Recording) -> str:
    return reverse("uploads:page", args=[recording.pk])


def test_the_page_offers_a_file_input_and_the_camera(client_for, professional, recording):
    response = client_for(professional).get(page_url(recording))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'accept="video/*"' in html
    assert 'capture="environment"' in html
    assert "Film nu met de camera" in html
    assert f'data-create-url="/uploads/recordings/{recording.pk}/"' in html
    assert f'data-done-url="{reverse("recordings:detail", args=[recording.pk])}"' in html
    assert "<progress" in html and "uploads/upload.js" in html


def test_a_recording_that_has_its_film_sends_the_owner_to_its_page(client_for, professional, recording):
    recording.status = Recording.Status.PROCESSING
    recording.save()

    response = client_for(professional).get(page_url(recording))

    assert response.status_code == 302
    assert response["Location"] == reverse("recordings:detail", args=[recording.pk])


def test_anonymous_visitors_are_sent_to_the_login_page(client, recording):
    response = client.get(page_url(recording))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["colleague", "professional_other_org", "supervisor_unassigned"])
def test_outsiders_get_404(request, client_for, recording, persona):
    response = client_for(request.getfixturevalue(persona)).get(page_url(recording))

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["supervisor", "coordinator"])
def test_who_may_only_look_gets_403(request, client_for, recording, persona):
    response = client_for(request.getfixturevalue(persona)).get(page_url(recording))

    assert response.status_code == 403


def test_post_is_not_allowed(client_for, professional, recording):
    response = client_for(professional).post(page_url(recording))

    assert response.status_code == 405
