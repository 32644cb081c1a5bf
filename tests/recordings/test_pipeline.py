"""recording_process: from a stored original to ready renditions, or a rejection that keeps no bytes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone

from recordings import video
from recordings.models import Recording, Rendition
from recordings.pipeline import Attempt, attempt_claim, recording_process
from tests.recordings.fixtures_media import *  # noqa: F403
from tests.recordings.fixtures_media import (
    ffprobe_json,
    local_copy,
    process,
    stored_keys,
    stored_recording_of,
)

pytestmark = pytest.mark.django_db

ACCEPTED = [
    "landscape_h264_aac.mp4",
    "portrait_rotated_h264.mp4",
    "phone_hevc.mov",
    "browser_vp9_opus.webm",
    "no_audio.mp4",
    "moov_at_end.mp4",
    "camcorder.mts",
    "hdr_hevc.mov",
]
REJECTED = {
    "audio_only.m4a": "alleen geluid",
    "not_a_video.mp4": "kan niet als video worden gelezen",
    "empty.mp4": "leeg",
    "truncated.mp4": "onvolledig",
    "cut_short_faststart.mp4": "onvolledig",
    "photo.png": "foto",
}


def fixture_for(name, video_fixtures, extra_videos):
    return {**video_fixtures, **extra_videos}[name]


@pytest.mark.parametrize("name", ACCEPTED)
def test_an_accepted_film_becomes_ready_with_every_rendition(
    professional, video_fixtures, extra_videos, isolated_tmp, tmp_path, name
):
    fixture = fixture_for(name, video_fixtures, extra_videos)
    recording = stored_recording_of(professional, fixture.path)

    recording = process(recording)

    assert recording.status == Recording.Status.READY
    assert recording.progress == 100 and recording.ready_at is not None
    assert (recording.width, recording.height) == fixture.display
    assert recording.duration_ms == pytest.approx(fixture.duration * 1000, abs=100)
    assert recording.has_audio is fixture.audio
    renditions = {rendition.kind: rendition for rendition in recording.renditions.all()}
    # Only an HEVC original also keeps its picture as the "hevc" rendition (test_pipeline_fast_paths).
    kinds = set(Rendition.Kind.values) - ({"hevc"} if "hevc" not in name else set())
    assert sorted(renditions) == sorted(kinds)
    assert {rendition.status for rendition in renditions.values()} == {Rendition.Status.DONE}
    assert (renditions["high"].width, renditions["high"].height) == fixture.display
    high_path = local_copy(renditions["high"].key, tmp_path)
    high = ffprobe_json(high_path)
    # Displayed size: an upright phone film is copied with its rotation (test_pipeline_fast_paths).
    shown = video.probe(high_path)
    assert (shown.display_width, shown.display_height) == fixture.display
    assert float(high["format"]["duration"]) == pytest.approx(fixture.duration, abs=0.1)
    assert any(stream["codec_type"] == "audio" for stream in high["streams"]) is fixture.audio
    # Exactly the original and the five renditions are stored, nothing else; no temporary files left.
    keys = [recording.original_key] + [rendition.key for rendition in renditions.values()]
    assert stored_keys(recording) == sorted(keys)
    assert all(default_storage.size(key) > 0 for key in keys)
    assert list(isolated_tmp.iterdir()) == []


def test_rendition_keys_are_random_names_in_the_recordings_folder(professional, video_fixtures):
    recording = process(stored_recording_of(professional, video_fixtures["no_audio.mp4"].path))

    for rendition in recording.renditions.all():
        folder, name = rendition.key.rsplit("/", 1)
        assert folder == f"recordings/{recording.storage_prefix}"
        stem, ext = name.split(".")
        assert len(stem) == 32 and int(stem, 16) >= 0
        assert (
            ext
            == {"high": "mp4", "low": "mp4", "poster": "jpg", "sprite": "jpg", "thumbnails_vtt": "vtt"}[
                rendition.kind
            ]
        )


def test_the_thumbnails_track_describes_the_stored_sprite(professional, video_fixtures):
    recording = process(stored_recording_of(professional, video_fixtures["landscape_h264_aac.mp4"].path))

    renditions = {rendition.kind: rendition for rendition in recording.renditions.all()}
    with default_storage.open(renditions["thumbnails_vtt"].key, "rb") as stored:
        vtt = stored.read().decode()
    assert vtt.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nsprite.jpg#xywh=0,0,160,90")
    assert "00:00:03.000 --> 00:00:04.000\nsprite.jpg#xywh=480,0,160,90" in vtt
    assert (renditions["sprite"].width, renditions["sprite"].height) == (640, 90)


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_a_refused_file_is_rejected_in_dutch_and_leaves_no_stored_bytes(
    professional, video_fixtures, extra_videos, isolated_tmp, name
):
    recording = stored_recording_of(professional, fixture_for(name, video_fixtures, extra_videos).path)
    assert stored_keys(recording) == [recording.original_key]

    recording = process(recording)

    assert recording.status == Recording.Status.REJECTED
    assert REJECTED[name] in recording.rejection_reason
    assert recording.original_key == ""
    assert stored_keys(recording) == []
    assert not recording.renditions.filter(status=Rendition.Status.DONE).exists()
    assert list(isolated_tmp.iterdir()) == []


@override_settings(RECORDING_MAX_DURATION_SECONDS=120)
def test_a_film_over_the_duration_limit_is_rejected_with_both_durations(professional, tmp_path):
    long_film = tmp_path / "long.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=size=64x36:rate=1:duration=200",
         "-c:v", "libx264", "-preset", "ultrafast", str(long_film)],
        check=True, timeout=60,
    )  # fmt: skip

    recording = process(stored_recording_of(professional, long_film))

    assert recording.status == Recording.Status.REJECTED
    assert recording.rejection_reason == "De film duurt 3 minuten; er zijn maximaal 2 minuten toegestaan."
    assert stored_keys(recording) == []


@override_settings(RECORDING_MAX_PIXELS=320 * 240 - 1)
def test_a_picture_over_the_size_limit_is_rejected(professional, video_fixtures):
    recording = process(stored_recording_of(professional, video_fixtures["no_audio.mp4"].path))

    assert recording.status == Recording.Status.REJECTED
    assert "320×240" in recording.rejection_reason
    assert stored_keys(recording) == []


def test_the_fast_path_copies_the_original_streams_into_the_high_rendition(
    professional, video_fixtures, tmp_path
):
    source = video_fixtures["landscape_h264_aac.mp4"].path

    recording = process(stored_recording_of(professional, source))

    high = local_copy(recording.renditions.get(kind="high").key, tmp_path)
    assert stream_md5(high) == stream_md5(source)
    low = local_copy(recording.renditions.get(kind="low").key, tmp_path)
    assert stream_md5(low) != stream_md5(source)


def stream_md5(path: Path) -> str:
    result = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v", "-c", "copy", "-f", "md5", "-"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return result.stdout.strip()


def test_the_fast_path_makes_the_recording_playable_before_the_rest_is_encoded(
    professional, video_fixtures, tmp_path
):
    from recordings.pipeline import Attempt, attempt_claim, make_playable_by_copy

    source = video_fixtures["landscape_h264_aac.mp4"].path
    attempt = attempt_claim(recording_id=str(stored_recording_of(professional, source).pk))
    assert isinstance(attempt, Attempt)

    copied = make_playable_by_copy(attempt, video.probe(source), source, tmp_path)

    recording = attempt.recording
    recording.refresh_from_db()
    assert copied is True
    assert recording.status == Recording.Status.PLAYABLE and recording.is_playable
    done = recording.renditions.filter(status=Rendition.Status.DONE).values_list("kind", flat=True)
    assert list(done) == ["high"]


def test_processing_twice_changes_nothing_the_second_time(professional, video_fixtures):
    recording = process(stored_recording_of(professional, video_fixtures["phone_hevc.mov"].path))
    before = sorted(recording.renditions.values_list("kind", "key", "size"))
    objects = stored_keys(recording)

    recording = process(recording)

    assert sorted(recording.renditions.values_list("kind", "key", "size")) == before
    assert stored_keys(recording) == objects
    assert recording.status == Recording.Status.READY


def test_a_second_run_makes_only_the_renditions_still_missing(professional, video_fixtures):
    recording = process(stored_recording_of(professional, video_fixtures["phone_hevc.mov"].path))
    high_key = recording.renditions.get(kind="high").key
    low = recording.renditions.get(kind="low")
    default_storage.delete(low.key)
    low.status, low.key = Rendition.Status.PENDING, ""
    low.save()
    Recording.objects.filter(pk=recording.pk).update(status=Recording.Status.PROCESSING)

    recording = process(recording)

    assert recording.status == Recording.Status.READY
    assert recording.renditions.get(kind="high").key == high_key
    low.refresh_from_db()
    assert low.status == Rendition.Status.DONE and default_storage.exists(low.key)
    assert len(stored_keys(recording)) == 7  # the original, the hevc copy and five renditions


@pytest.mark.parametrize("status", ["awaiting_upload", "ready", "rejected", "deleted"])
def test_a_recording_not_in_processing_is_left_alone(professional, video_fixtures, status):
    recording = stored_recording_of(professional, video_fixtures["no_audio.mp4"].path)
    Recording.objects.filter(pk=recording.pk).update(status=status)

    recording = process(recording)

    assert recording.status == status
    assert not recording.renditions.exists()
    assert stored_keys(recording) == [recording.original_key]


def test_a_second_run_never_touches_the_scratch_files_of_a_run_holding_the_lease(
    professional, video_fixtures, isolated_tmp
):
    recording = stored_recording_of(professional, video_fixtures["no_audio.mp4"].path)
    working = attempt_claim(recording_id=str(recording.pk))
    assert isinstance(working, Attempt)
    (working.scratch / "high.mp4").write_bytes(b"a film being written")

    outcome = recording_process(recording_id=str(recording.pk))

    assert outcome is not None and outcome.until > timezone.now()
    assert (working.scratch / "high.mp4").read_bytes() == b"a film being written"
    assert stored_keys(recording) == [recording.original_key]


def test_an_unknown_recording_id_is_ignored():
    recording_process(recording_id="00000000-0000-0000-0000-000000000000")


def test_a_missing_original_is_rejected_with_a_message(professional, video_fixtures):
    recording = stored_recording_of(professional, video_fixtures["no_audio.mp4"].path)
    default_storage.delete(recording.original_key)

    recording = process(recording)

    assert recording.status == Recording.Status.REJECTED
    assert "niet gevonden" in recording.rejection_reason


def test_renditions_on_s3_are_stored_with_random_keys_and_the_bucket_holds_nothing_else(
    professional, video_fixtures, s3_storage
):
    recording = process(stored_recording_of(professional, video_fixtures["landscape_h264_aac.mp4"].path))

    assert recording.status == Recording.Status.READY
    keys = [recording.original_key, *recording.renditions.values_list("key", flat=True)]
    assert s3_storage.keys() == sorted(keys)


def test_a_rejected_upload_on_s3_leaves_the_bucket_empty(professional, video_fixtures, s3_storage):
    recording = process(stored_recording_of(professional, video_fixtures["audio_only.m4a"].path))

    assert recording.status == Recording.Status.REJECTED
    assert s3_storage.keys() == []


def test_leftovers_of_a_killed_attempt_are_removed_by_the_attempt_taking_over_its_expired_lease(
    professional, video_fixtures, isolated_tmp
):
    recording = stored_recording_of(professional, video_fixtures["no_audio.mp4"].path)
    killed = attempt_claim(recording_id=str(recording.pk))
    assert isinstance(killed, Attempt)
    # What a worker killed mid-transcode leaves behind in its scratch folder; its lease runs out.
    (killed.scratch / "high.mp4.part").write_bytes(b"half a film")
    Recording.objects.filter(pk=recording.pk).update(lease_expires_at=timezone.now())

    recording = process(recording)

    assert recording.status == Recording.Status.READY
    assert list(isolated_tmp.iterdir()) == []
