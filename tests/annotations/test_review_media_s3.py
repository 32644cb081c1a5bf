"""Stills against an S3 server over HTTP (moto): stored under the recording's folder, downloaded through a
presigned link, and gone from the bucket when the recording is deleted."""

import urllib.request

import pytest
from django.urls import reverse

from annotations.models import ReviewMedia
from families.erasure import recording_erase

pytestmark = pytest.mark.slow


def test_a_still_lives_in_the_bucket_is_downloaded_by_presigned_link_and_deleted_with_the_film(
    s3_storage, professional, film_path, sprite_bytes, client_for, django_capture_on_commit_callbacks
):
    from tests.annotations.conftest import make_playable

    recording = make_playable(professional, film_path, sprite_bytes)
    client = client_for(professional)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("api-review-media", args=[recording.pk]),
            {"kind": "still", "start_ms": 500},
            content_type="application/json",
        )
    item = ReviewMedia.objects.get()
    assert item.status == "done", item.error
    assert item.key in s3_storage.keys(f"recordings/{recording.storage_prefix}/")

    response = client.get(reverse("annotations:media_download", args=[item.pk]))

    assert response.status_code == 302
    assert "X-Amz-Expires=300" in response["Location"]
    with urllib.request.urlopen(response["Location"]) as download:  # noqa: S310  (the local moto server)
        assert download.read()[:2] == b"\xff\xd8"

    recording_erase(recording=recording, reason="toestemming ingetrokken", actor=professional)

    assert s3_storage.keys(f"recordings/{recording.storage_prefix}/") == []
