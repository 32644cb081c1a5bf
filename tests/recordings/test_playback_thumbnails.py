"""The thumbnails track names its sprite by a working absolute link, so any WebVTT player can use it."""

import re
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from recordings.pipeline import recording_process
from tests.recordings.fixtures_media import *  # noqa: F403
from tests.recordings.fixtures_media import stored_recording_of

pytestmark = pytest.mark.django_db
CUE_IMAGE = re.compile(r"^(\S+)#xywh=(\d+),(\d+),(\d+),(\d+)$", re.MULTILINE)


def processed_links(client, professional, video_fixtures) -> dict[str, str]:
    recording = stored_recording_of(professional, video_fixtures["landscape_h264_aac.mp4"].path)
    recording_process(recording_id=str(recording.pk))
    response = client.get(reverse("recordings:playback", args=[recording.pk]))
    assert response.status_code == 200
    return response.json()["links"]


def sprite_links_in_track(client, links: dict[str, str]) -> set[str]:
    response = client.get(urlsplit(links["thumbnails_vtt"]).path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/vtt")
    assert response["Cache-Control"] == "private, no-store"
    text = response.content.decode()
    cues = CUE_IMAGE.findall(text)
    assert text.startswith("WEBVTT") and len(cues) == 4
    return {cue[0] for cue in cues}


def test_every_cue_names_the_sprite_by_an_absolute_link_that_serves_it(
    client_for, professional, video_fixtures
):
    client = client_for(professional)
    links = processed_links(client, professional, video_fixtures)

    (sprite_link,) = sprite_links_in_track(client, links)

    assert sprite_link.startswith("http://testserver/") and "sprite.jpg" not in sprite_link
    sprite = client.get(urlsplit(sprite_link).path)
    assert sprite.status_code == 200 and sprite["Content-Type"] == "image/jpeg"
    assert b"".join(sprite.streaming_content).startswith(b"\xff\xd8")


@pytest.mark.slow
def test_on_s3_the_track_links_the_presigned_sprite(client_for, professional, video_fixtures, s3_storage):  # noqa: F811
    client = client_for(professional)
    links = processed_links(client, professional, video_fixtures)

    (sprite_link,) = sprite_links_in_track(client, links)

    assert sprite_link.startswith(s3_storage.endpoint_url)
    with urllib.request.urlopen(sprite_link) as fetched:  # noqa: S310 (local moto server)
        assert fetched.read().startswith(b"\xff\xd8")
