"""Every view of a film, still, clip, reel, annotation or export checks the family's consent.

Found: after a consent ended, stills kept downloading and new clips could be ordered until the nightly
clean-up. Now each of these answers 403 with a Dutch explanation and leaves a refused access-log line.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from annotations.models import Annotation, ReviewMedia
from audit.models import AccessLogEntry
from recordings.models import Recording
from tests.recordings.conftest import store_bytes

EXPLANATION = "mag niet worden getoond"


@pytest.fixture
def still(professional, stored_recording) -> ReviewMedia:
    key = store_bytes(stored_recording, "jpg", b"\xff\xd8\xff a still")
    return ReviewMedia.objects.create(
        recording=stored_recording, created_by=professional, kind="still", start_ms=0, key=key, status="done"
    )


@pytest.fixture
def annotation(professional, stored_recording, category) -> Annotation:
    return Annotation.objects.create(
        recording=stored_recording,
        author=professional,
        start_ms=0,
        category=category,
        text="Kijkt aan",
        kind="analysis",
    )


def end_consent(recording: Recording) -> None:
    today = timezone.localdate()
    recording.family.consents.update(
        given_on=today - datetime.timedelta(days=60), valid_until=today - datetime.timedelta(days=1)
    )


def urls(recording, still, annotation) -> list[tuple[str, str, dict]]:
    return [
        ("get", reverse("annotations:workspace", args=[recording.pk]), {}),
        ("get", reverse("annotations:media_download", args=[still.pk]), {}),
        (
            "post",
            reverse("api-review-media", args=[recording.pk]),
            {"kind": "clip", "start_ms": 0, "end_ms": 900},
        ),
        ("get", reverse("api-recording-annotations", args=[recording.pk]), {}),
        ("get", reverse("api-annotation", args=[annotation.pk]), {}),
        ("get", reverse("api-annotations-vtt", args=[recording.pk]), {}),
        ("get", reverse("api-annotations-csv", args=[recording.pk]), {}),
        ("get", reverse("recordings:playback", args=[recording.pk]), {}),
    ]


@pytest.mark.parametrize("persona", ["professional", "supervisor"])
def test_after_the_consent_ended_nothing_of_the_film_is_shown(
    request, client_for, stored_recording, still, annotation, persona
):
    client = client_for(request.getfixturevalue(persona))
    end_consent(stored_recording)

    for method, url, data in urls(stored_recording, still, annotation):
        response = getattr(client, method)(url, data, content_type="application/json")
        assert response.status_code == 403, url
        assert EXPLANATION in response.content.decode(), url

    assert not ReviewMedia.objects.filter(kind="clip").exists()
    refused = AccessLogEntry.objects.filter(outcome__decision="refused")
    assert refused.count() == 8
    assert {entry.outcome["consent"] for entry in refused} == {"ended"}
    assert {entry.family_code for entry in refused} == {stored_recording.family.code}


def test_while_the_consent_holds_the_same_requests_succeed(
    client_for, professional, stored_recording, still, annotation
):
    client = client_for(professional)
    for method, url, _data in urls(stored_recording, still, annotation):
        if method == "get":
            assert client.get(url).status_code == 200, url
    assert not AccessLogEntry.objects.filter(outcome__decision="refused").exists()


def test_a_consent_for_another_purpose_does_not_cover_supervision(client_for, professional, stored_recording):
    stored_recording.family.consents.update(purpose="teaching")
    response = client_for(professional).get(reverse("annotations:workspace", args=[stored_recording.pk]))
    assert response.status_code == 403
    assert "VIB-supervisie" in response.content.decode()


def test_the_detail_page_stays_visible_but_shows_no_player(client_for, professional, stored_recording):
    end_consent(stored_recording)
    response = client_for(professional).get(reverse("recordings:detail", args=[stored_recording.pk]))
    assert response.status_code == 200
    assert "<video" not in response.content.decode()
    assert "Toestemming is verlopen" in response.content.decode()


def test_the_supervisors_queue_leaves_out_films_that_may_not_be_shown(
    client_for, supervisor, stored_recording
):
    workspace = reverse("annotations:workspace", args=[stored_recording.pk])
    client = client_for(supervisor)
    assert workspace in client.get(reverse("annotations:queue")).content.decode()
    end_consent(stored_recording)
    assert workspace not in client.get(reverse("annotations:queue")).content.decode()
