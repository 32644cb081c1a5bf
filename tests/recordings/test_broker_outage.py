"""The broker is down when an upload completes: the film is kept, and processing starts by itself once
the broker is back (the periodic stall check enqueues it). Uses a real, unreachable Redis address."""

import datetime

from django.conf import settings
from django.utils import timezone

from recordings.models import Recording
from recordings.services import recording_attach_original
from recordings.tasks import detect_stalled
from tests.recordings.fixtures_media import *  # noqa: F403
from tests.recordings.fixtures_media import stored_recording_of
from vibplatform.celery import app as celery_app


def _use_broker(url: str, *, eager: bool) -> None:
    # The producer pool holds connections to the old address; drop it so the new one is really used.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app.conf.update(broker_url=url, task_always_eager=eager)


def test_upload_completing_while_the_broker_is_down_is_kept_and_processed_later(
    professional, video_fixtures, django_capture_on_commit_callbacks, caplog
):
    stored = stored_recording_of(professional, video_fixtures["no_audio.mp4"].path)
    recording = Recording.objects.get(pk=stored.pk)
    recording.status = Recording.Status.AWAITING_UPLOAD
    recording.save(update_fields=["status"])

    broker, eager = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    _use_broker("redis://127.0.0.1:1/0", eager=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            recording_attach_original(recording=recording, key=stored.original_key, size=stored.original_size)
    finally:
        _use_broker(broker, eager=eager)

    assert "broker unreachable" in caplog.text
    recording.refresh_from_db()
    assert recording.status == Recording.Status.PROCESSING
    assert recording.original_key == stored.original_key

    # The broker is back; the next stall check after 2 x RECORDING_STALL_SECONDS starts the processing.
    stalled_since = timezone.now() - datetime.timedelta(seconds=2 * settings.RECORDING_STALL_SECONDS + 1)
    Recording.objects.filter(pk=recording.pk).update(last_progress_at=stalled_since)
    assert detect_stalled.delay().get() == 1
    recording.refresh_from_db()
    assert recording.status == Recording.Status.READY
