"""The segmented encode through the pipeline: segments stored and playable while the film is encoded,
exactly once per attempt, joined into the final renditions and then removed (Celery runs the chord
in-process here; tests/recordings/test_segments_worker.py runs it on two real workers)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings

from recordings import pipeline, segmented, video
from recordings.models import Recording, Rendition, Segment
from recordings.services import recording_files_delete
from recordings.storage import recording_stored_keys
from recordings.video.segmenting import Span
from tests.recordings.fixtures_media import *  # noqa: F403
from tests.recordings.fixtures_media import ffmpeg_run, ffprobe_json, stored_keys, stored_recording_of

pytestmark = pytest.mark.django_db
# No separate first minute (RECORDING_EARLY_SECONDS=0): a 10-second film is cut every few seconds.
SHORT_SEGMENTS = override_settings(
    RECORDING_FIRST_SEGMENT_SECONDS=2, RECORDING_SEGMENT_SECONDS=3, RECORDING_EARLY_SECONDS=0
)


@pytest.fixture(scope="module")
def camcorder(tmp_path_factory) -> Path:
    """10 s of MPEG-2 in MPEG-TS (no browser plays it), a keyframe every second, sound from 1.4 s on."""
    path = tmp_path_factory.mktemp("camcorder") / "camcorder.mts"
    ffmpeg_run(
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=10",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=10",
        "-c:v", "mpeg2video", "-g", "25", "-bf", "2", "-c:a", "mp2", str(path),
    )  # fmt: skip
    return path


def segment_keys(recording: Recording) -> list[str]:
    return sorted(
        k for k in recording_stored_keys(recording) if k.startswith(segmented.segments_folder(recording))
    )


def frames_in(path: Path) -> list[float]:
    completed = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags",
         "-of", "json", str(path)],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    return [float(p["pts_time"]) for p in json.loads(completed.stdout)["packets"]]


def planned(recording: Recording, source: Path) -> tuple[pipeline.Attempt, list[Span]]:
    """Take the lease and plan the segments, as ``recording_process`` does before it sends them."""
    attempt = pipeline.attempt_claim(recording_id=str(recording.pk))
    assert isinstance(attempt, pipeline.Attempt)
    with SHORT_SEGMENTS:
        return attempt, pipeline.segments_plan(video.probe(source), source)


@SHORT_SEGMENTS
def test_a_film_that_must_be_encoded_is_joined_from_segments_and_the_segments_removed(
    professional, camcorder, isolated_tmp, tmp_path
):
    recording = stored_recording_of(professional, camcorder)

    pipeline.recording_process(recording_id=str(recording.pk))

    recording.refresh_from_db()
    assert recording.status == Recording.Status.READY, recording.rejection_reason
    assert recording.attempt_token is None
    kinds = dict(recording.renditions.values_list("kind", "status"))
    assert {kinds[kind] for kind in pipeline.ALL_KINDS} == {Rendition.Status.DONE}
    high = tmp_path / "high.mp4"
    with default_storage.open(recording.renditions.get(kind=Rendition.Kind.HIGH).key, "rb") as stored:
        high.write_bytes(stored.read())
    assert len(set(frames_in(high))) == len(frames_in(camcorder)) == 250
    assert not Segment.objects.filter(recording=recording).exists()
    assert segment_keys(recording) == []
    assert stored_keys(recording) == sorted(
        [recording.original_key, *recording.renditions.values_list("key", flat=True)]
    )
    assert list(isolated_tmp.iterdir()) == []


def test_the_first_segment_makes_the_film_playable_from_its_own_place_in_the_film(
    professional, camcorder, isolated_tmp, tmp_path
):
    recording = stored_recording_of(professional, camcorder)
    attempt, spans = planned(recording, camcorder)
    assert len(spans) >= 3

    segmented.segment_encode(recording_id=str(recording.pk), token=attempt.token.hex, span=spans[1].as_json())
    recording.refresh_from_db()
    assert recording.status == Recording.Status.PROCESSING  # the start of the film is not there yet
    segmented.segment_encode(recording_id=str(recording.pk), token=attempt.token.hex, span=spans[0].as_json())

    recording.refresh_from_db()
    assert recording.status == Recording.Status.PLAYABLE and recording.is_playable
    first, second = Segment.objects.filter(recording=recording).order_by("index")
    boundary = round(spans[1].start * 1000)
    assert (first.start_ms, first.end_ms, second.start_ms, second.end_ms) == (
        0,
        boundary,
        boundary,
        round(spans[1].end * 1000),
    )
    keys = [first.key, first.low_key, first.tiles_key, second.key, second.low_key, second.tiles_key]
    assert sorted(keys) == segment_keys(recording)
    part = tmp_path / "part.mp4"
    with default_storage.open(second.key, "rb") as stored:
        part.write_bytes(stored.read())
    assert min(frames_in(part)) == pytest.approx(spans[1].start, abs=0.001)  # its place in the film, not 0
    assert [s["codec_name"] for s in ffprobe_json(part)["streams"]] == ["h264", "aac"]
    source_start = video.probe(camcorder).start_time
    in_span = [t for t in frames_in(camcorder) if spans[1].start <= t - source_start + 0.0005 < spans[1].end]
    assert second.size == part.stat().st_size and second.frames == len(in_span) == len(frames_in(part))


def test_a_segment_already_stored_is_not_encoded_again(professional, camcorder, isolated_tmp):
    recording = stored_recording_of(professional, camcorder)
    attempt, spans = planned(recording, camcorder)
    segmented.segment_encode(recording_id=str(recording.pk), token=attempt.token.hex, span=spans[0].as_json())
    before = segment_keys(recording)

    segmented.segment_encode(recording_id=str(recording.pk), token=attempt.token.hex, span=spans[0].as_json())

    assert segment_keys(recording) == before
    assert Segment.objects.filter(recording=recording).count() == 1


def test_a_segment_task_of_an_attempt_that_lost_its_lease_stores_nothing(
    professional, camcorder, isolated_tmp
):
    recording = stored_recording_of(professional, camcorder)
    stale, spans = planned(recording, camcorder)
    Recording.objects.filter(pk=recording.pk).update(lease_expires_at=stale.recording.created_at)
    current = pipeline.attempt_claim(recording_id=str(recording.pk))
    assert isinstance(current, pipeline.Attempt) and current.token != stale.token

    segmented.segment_encode(recording_id=str(recording.pk), token=stale.token.hex, span=spans[0].as_json())
    segmented.segments_join(results=[], recording_id=str(recording.pk), token=stale.token.hex, spans=[])

    recording.refresh_from_db()
    assert recording.status == Recording.Status.PROCESSING and recording.attempt_token == current.token
    assert not Segment.objects.filter(recording=recording).exists()
    assert segment_keys(recording) == []


def test_a_rejection_before_the_film_is_playable_removes_its_segments(professional, camcorder, isolated_tmp):
    recording = stored_recording_of(professional, camcorder)
    attempt, spans = planned(recording, camcorder)
    segmented.segment_encode(recording_id=str(recording.pk), token=attempt.token.hex, span=spans[2].as_json())
    assert Segment.objects.filter(recording=recording).count() == 1

    assert pipeline.recording_reject(attempt=attempt, message="onleesbaar")

    assert not Segment.objects.filter(recording=recording).exists()
    assert stored_keys(recording) == [] and segment_keys(recording) == []


def test_erasing_a_film_while_it_is_encoded_removes_its_segments(professional, camcorder, isolated_tmp):
    recording = stored_recording_of(professional, camcorder)
    attempt, spans = planned(recording, camcorder)
    segmented.segment_encode(recording_id=str(recording.pk), token=attempt.token.hex, span=spans[0].as_json())

    recording_files_delete(recording=recording, reason="consent_withdrawn")

    assert not Segment.objects.filter(recording=recording).exists()
    assert segment_keys(recording) == []
    # The attempt's later segments find the recording gone from processing and store nothing.
    segmented.segment_encode(recording_id=str(recording.pk), token=attempt.token.hex, span=spans[1].as_json())
    assert segment_keys(recording) == []


def test_a_segment_finished_after_its_film_was_erased_is_not_stored(
    professional, camcorder, isolated_tmp, tmp_path
):
    recording = stored_recording_of(professional, camcorder)
    attempt, spans = planned(recording, camcorder)
    parts = [tmp_path / f"part.{ext}" for ext in ("high.mp4", "low.mp4", "tar")]
    for part in parts:
        part.write_bytes(b"a finished segment")  # storing moves each file away
    keys = [segmented._upload(attempt, part, part.suffix[1:]) for part in parts]
    # The erasure lands while the segment is encoded: after the task's first check, before its row.
    recording_files_delete(recording=recording, reason="consent_withdrawn")

    assert segmented._add_segment(attempt, spans[0], keys, size=18, frames=50) is False

    assert not Segment.objects.filter(recording=recording).exists()
