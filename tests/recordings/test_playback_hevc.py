"""The HEVC copy in the playback links: offered with its codecs string, only when done and shown."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry
from recordings.models import Recording, Rendition
from tests.recordings.conftest import VIDEO_BYTES, store_bytes

CODECS = "hvc1.2.4.L120.B0"
HEVC_BYTES = b"hevc-" + VIDEO_BYTES


def add_hevc(recording: Recording, status: str = Rendition.Status.DONE) -> Rendition:
    key = store_bytes(recording, "mp4", HEVC_BYTES) if status == Rendition.Status.DONE else ""
    return Rendition.objects.create(
        recording=recording,
        kind=Rendition.Kind.HEVC,
        key=key,
        size=len(HEVC_BYTES),
        codecs=CODECS,
        status=status,
    )


def playback_links(client, recording: Recording) -> dict[str, str]:
    response = client.get(reverse("recordings:playback", args=[recording.pk]))
    assert response.status_code == 200
    return response.json()["links"]


def api_links(client, recording: Recording) -> dict[str, str]:
    response = client.get(reverse("api-recording", args=[recording.pk]))
    assert response.status_code == 200
    return response.json()["playback"]


@pytest.fixture
def owner(client_for, professional):
    return client_for(professional)


@pytest.mark.parametrize("links_of", [playback_links, api_links])
def test_a_done_hevc_copy_is_offered_with_its_codecs_string(owner, stored_recording, links_of):
    add_hevc(stored_recording)

    links = links_of(owner, stored_recording)

    assert links["hevc_codecs"] == CODECS
    assert {"high", "low", "hevc"} <= set(links)
    response = owner.get(links["hevc"])
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert b"".join(response.streaming_content) == HEVC_BYTES
    logged = AccessLogEntry.objects.get()
    assert logged.outcome["details"]["renditions"] == ["hevc", "high", "low", "poster"]


def test_a_playable_film_with_only_its_hevc_copy_offers_only_that(owner, recording):
    Recording.objects.filter(pk=recording.pk).update(status=Recording.Status.PLAYABLE)
    add_hevc(recording)
    Rendition.objects.create(recording=recording, kind=Rendition.Kind.HIGH)  # still being encoded

    assert set(playback_links(owner, recording)) == {"hevc", "hevc_codecs"}


def test_an_hevc_copy_not_done_yet_is_not_offered(owner, stored_recording):
    add_hevc(stored_recording, status=Rendition.Status.PENDING)

    links = playback_links(owner, stored_recording)

    assert "hevc" not in links and "hevc_codecs" not in links


def test_withdrawn_consent_stops_the_hevc_link_and_its_codecs(owner, stored_recording):
    add_hevc(stored_recording)
    issued = playback_links(owner, stored_recording)["hevc"]
    stored_recording.family.consents.update(withdrawn_at=timezone.now())

    assert owner.get(reverse("recordings:playback", args=[stored_recording.pk])).status_code == 403
    assert "hevc" not in api_links(owner, stored_recording)
    assert owner.get(issued).status_code == 403


@pytest.mark.parametrize("persona", ["colleague", "professional_other_org", "supervisor_unassigned"])
def test_outsiders_get_no_hevc_link(request, client_for, stored_recording, persona):
    add_hevc(stored_recording)
    client = client_for(request.getfixturevalue(persona))

    assert client.get(reverse("recordings:playback", args=[stored_recording.pk])).status_code == 404


def test_a_coordinator_sees_the_film_state_but_gets_no_hevc_link(client_for, coordinator, stored_recording):
    add_hevc(stored_recording)

    assert api_links(client_for(coordinator), stored_recording) == {}


@pytest.mark.parametrize(
    "url_name", ["recordings:detail", "recordings:playback", "annotations:workspace", "api-recording"]
)
def test_the_hevc_copy_adds_no_query_to_the_pages_that_issue_links(
    owner, stored_recording, django_assert_num_queries, url_name
):
    url = reverse(url_name, args=[stored_recording.pk])
    owner.get(url)
    with CaptureQueriesContext(connection) as without:
        assert owner.get(url).status_code == 200
    add_hevc(stored_recording)

    with django_assert_num_queries(len(without.captured_queries)):
        response = owner.get(url)

    assert CODECS.encode() in response.content
