"""Who may create, inspect, continue and terminate an upload: only the recording's own professional."""

import pytest
from django.test import Client

from recordings.models import Recording
from tests.uploads.conftest import make_recording, tus_headers
from uploads.models import Upload
from uploads.services import upload_create, upload_url_for

TUS = {"Tus-Resumable": "1.0.0"}

OUTSIDERS = ["colleague", "professional_other_org", "supervisor_unassigned", "coordinator_other_org"]
TOO_FEW_RIGHTS = ["supervisor", "coordinator", "administrator"]


@pytest.fixture
def upload(recording) -> Upload:
    return upload_create(recording=recording, length=10, metadata={})


def requests_for(client: Client, user, recording, upload):  # type: ignore[no-untyped-def]
    headers = {**TUS, **tus_headers(user)}
    url = f"/uploads/{upload.pk}/"
    return {
        "create": client.post(upload_url_for(recording), headers={**headers, "Upload-Length": "10"}),
        "head": client.head(url, headers=headers),
        "patch": client.generic(
            "PATCH",
            url,
            data=b"01234",
            content_type="application/offset+octet-stream",
            headers={**headers, "Upload-Offset": "0"},
        ),
        "delete": client.delete(url, headers=headers),
    }


def assert_untouched(upload: Upload) -> None:
    assert Upload.objects.count() == 1
    upload.refresh_from_db()
    assert upload.offset == 0


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_and_change_nothing(request, client, recording, upload, persona):
    user = request.getfixturevalue(persona)

    responses = requests_for(client, user, recording, upload)

    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 404)
    assert_untouched(upload)


@pytest.mark.parametrize("persona", TOO_FEW_RIGHTS)
def test_supervisors_coordinators_and_administrators_get_403(request, client, recording, upload, persona):
    user = request.getfixturevalue(persona)

    responses = requests_for(client, user, recording, upload)

    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 403)
    assert_untouched(upload)


def test_anonymous_requests_get_401(client, recording, upload):
    responses = requests_for(client, None, recording, upload)

    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 401)
    assert responses["create"]["WWW-Authenticate"] == "Token"
    assert_untouched(upload)


def test_an_invalid_token_gets_401(client, recording):
    response = client.post(
        upload_url_for(recording), headers={**TUS, "Authorization": "Token nonsense", "Upload-Length": "10"}
    )

    assert response.status_code == 401
    assert not Upload.objects.exists()


def test_the_owner_may_use_the_browser_session(client_for, professional, recording):
    response = client_for(professional).post(
        upload_url_for(recording), headers={**TUS, "Upload-Length": "10"}
    )

    assert response.status_code == 201


def test_a_session_request_without_the_tus_header_is_refused(client_for, professional, recording):
    # What a cross-site form could send: no custom header, so no upload (this replaces the CSRF token).
    response = client_for(professional).post(upload_url_for(recording), {"Upload-Length": "10"})

    assert response.status_code == 412
    assert not Upload.objects.exists()


def test_a_practice_recording_needs_the_owners_vib_certificate(client, professional):
    recording = make_recording(professional, purpose=Recording.Purpose.PRACTICE)

    response = client.post(
        upload_url_for(recording), headers={**TUS, **tus_headers(professional), "Upload-Length": "10"}
    )

    assert response.status_code == 403
    assert not Upload.objects.exists()
