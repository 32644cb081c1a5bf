"""A real Celery worker (subprocess) against PostgreSQL and Redis: processing, and surviving a kill.

Runs only when DATABASE_URL and REDIS_URL are set (CI sets them). The worker gets the test database's
name, so it sees the rows this test commits (``transaction=True``), and the same DATA_DIR for storage.
Each test uses its own queue, so parallel runs on one Redis do not take each other's tasks.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from recordings import tasks
from recordings.models import Recording, Rendition
from tests.recordings.fixtures_media import *  # noqa: F403
from tests.recordings.fixtures_media import ffmpeg_run, stored_keys, stored_recording_of

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")),
        reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)",
    ),
]
BASE_DIR = Path(settings.BASE_DIR)


def _database_url() -> str:
    db = settings.DATABASES["default"]
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def queue(monkeypatch: pytest.MonkeyPatch) -> str:
    """A queue of this test's own, with tasks really sent through Redis (not run in-process)."""
    from vibplatform.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", False)
    return f"test-{uuid.uuid4().hex}"


@pytest.fixture
def start_worker(queue: str, tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(**env: str) -> subprocess.Popen[bytes]:
        environment = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "DATA_DIR": str(settings.DATA_DIR),
            # The platform's own settings, as in production: tasks go through the broker.
            "DJANGO_SETTINGS_MODULE": "vibplatform.settings",
            **env,
        }
        log = open(tmp_path / f"worker-{len(started)}.log", "wb")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "vibplatform", "worker", "-P", "solo", "-Q", queue,
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
            cwd=BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def status_of(recording: Recording) -> str:
    return Recording.objects.values_list("status", flat=True).get(pk=recording.pk)


def test_a_real_worker_makes_an_uploaded_recording_ready(professional, video_fixtures, start_worker, queue):
    recording = stored_recording_of(professional, video_fixtures["portrait_rotated_h264.mp4"].path)
    start_worker()

    tasks.process_recording.apply_async(args=[str(recording.pk)], queue=queue)

    wait_for(lambda: status_of(recording) == Recording.Status.READY, 120, "the recording to become ready")
    recording.refresh_from_db()
    assert recording.renditions.filter(status=Rendition.Status.DONE).count() == 5
    assert (recording.width, recording.height) == (360, 640)


def test_a_worker_killed_mid_task_is_replaced_and_the_recording_finished_once(
    professional, start_worker, queue, tmp_path
):
    # Long enough that the kill lands while ffmpeg works: 40 s of MPEG-4 Part 2 (no fast path).
    film = tmp_path / "long.avi"
    ffmpeg_run("-f", "lavfi", "-i", "testsrc2=size=480x270:rate=25:duration=40", "-c:v", "mpeg4", str(film))
    recording = stored_recording_of(professional, film)
    # A short visibility timeout: Redis hands an unacknowledged task to another worker after 3 s.
    first = start_worker(CELERY_VISIBILITY_TIMEOUT="3")
    tasks.process_recording.apply_async(args=[str(recording.pk)], queue=queue)
    wait_for(
        lambda: Recording.objects.filter(pk=recording.pk, progress__gt=0).exists(), 120, "ffmpeg to start"
    )

    os.killpg(first.pid, signal.SIGKILL)  # no warm shutdown: the task is neither finished nor acknowledged
    first.wait()
    assert status_of(recording) == Recording.Status.PROCESSING
    start_worker(CELERY_VISIBILITY_TIMEOUT="3")

    wait_for(lambda: status_of(recording) == Recording.Status.READY, 180, "the redelivered task to finish")
    recording.refresh_from_db()
    renditions = list(recording.renditions.all())
    assert sorted(rendition.kind for rendition in renditions) == sorted(set(Rendition.Kind.values) - {"hevc"})
    assert all(rendition.status == Rendition.Status.DONE for rendition in renditions)
    stored = set(stored_keys(recording))
    assert {rendition.key for rendition in renditions} <= stored
    ready_at = recording.ready_at
    time.sleep(5)  # a second delivery of the same task must find the work done and change nothing
    recording.refresh_from_db()
    assert recording.ready_at == ready_at
    assert recording.renditions.count() == 5
