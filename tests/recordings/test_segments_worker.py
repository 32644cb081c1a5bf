"""Two real Celery workers (subprocesses) against PostgreSQL and Redis encode one film's segments side
by side and join them: the result has every frame of the source once, at its own time, with its sound.

Runs only when DATABASE_URL and REDIS_URL are set (CI sets them); see test_tasks_worker for how the
workers share the test database, storage and a queue of the test's own.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from recordings import tasks
from recordings.models import Recording, Rendition, Segment
from recordings.segmented import segments_folder
from recordings.storage import recording_stored_keys
from tests.recordings.fixtures_media import *  # noqa: F403
from tests.recordings.fixtures_media import ffmpeg_run, stored_recording_of
from tests.recordings.test_tasks_worker import pytestmark as worker_marks
from tests.recordings.test_tasks_worker import queue, start_worker, status_of, wait_for  # noqa: F401

pytestmark = worker_marks
AAC_FRAME = 1024 / 48000
SEGMENTS = {"RECORDING_FIRST_SEGMENT_SECONDS": "4", "RECORDING_SEGMENT_SECONDS": "8"}


def frame_times(path: Path, stream: str = "v:0") -> list[int]:
    """Presentation times of a stream's packets in whole microseconds, in display order."""
    completed = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", stream, "-show_entries", "packet=pts_time",
         "-of", "json", str(path)],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    return sorted(round(float(p["pts_time"]) * 1_000_000) for p in json.loads(completed.stdout)["packets"])


def sound_length(path: Path) -> float:
    """From the first sound packet to the end of the last (a stream's duration in MPEG-TS leaves out
    the last packet)."""
    completed = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "packet=pts_time,duration_time",
         "-of", "json", str(path)],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    found = json.loads(completed.stdout)["packets"]
    ends = [float(p["pts_time"]) + float(p["duration_time"]) for p in found]
    return max(ends) - min(float(p["pts_time"]) for p in found)


def stream_info(path: Path) -> dict[str, dict[str, str]]:
    completed = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,start_time,duration:format=start_time",
         "-of", "json", str(path)],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    info = json.loads(completed.stdout)
    return {"format": info["format"], **{s["codec_type"]: s for s in info["streams"]}}


@pytest.fixture
def camcorder_film(tmp_path: Path) -> Path:
    """30 s of MPEG-2 with B-frames and MP2 sound in MPEG-TS, timestamps starting at 1.4 s: no fast
    path, a keyframe every second, cut into four segments with the settings above."""
    path = tmp_path / "camcorder.mts"
    ffmpeg_run(
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=30",
        "-c:v", "mpeg2video", "-g", "25", "-bf", "2", "-q:v", "5", "-c:a", "mp2", str(path),
    )  # fmt: skip
    return path


def test_two_workers_encode_the_segments_side_by_side_and_the_join_loses_no_frame(
    professional, camcorder_film, request, tmp_path
):
    start, queue_name = request.getfixturevalue("start_worker"), request.getfixturevalue("queue")
    recording = stored_recording_of(professional, camcorder_film)
    first, second = start(**SEGMENTS), start(**SEGMENTS)

    tasks.process_recording.apply_async(args=[str(recording.pk)], queue=queue_name)

    wait_for(lambda: status_of(recording) == Recording.Status.READY, 300, "the recording to become ready")
    recording.refresh_from_db()
    high = tmp_path / "high.mp4"
    with default_storage.open(recording.renditions.get(kind=Rendition.Kind.HIGH).key, "rb") as stored:
        high.write_bytes(stored.read())
    source_start = float(stream_info(camcorder_film)["format"]["start_time"])
    expected = [t - round(source_start * 1_000_000) for t in frame_times(camcorder_film)]
    joined = frame_times(high)
    assert len(joined) == len(expected) == len(set(joined)) == 750  # every frame, none twice
    assert max(abs(a - b) for a, b in zip(joined, expected, strict=True)) <= 1000  # same time, to the ms
    streams, source = stream_info(high), stream_info(camcorder_film)
    sound_start = float(source["audio"]["start_time"]) - source_start
    assert float(streams["audio"]["start_time"]) == pytest.approx(sound_start, abs=AAC_FRAME)
    assert float(streams["audio"]["duration"]) == pytest.approx(sound_length(camcorder_film), abs=AAC_FRAME)
    # Both workers encoded segments; the segments are gone once the final renditions are stored.
    logs = [(tmp_path / f"worker-{n}.log").read_text() for n in (0, 1)]
    assert all("recordings.tasks.encode_segment" in log and "succeeded" in log for log in logs), logs
    assert sum(log.count("encode_segment[") for log in logs) >= 4
    assert not Segment.objects.filter(recording=recording).exists()
    assert not [key for key in recording_stored_keys(recording) if key.startswith(segments_folder(recording))]
    assert first.poll() is None and second.poll() is None
