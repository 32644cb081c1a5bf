"""With S3 storage the player gets presigned links that expire within five minutes."""

import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from audit.models import AccessLogEntry
from tests.recordings.conftest import VIDEO_BYTES, add_files, create_recording
from tests.s3_server import s3_server, s3_storage  # noqa: F401

pytestmark = pytest.mark.slow


def test_s3_links_are_presigned_short_lived_and_support_range(s3_storage, client_for, professional):  # noqa: F811
    recording = add_files(create_recording(professional))
    response = client_for(professional).get(reverse("recordings:playback", args=[recording.pk]))
    high = response.json()["links"]["high"]
    query = parse_qs(urlsplit(high).query)
    assert high.startswith(s3_storage.endpoint_url)
    assert int(query["X-Amz-Expires"][0]) <= 300
    assert recording.family.code not in high
    request = urllib.request.Request(high, headers={"Range": "bytes=10-19"})  # noqa: S310 (local moto server)
    with urllib.request.urlopen(request) as fetched:  # noqa: S310 (local moto server)
        assert fetched.status == 206
        assert fetched.read() == VIDEO_BYTES[10:20]
    assert AccessLogEntry.objects.count() == 1


def test_s3_objects_are_not_public(s3_storage, professional):  # noqa: F811
    recording = add_files(create_recording(professional))
    plain = f"{s3_storage.endpoint_url}/{s3_storage.bucket}/{recording.original_key}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(plain)  # noqa: S310 (local moto server)
    assert refused.value.code == 403
