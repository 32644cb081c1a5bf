"""Stills, clips and reels made by real ffmpeg from the tiny fixture film (tasks run eagerly)."""

import json
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from annotations import media
from annotations.models import ReviewMedia
from annotations.review_media import media_delete_for_recording
from audit.models import AccessLogEntry
from families.erasure import recording_erase

pytestmark = pytest.mark.slow


def _order(client, recording, captured, **fields):
    url = reverse("api-review-media", args=[recording.pk])
    with captured(execute=True):
        return client.post(url, fields, content_type="application/json")


def _probe(data: bytes, suffix: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=suffix) as file:
        file.write(data)
        file.flush()
        output = subprocess.run(
            ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-count_frames", "-of", "json", file.name],
            capture_output=True, check=True, text=True,
        ).stdout  # fmt: skip
    return json.loads(output)


def _stored(item: ReviewMedia) -> bytes:
    with default_storage.open(item.key, "rb") as file:
        return file.read()


def test_a_still_is_a_jpeg_of_the_frame_at_that_moment(
    client_for, professional, playable_recording, django_capture_on_commit_callbacks
):
    response = _order(
        client_for(professional),
        playable_recording,
        django_capture_on_commit_callbacks,
        kind="still",
        start_ms=1000,
    )

    assert response.status_code == 202, response.json()
    item = ReviewMedia.objects.get()
    assert item.status == "done", item.error
    assert item.key.startswith(f"recordings/{playable_recording.storage_prefix}/")
    assert _stored(item)[:2] == b"\xff\xd8"
    assert _probe(_stored(item), ".jpg")["streams"][0]["width"] == 160


def test_a_clip_starting_on_a_keyframe_is_copied_without_re_encoding(
    client_for, professional, playable_recording, django_capture_on_commit_callbacks
):
    response = _order(
        client_for(professional), playable_recording, django_capture_on_commit_callbacks,
        kind="clip", start_ms=1000, end_ms=2000,
    )  # fmt: skip

    assert response.status_code == 202
    item = ReviewMedia.objects.get()
    assert (item.status, item.method) == ("done", "copy"), item.error
    info = _probe(_stored(item), ".mp4")
    video = next(s for s in info["streams"] if s["codec_type"] == "video")
    assert int(video["nb_read_frames"]) == 25
    assert "location" not in json.dumps(info["format"].get("tags", {})).lower()


def test_a_clip_starting_between_keyframes_is_re_encoded_from_the_exact_frame(
    client_for, professional, playable_recording, django_capture_on_commit_callbacks
):
    response = _order(
        client_for(professional), playable_recording, django_capture_on_commit_callbacks,
        kind="clip", start_ms=400, end_ms=1200,
    )  # fmt: skip

    assert response.status_code == 202
    item = ReviewMedia.objects.get()
    assert (item.status, item.method) == ("done", "encode"), item.error
    video = next(s for s in _probe(_stored(item), ".mp4")["streams"] if s["codec_type"] == "video")
    assert int(video["nb_read_frames"]) == 20  # 0.8 s at 25 fps


def test_a_review_reel_joins_the_chosen_moments(
    client_for, professional, playable_recording, make_annotation, django_capture_on_commit_callbacks
):
    first = make_annotation(playable_recording, professional, start_ms=0, end_ms=500)
    second = make_annotation(playable_recording, professional, start_ms=1200, end_ms=2000)

    response = _order(
        client_for(professional), playable_recording, django_capture_on_commit_callbacks,
        kind="reel", annotations=[second.pk, first.pk],
    )  # fmt: skip

    assert response.status_code == 202, response.json()
    item = ReviewMedia.objects.get()
    assert item.moments == [[0, 500], [1200, 2000]]
    assert item.status == "done", item.error
    duration = float(_probe(_stored(item), ".mp4")["format"]["duration"])
    assert 1.2 < duration < 1.5


def test_starts_on_keyframe_finds_the_keyframes_of_the_film(film_path):
    assert media.starts_on_keyframe(Path(film_path), 0)
    assert media.starts_on_keyframe(Path(film_path), 1000)
    assert not media.starts_on_keyframe(Path(film_path), 520)


def test_a_clip_beyond_the_film_gets_a_field_error(
    client_for, professional, playable_recording, django_capture_on_commit_callbacks
):
    response = _order(
        client_for(professional), playable_recording, django_capture_on_commit_callbacks,
        kind="clip", start_ms=500, end_ms=5000,
    )  # fmt: skip

    assert response.status_code == 400
    assert "end_ms" in response.json()
    assert not ReviewMedia.objects.exists()


def test_a_film_without_renditions_cannot_give_stills(
    client_for, professional, recording, django_capture_on_commit_callbacks
):
    response = _order(client_for(professional), recording, django_capture_on_commit_callbacks, kind="still")

    assert response.status_code == 400


def test_downloading_a_still_is_authorised_and_logged(
    client_for,
    professional,
    supervisor,
    colleague,
    coordinator,
    playable_recording,
    django_capture_on_commit_callbacks,
):
    _order(
        client_for(professional),
        playable_recording,
        django_capture_on_commit_callbacks,
        kind="still",
        start_ms=0,
    )
    item = ReviewMedia.objects.get()
    url = reverse("annotations:media_download", args=[item.pk])

    response = client_for(supervisor).get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert "attachment" in response["Content-Disposition"]
    assert AccessLogEntry.objects.filter(action_code="E", object_id=str(item.pk)).count() == 1
    assert client_for(colleague).get(url).status_code == 404
    assert client_for(coordinator).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302


def test_a_coordinator_cannot_order_stills(
    client_for, coordinator, playable_recording, django_capture_on_commit_callbacks
):
    response = _order(
        client_for(coordinator), playable_recording, django_capture_on_commit_callbacks, kind="still"
    )

    assert response.status_code == 403


def test_deleting_the_recording_deletes_its_stills_clips_and_annotations(
    client_for, professional, playable_recording, make_annotation, django_capture_on_commit_callbacks
):
    make_annotation(playable_recording, professional)
    _order(
        client_for(professional),
        playable_recording,
        django_capture_on_commit_callbacks,
        kind="still",
        start_ms=0,
    )
    key = ReviewMedia.objects.get().key

    recording_erase(recording=playable_recording, reason="test", actor=professional)

    assert not default_storage.exists(key)
    assert not ReviewMedia.objects.exists()
    assert not playable_recording.annotations.exists()


def test_media_delete_for_recording_is_harmless_without_media(recording):
    assert media_delete_for_recording(recording=recording) == 0


def test_the_task_takes_json_arguments_and_a_redelivery_changes_nothing(professional, playable_recording):
    from annotations.tasks import make_review_media

    item = ReviewMedia.objects.create(
        recording=playable_recording, created_by=professional, kind="still", start_ms=0
    )
    args = json.loads(json.dumps([item.pk]))

    make_review_media.apply(args=args)
    item.refresh_from_db()
    first_key = item.key
    make_review_media.apply(args=args)
    item.refresh_from_db()

    assert item.status == "done" and item.key == first_key
    folder = f"recordings/{playable_recording.storage_prefix}"
    stills = [name for name in default_storage.listdir(folder)[1] if name.endswith(".jpg")]
    assert len(stills) == 2  # the sprite and this one still: the second run made nothing


def test_a_task_for_a_deleted_row_does_nothing(professional, playable_recording):
    from annotations.tasks import make_review_media

    make_review_media.apply(args=[987654])

    assert not ReviewMedia.objects.exists()
