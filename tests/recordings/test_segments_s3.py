"""With S3 storage the segment manifest hands out presigned links that expire within SIGNED_URL_SECONDS.

The moto server checks neither signatures nor expiry of presigned URLs, so expiry is asserted on what
the link carries (X-Amz-Expires, signed into X-Amz-Signature by botocore); that the link works and
serves exactly the segment, with Range, is fetched for real.
"""

import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry
from recordings.models import Recording
from tests.recordings.conftest import create_recording
from tests.recordings.segment_films import *  # noqa: F403  (the segment_films fixture)
from tests.recordings.segment_films import store_segments
from tests.s3_server import s3_server, s3_storage  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def early(s3_storage, professional, segment_films) -> Recording:  # noqa: F811
    recording = create_recording(
        professional, status=Recording.Status.PLAYABLE, duration_ms=6000, has_audio=True
    )
    store_segments(recording, segment_films)
    return recording


def segment_links(client, recording: Recording) -> list[str]:
    response = client.get(reverse("recordings:segments", args=[recording.pk]))
    assert response.status_code == 200
    return [segment["url"] for segment in response.json()["segments"]]


def test_segment_links_are_presigned_short_lived_and_serve_the_segment(
    s3_storage,  # noqa: F811
    client_for,
    professional,
    early,
    segment_films,
):
    links = segment_links(client_for(professional), early)
    assert len(links) == 3
    for link, film in zip(links, segment_films, strict=True):
        query = parse_qs(urlsplit(link).query)
        assert link.startswith(
            f"{s3_storage.endpoint_url}/{s3_storage.bucket}/recordings/{early.storage_prefix}/"
        )
        assert int(query["X-Amz-Expires"][0]) <= 300
        assert query["X-Amz-Signature"][0]
        assert query["response-content-type"] == ["video/mp4"]
        assert early.family.code not in link
        request = urllib.request.Request(link, headers={"Range": "bytes=0-63"})  # noqa: S310 (local moto server)
        with urllib.request.urlopen(request) as fetched:  # noqa: S310 (local moto server)
            assert fetched.status == 206
            assert fetched.read() == film.content[:64]
    assert AccessLogEntry.objects.get().outcome["details"] == {"renditions": ["segments"], "segments": 3}


@override_settings(SIGNED_URL_SECONDS=60)
def test_segment_links_expire_after_the_configured_lifetime(s3_storage, client_for, professional, early):  # noqa: F811
    for link in segment_links(client_for(professional), early):
        assert parse_qs(urlsplit(link).query)["X-Amz-Expires"] == ["60"]


def test_withdrawn_consent_issues_no_presigned_links(s3_storage, client_for, professional, early):  # noqa: F811
    early.family.consents.update(withdrawn_at=timezone.now())
    response = client_for(professional).get(reverse("recordings:segments", args=[early.pk]))
    assert response.status_code == 403
    assert s3_storage.endpoint_url.encode() not in response.content
