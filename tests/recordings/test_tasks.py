"""recordings.tasks: thin, idempotent tasks; transient errors retried, invalid input never; stalls end."""

from __future__ import annotations

import contextlib
import datetime
import json
import socket
from collections.abc import Iterator

import botocore.exceptions
import pytest
from celery.signals import task_retry
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone

from families import tasks as families_tasks
from recordings import tasks
from recordings.models import Recording
from recordings.services import recording_attach_original
from tests.recordings.conftest import create_recording, make_family
from tests.recordings.fixtures_media import *  # noqa: F403
from tests.recordings.fixtures_media import stored_keys, stored_recording_of
from tests.s3_server import s3_storage_options

pytestmark = pytest.mark.django_db


@pytest.fixture
def retries() -> Iterator[list[str]]:
    """Names of the exceptions each retry of a task was scheduled for (Celery's own signal)."""
    seen: list[str] = []

    def record(sender, request, reason, **_kwargs):  # type: ignore[no-untyped-def]
        seen.append(type(getattr(reason, "exc", None) or reason).__name__)

    task_retry.connect(record, weak=False)
    yield seen
    task_retry.disconnect(record)


@pytest.fixture
def eager_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let eagerly run tasks retry in-process like a worker would (propagating stops at the first retry)."""
    from vibplatform.celery import app

    monkeypatch.setattr(app.conf, "task_eager_propagates", False)


def test_the_upload_hand_over_queues_the_task_that_makes_the_recording_ready(
    professional, video_fixtures, django_capture_on_commit_callbacks
):
    recording = create_recording(professional)
    path = video_fixtures["phone_hevc.mov"].path
    with open(path, "rb") as file:
        key = default_storage.save(f"recordings/{recording.storage_prefix}/upload", file)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        recording_attach_original(recording=recording, key=key, size=path.stat().st_size)

    assert len(callbacks) == 1
    recording.refresh_from_db()
    assert recording.status == Recording.Status.READY


def test_the_task_takes_the_id_as_a_json_string(professional, video_fixtures):
    recording = stored_recording_of(professional, video_fixtures["no_audio.mp4"].path)
    (argument,) = json.loads(json.dumps([str(recording.pk)]))

    tasks.process_recording.apply(args=[argument]).get()

    recording.refresh_from_db()
    assert recording.status == Recording.Status.READY


def test_the_task_acknowledges_late_so_a_killed_worker_gets_it_redelivered():
    assert tasks.process_recording.acks_late is True
    assert tasks.process_recording.reject_on_worker_lost is True


def test_invalid_input_is_rejected_and_never_retried(professional, video_fixtures, retries):
    recording = stored_recording_of(professional, video_fixtures["audio_only.m4a"].path)

    tasks.process_recording.delay(str(recording.pk))

    recording.refresh_from_db()
    assert recording.status == Recording.Status.REJECTED
    assert retries == []


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def storage_outage() -> Iterator[None]:
    """Default storage pointed at an S3 endpoint where nothing listens: a network outage."""
    from botocore.config import Config
    from django.conf import settings

    options = s3_storage_options(f"http://127.0.0.1:{_closed_port()}", "unreachable")
    options["client_config"] = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=1)
    s3 = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    with override_settings(STORAGES={**settings.STORAGES, "default": s3}):
        yield


def test_a_storage_outage_is_retried_and_keeps_the_upload(
    professional, video_fixtures, retries, eager_retries, isolated_tmp
):
    recording = stored_recording_of(professional, video_fixtures["no_audio.mp4"].path)
    original = recording.original_key

    with storage_outage():
        result = tasks.process_recording.delay(str(recording.pk))

    assert isinstance(result.result, botocore.exceptions.EndpointConnectionError)
    assert retries == ["EndpointConnectionError"] * tasks.STORAGE_RETRIES
    recording.refresh_from_db()
    assert recording.status == Recording.Status.PROCESSING  # not rejected: the bytes are fine
    assert stored_keys(recording) == [original]
    assert list(isolated_tmp.iterdir()) == []
    # Storage is back: the next delivery finishes the job.
    tasks.process_recording.delay(str(recording.pk))
    recording.refresh_from_db()
    assert recording.status == Recording.Status.READY


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (ConnectionResetError(), True),
        (botocore.exceptions.EndpointConnectionError(endpoint_url="http://s3"), True),
        (botocore.exceptions.ReadTimeoutError(endpoint_url="http://s3"), True),
        (
            botocore.exceptions.ClientError(
                {"Error": {"Code": "SlowDown"}, "ResponseMetadata": {}}, "PutObject"
            ),
            True,
        ),
        (
            botocore.exceptions.ClientError(
                {"Error": {"Code": "InternalError"}, "ResponseMetadata": {"HTTPStatusCode": 500}}, "GetObject"
            ),
            True,
        ),
        (
            botocore.exceptions.ClientError(
                {"Error": {"Code": "AccessDenied"}, "ResponseMetadata": {"HTTPStatusCode": 403}}, "GetObject"
            ),
            False,
        ),
        (ValueError("bug"), False),
    ],
)
def test_only_network_and_storage_errors_count_as_transient(error, transient):
    assert tasks._is_transient(error) is transient


@override_settings(RECORDING_STALL_SECONDS=0, RECORDING_MAX_ATTEMPTS=2)
def test_a_job_that_keeps_stalling_is_retried_then_rejected_with_a_message(
    professional, video_fixtures, retries, eager_retries, isolated_tmp
):
    # A stall time of zero makes every ffmpeg run count as stalled: it is killed at its first report.
    recording = stored_recording_of(professional, video_fixtures["phone_hevc.mov"].path)

    tasks.process_recording.delay(str(recording.pk))

    assert retries == ["MediaStalled"]
    recording.refresh_from_db()
    assert recording.status == Recording.Status.REJECTED
    assert recording.rejection_reason == "Het verwerken van de film is na meerdere pogingen niet gelukt. " + (
        "Upload hem opnieuw; lukt dat weer niet, neem dan contact op met de helpdesk."
    )
    assert stored_keys(recording) == []
    assert list(isolated_tmp.iterdir()) == []


def _stalled(recording: Recording, minutes: int = 60) -> None:
    long_ago = timezone.now() - datetime.timedelta(minutes=minutes)
    Recording.objects.filter(pk=recording.pk).update(
        last_progress_at=long_ago, processing_started_at=long_ago
    )


def test_the_periodic_check_processes_a_stalled_recording_again(professional, video_fixtures):
    cache.clear()
    recording = stored_recording_of(professional, video_fixtures["no_audio.mp4"].path)
    _stalled(recording)

    assert tasks.detect_stalled() == 1

    recording.refresh_from_db()
    assert recording.status == Recording.Status.READY


def test_the_periodic_check_rejects_a_recording_that_stalled_too_often(
    professional, video_fixtures, settings
):
    cache.clear()
    recording = stored_recording_of(professional, video_fixtures["no_audio.mp4"].path)
    cache.set(tasks.STALL_ATTEMPTS_KEY.format(id=recording.pk), settings.RECORDING_MAX_ATTEMPTS - 1)
    _stalled(recording)

    tasks.detect_stalled()

    recording.refresh_from_db()
    assert recording.status == Recording.Status.REJECTED
    assert recording.rejection_reason.startswith("Het verwerken van de film")
    assert stored_keys(recording) == []


def test_the_periodic_check_leaves_working_and_finished_recordings_alone(professional, video_fixtures):
    cache.clear()
    working = stored_recording_of(professional, video_fixtures["no_audio.mp4"].path)
    Recording.objects.filter(pk=working.pk).update(last_progress_at=timezone.now())
    finished = create_recording(professional, status=Recording.Status.READY, original_key="x")
    _stalled(finished)
    waiting = create_recording(professional)  # still uploading: no original yet
    _stalled(waiting)

    assert tasks.detect_stalled() == 0

    working.refresh_from_db()
    assert working.status == Recording.Status.PROCESSING


def test_the_retention_task_deletes_recordings_whose_consent_ended(professional, video_fixtures):
    today = timezone.localdate()
    ended = make_family(
        professional,
        "FAM-ENDED",
        given_on=today - datetime.timedelta(days=400),
        valid_until=today - datetime.timedelta(days=1),
    )
    recording = create_recording(professional, family=ended)
    kept = create_recording(professional)

    assert families_tasks.enforce_retention() == 1

    recording.refresh_from_db()
    kept.refresh_from_db()
    assert recording.status == Recording.Status.DELETED
    assert kept.status != Recording.Status.DELETED
