"""Celery tasks of recordings: thin, idempotent, late-acknowledged; the work is in services/pipeline."""

from __future__ import annotations

import logging
import random
from typing import Any

import botocore.exceptions
from celery import shared_task
from celery.app.task import Task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from recordings import pipeline, segmented
from recordings.models import Recording
from recordings.video import MediaStalled

logger = logging.getLogger(__name__)

# Storage hiccups worth another try: network and file-system errors, S3 throttling and 5xx answers.
TRANSIENT_STORAGE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    botocore.exceptions.ConnectionError,
    botocore.exceptions.HTTPClientError,
)
STORAGE_RETRIES = 6
STALL_ATTEMPTS_KEY = "recordings:stall-attempts:{id}"


def _backoff(retries: int) -> int:
    """Exponential backoff with jitter (10 s, 20 s, 40 s ... at most 10 minutes)."""
    delay: int = min(600, 10 * 2**retries)
    return delay + random.randint(0, 5)


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, TRANSIENT_STORAGE_ERRORS):
        return True
    if isinstance(exc, botocore.exceptions.ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        code = exc.response.get("Error", {}).get("Code", "")
        return int(status) >= 500 or code in {"SlowDown", "Throttling", "RequestTimeout"}
    return False


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=STORAGE_RETRIES)
def process_recording(self: Task[[str], None], recording_id: str) -> None:
    """Validate and transcode an uploaded original. Safe to run twice: the pipeline takes a lease.

    While another attempt holds the lease (a redelivery next to the first delivery, or the delivery
    after a worker was killed) this one comes back when that lease runs out, without counting a retry:
    by then the other attempt has finished, or it died and this one takes over.
    """
    try:
        busy = pipeline.recording_process(recording_id=recording_id)
    except MediaStalled as exc:
        if self.request.retries + 1 >= settings.RECORDING_MAX_ATTEMPTS:
            logger.warning("Recording %s stalled %d times: rejected", recording_id, self.request.retries + 1)
            _fail_stalled(recording_id)
            return
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
    except Exception as exc:
        if not _is_transient(exc):
            raise
        logger.warning(
            "Recording %s: transient storage error, retrying: %s", recording_id, type(exc).__name__
        )
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
    if busy is not None:
        wait = max(1.0, (busy.until - timezone.now()).total_seconds() + 1)
        # The same task again (same queue, same retry count), not a retry: waiting is not a failure.
        self.signature_from_request(countdown=wait).apply_async()


# --- the segments of one film (a chord: see recordings.segmented) ---------------------------------------
# They keep their results (the chord counts them); each carries the token of the attempt that sent it.


def _retry_or_give_up(task: Task[Any, Any], exc: Exception, recording_id: str) -> None:
    """Retry a stalled ffmpeg or a storage hiccup; after the last retry the chord waits in vain and the
    stall check starts a new attempt, which redoes only the segments not stored."""
    stalled = isinstance(exc, MediaStalled)
    if not (stalled or _is_transient(exc)):
        raise exc
    if stalled and task.request.retries + 1 >= settings.RECORDING_MAX_ATTEMPTS:
        logger.warning(
            "Recording %s: a segment task stalled %d times", recording_id, task.request.retries + 1
        )
        raise exc
    raise task.retry(exc=exc, countdown=_backoff(task.request.retries)) from exc


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=STORAGE_RETRIES, ignore_result=False
)
def encode_segment(
    self: Task[[str, str, dict[str, object]], None], recording_id: str, token: str, span: dict[str, object]
) -> None:
    """Encode and store one segment of the film (idempotent: a stored segment is skipped)."""
    try:
        segmented.segment_encode(recording_id=recording_id, token=token, span=span)
    except Exception as exc:
        _retry_or_give_up(self, exc, recording_id)


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=STORAGE_RETRIES, ignore_result=False
)
def encode_sound(
    self: Task[[str, str], dict[str, str] | None], recording_id: str, token: str
) -> dict[str, str] | None:
    """Encode the whole film's sound once; returns the stored keys for the join."""
    try:
        return segmented.sound_encode(recording_id=recording_id, token=token)
    except Exception as exc:
        _retry_or_give_up(self, exc, recording_id)
        raise


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=STORAGE_RETRIES)
def join_segments(
    self: Task[[list[object], str, str, list[dict[str, object]]], None],
    results: list[object],
    recording_id: str,
    token: str,
    spans: list[dict[str, object]],
) -> None:
    """Join the segments into the final renditions and mark the recording ready."""
    try:
        segmented.segments_join(results=results, recording_id=recording_id, token=token, spans=spans)
    except Exception as exc:
        _retry_or_give_up(self, exc, recording_id)


def _fail_stalled(recording_id: str) -> None:
    pipeline.recording_fail_stalled(recording_id=recording_id)


@shared_task(acks_late=True)
def detect_stalled() -> int:
    """Periodic: re-enqueue recordings whose processing shows no sign of life; after
    RECORDING_MAX_ATTEMPTS such rescues reject them with a message. Returns how many were handled."""
    handled = 0
    for recording in pipeline.recordings_stalled(now=timezone.now()):
        key = STALL_ATTEMPTS_KEY.format(id=recording.pk)
        attempts = cache.get(key, 0) + 1
        cache.set(key, attempts, timeout=7 * 24 * 3600)
        if attempts >= settings.RECORDING_MAX_ATTEMPTS:
            logger.warning("Recording %s stalled %d times: rejected", recording.pk, attempts)
            pipeline.recording_fail_stalled(recording_id=str(recording.pk))
        else:
            logger.warning("Recording %s stalled: processing again (attempt %d)", recording.pk, attempts + 1)
            # Counts as a sign of life, so the next check gives the new attempt its full time.
            Recording.objects.filter(pk=recording.pk).update(last_progress_at=timezone.now())
            process_recording.delay(str(recording.pk))
        handled += 1
    return handled
