"""Exactly once: overlapping processing runs of one recording never destroy each other's work.

Real threads against PostgreSQL (``transaction=True``: each thread has its own connection and sees
what the others commit). The situation of the issue: ``import_recording --wait`` processing a film
while a worker picked up the same recording, or a redelivered task next to the first delivery.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from recordings import pipeline
from recordings.models import Recording, Rendition
from tests.recordings.conftest import create_recording
from tests.recordings.fixtures_media import *  # noqa: F403
from tests.recordings.fixtures_media import ffmpeg_run, ffprobe_json, stored_keys

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="row locks need PostgreSQL"),
]
ROUNDS = 20


def run_together(
    *runs: Callable[[], object], second_waits_for: Callable[[], bool] | None = None
) -> list[BaseException]:
    """Start every run at the same moment, each in its own thread and database connection; or start
    the later runs once ``second_waits_for`` holds (say, the first run is half-way its transcode)."""
    start = threading.Barrier(len(runs))
    errors: list[BaseException] = []

    def thread_body(run: Callable[[], object]) -> None:
        try:
            start.wait()
            if second_waits_for is not None and run is not runs[0]:
                _poll(second_waits_for)
            run()
        except BaseException as exc:  # noqa: BLE001 (reported to the test below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=thread_body, args=(run,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return errors


def uploaded(professional, path: Path) -> Recording:
    """A recording whose upload just completed, without the processing task being run here (the
    test suite runs Celery tasks eagerly: that run would finish before the threads start)."""
    recording = create_recording(professional)
    with open(path, "rb") as file:
        key = default_storage.save(f"recordings/{recording.storage_prefix}/{uuid.uuid4().hex}", file)
    Recording.objects.filter(pk=recording.pk).update(
        original_key=key, original_size=path.stat().st_size, status=Recording.Status.PROCESSING
    )
    recording.refresh_from_db()
    return recording


def _poll(condition: Callable[[], bool]) -> None:
    for _attempt in range(3000):
        if condition():
            return
        threading.Event().wait(0.01)


def assert_ready_with_every_output_intact(recording: Recording, tmp_path) -> None:
    recording.refresh_from_db()
    assert recording.status == Recording.Status.READY, recording.rejection_reason
    renditions = list(recording.renditions.all())
    # Every kind but the HEVC copy, which only an HEVC original gets.
    assert sorted(r.kind for r in renditions) == sorted(set(Rendition.Kind.values) - {"hevc"})
    assert {r.status for r in renditions} == {Rendition.Status.DONE}
    assert stored_keys(recording) == sorted([recording.original_key, *(r.key for r in renditions)])

    for rendition in renditions:
        assert default_storage.size(rendition.key) == rendition.size
        if rendition.is_video:
            copy = tmp_path / f"{rendition.kind}.mp4"
            with default_storage.open(rendition.key, "rb") as stored:
                copy.write_bytes(stored.read())
            written = float(ffprobe_json(copy)["format"]["duration"])
            assert written == pytest.approx((recording.duration_ms or 0) / 1000, abs=0.1)


@pytest.fixture(scope="module")
def camera_film(tmp_path_factory) -> Path:
    """10 seconds of MPEG-4 in AVI: no fast path, a transcode of a few seconds to overlap with."""
    path = tmp_path_factory.mktemp("camera") / "camera.avi"
    ffmpeg_run(
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30:duration=10",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=10",
        "-c:v", "mpeg4", "-q:v", "5", "-c:a", "mp3", str(path),
    )  # fmt: skip
    return path


@pytest.mark.parametrize("second_starts", ["at once", "mid-transcode"])
def test_two_runs_of_one_recording_end_ready_with_every_output_intact_twenty_times(
    professional, camera_film, isolated_tmp, tmp_path, second_starts
):
    for _round in range(ROUNDS):
        recording = uploaded(professional, camera_film)

        def run(recording_id: str = str(recording.pk)) -> None:
            pipeline.recording_process(recording_id=recording_id)

        def transcoding(recording_id: str = str(recording.pk)) -> bool:
            return Recording.objects.filter(pk=recording_id, progress__gte=1).exists()

        errors = run_together(run, run, second_waits_for=transcoding if second_starts != "at once" else None)

        assert errors == []
        assert_ready_with_every_output_intact(recording, tmp_path)
        assert list(isolated_tmp.iterdir()) == []


def test_an_attempt_that_lost_its_lease_can_neither_finish_nor_reject(professional, video_fixtures, tmp_path):
    recording = uploaded(professional, video_fixtures["no_audio.mp4"].path)
    stale = pipeline.attempt_claim(recording_id=str(recording.pk))
    assert isinstance(stale, pipeline.Attempt)
    # The first attempt's worker froze; its lease ran out and another attempt did the work.
    Recording.objects.filter(pk=recording.pk).update(lease_expires_at=timezone.now())
    pipeline.recording_process(recording_id=str(recording.pk))
    assert_ready_with_every_output_intact(recording, tmp_path)

    # The frozen attempt wakes up and, say, fails to read its half-downloaded copy.
    rejected = pipeline.recording_reject(attempt=stale, message="onleesbaar")

    assert rejected is False
    assert_ready_with_every_output_intact(recording, tmp_path)


def test_a_run_while_another_holds_the_lease_returns_busy_and_touches_nothing(professional, video_fixtures):
    recording = uploaded(professional, video_fixtures["no_audio.mp4"].path)
    holder = pipeline.attempt_claim(recording_id=str(recording.pk))
    assert isinstance(holder, pipeline.Attempt)

    outcome = pipeline.recording_process(recording_id=str(recording.pk))

    assert isinstance(outcome, pipeline.Busy) and outcome.until > timezone.now()
    recording.refresh_from_db()
    assert recording.status == Recording.Status.PROCESSING
    assert recording.attempt_token == holder.token
    assert stored_keys(recording) == [recording.original_key]


def test_rejection_never_deletes_a_film_already_made_playable(professional, video_fixtures, tmp_path):
    source = video_fixtures["landscape_h264_aac.mp4"].path
    recording = uploaded(professional, source)
    attempt = pipeline.attempt_claim(recording_id=str(recording.pk))
    assert isinstance(attempt, pipeline.Attempt)
    from recordings import video

    assert pipeline.make_playable_by_copy(attempt, video.probe(source), source, tmp_path)

    pipeline.recording_reject(attempt=attempt, message="onleesbaar")

    recording.refresh_from_db()
    assert recording.is_playable and recording.rejection_reason == ""
    high = recording.renditions.get(kind=Rendition.Kind.HIGH)
    assert high.status == Rendition.Status.DONE
    assert recording.original_key in stored_keys(recording) and high.key in stored_keys(recording)
