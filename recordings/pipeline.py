"""Processing an uploaded original into renditions: storage IO and database updates around ``media``.

``recording_process`` is idempotent: it claims the row under a lock, does only the renditions that are
not done yet, and a second run (a redelivered task after a worker was killed, or a duplicate) finds the
recording ready and returns. All work happens in a temporary directory that is removed in every outcome.

Invalid input is rejected for good (status "rejected" with a Dutch reason, every stored byte deleted);
``video.MediaStalled`` and storage errors propagate so the Celery task can retry them.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from boto3.s3.transfer import TransferConfig
from celery import chord, current_task, signature
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from recordings import video
from recordings.models import Recording, Rendition
from recordings.storage import recording_stored_keys, stored_from_scratch
from recordings.video import RejectReason
from recordings.video.segmenting import Span, plan_segments, scan_keyframes

logger = logging.getLogger(__name__)

Kind = Rendition.Kind
VIDEO_KINDS = (Kind.HIGH, Kind.LOW)
ALL_KINDS = (Kind.HIGH, Kind.LOW, Kind.POSTER, Kind.SPRITE, Kind.THUMBNAILS_VTT)
EXTENSIONS: dict[str, str] = {Kind.HIGH: "mp4", Kind.LOW: "mp4", Kind.POSTER: "jpg", Kind.SPRITE: "jpg"}
IN_PROGRESS = (Recording.Status.PROCESSING, Recording.Status.PLAYABLE)
PROGRESS_SAVE_SECONDS = 1.0
HEARTBEAT_SECONDS = 10.0
DOWNLOAD_CHUNK = 1024 * 1024

REJECTION_MESSAGES = {
    RejectReason.EMPTY: _("The file is empty (0 bytes). Upload the film again."),
    RejectReason.UNREADABLE: _(
        "This file cannot be read as a video: it is damaged or not a video. Upload the original film."
    ),
    RejectReason.NO_VIDEO: _("The file contains no picture. Upload a video recording."),
    RejectReason.AUDIO_ONLY: _("The file contains only sound, no picture. Upload a video recording."),
    RejectReason.IMAGE: _("This is a photo, not a video. Upload a video recording."),
    RejectReason.TRUNCATED: _(
        "The file is incomplete: copying or uploading it was interrupted. Copy the film again and upload it."
    ),
    RejectReason.TOO_LONG: _("The film lasts %(minutes)d minutes; at most %(limit)d minutes are allowed."),
    RejectReason.OVER_LIMIT: _(
        "The film is longer than the %(limit)d minutes allowed, although the file claims otherwise. "
        "Upload a shorter film."
    ),
    RejectReason.TOO_LARGE: _(
        "The picture is %(width)d×%(height)d pixels; at most %(limit)d megapixels are allowed."
    ),
}
MISSING_ORIGINAL_MESSAGE = _("The uploaded file was not found in storage. Upload the film again.")
STALLED_MESSAGE = _(
    "Processing the film did not succeed after several attempts. Upload it again; if that fails too, "
    "contact the helpdesk."
)


# --- the service ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """One processing attempt holding the lease on its recording (``attempt_token`` on the row)."""

    recording: Recording
    token: uuid.UUID

    @property
    def scratch(self) -> Path:
        return _scratch_folder(self.recording.pk, self.token)


@dataclass(frozen=True)
class Busy:
    """Another attempt holds the lease until ``until``: try again then (it may have finished)."""

    until: datetime.datetime


class LeaseLost(Exception):
    """This attempt's lease ran out and another attempt took over: stop, write nothing more."""


def recording_process(*, recording_id: str) -> Busy | None:
    """Validate the original and make every missing rendition; mark the recording ready or rejected.

    Returns ``Busy`` when another attempt is processing the recording (the caller waits or returns),
    ``None`` when done or nothing was to be done. Raises ``video.MediaStalled`` and storage errors
    (``OSError``, botocore errors) for the task to retry; the lease is handed back first.
    """
    claimed = attempt_claim(recording_id=recording_id)
    if not isinstance(claimed, Attempt):
        return claimed
    handed_over = False
    try:
        handed_over = _process(claimed)
    except LeaseLost:
        logger.warning("Recording %s: lease lost, this attempt stops", recording_id)
    finally:
        if handed_over:
            # The segment tasks hold the lease now and may already work in their own folders in
            # the scratch folder: remove only what this task made there.
            _remove_files_in(claimed.scratch)
        else:
            shutil.rmtree(claimed.scratch, ignore_errors=True)
        with contextlib.suppress(OSError):
            claimed.scratch.rmdir()
        with contextlib.suppress(OSError):
            claimed.scratch.parent.rmdir()  # only when no other attempt's folder is in it
        if not handed_over:
            attempt_release(claimed)
    return None


def _remove_files_in(folder: Path) -> None:
    for path in folder.iterdir() if folder.exists() else ():
        if not path.is_dir():
            path.unlink(missing_ok=True)


def _process(attempt: Attempt) -> bool:
    """The attempt's work; returns whether it was handed over to segment tasks (with the lease)."""
    recording = attempt.recording
    try:
        original = original_local(attempt, attempt.scratch)
    except FileNotFoundError:
        recording_reject(attempt=attempt, message=str(MISSING_ORIGINAL_MESSAGE))
        return False
    try:
        info = video.probe(original)
        _store_probe(attempt, info)
        video.validate(info, limits())
        if _make_renditions(attempt, info, original):
            return True
    except video.MediaRejected as exc:
        logger.info("Recording %s rejected: %s", recording.pk, exc.reason.value)
        recording_reject(attempt=attempt, message=rejection_message(exc, recording))
        return False
    recording_finish(attempt)
    return False


def limits() -> video.Limits:
    return video.Limits(
        max_duration_seconds=settings.RECORDING_MAX_DURATION_SECONDS, max_pixels=settings.RECORDING_MAX_PIXELS
    )


def rejection_message(exc: video.MediaRejected, recording: Recording | None = None) -> str:
    """The Dutch reason shown to the professional (stored on the row, so rendered in Dutch now)."""
    limit = limits()
    params = {
        "minutes": round((recording.duration_ms or 0) / 60000) if recording else 0,
        "limit": limit.max_duration_seconds // 60
        if exc.reason in (RejectReason.TOO_LONG, RejectReason.OVER_LIMIT)
        else limit.max_pixels // 1_000_000,
        "width": recording.width or 0 if recording else 0,
        "height": recording.height or 0 if recording else 0,
    }
    with translation.override(settings.LANGUAGE_CODE):
        return str(REJECTION_MESSAGES[exc.reason]) % params


# --- the lease ------------------------------------------------------------------------------------------


def attempt_claim(*, recording_id: str) -> Attempt | Busy | None:
    """Take the processing lease on the recording: an ``Attempt`` with its own scratch folder.

    ``Busy`` while another attempt holds an unexpired lease; ``None`` when there is nothing to process.
    Taking over an expired lease (its worker was killed) removes that dead attempt's scratch folder,
    and only then: a live attempt's files are never touched.
    """
    now = timezone.now()
    with transaction.atomic():
        recording = Recording.objects.select_for_update().filter(pk=recording_id).first()
        if recording is None or recording.status not in IN_PROGRESS or not recording.original_key:
            return None
        if (
            recording.attempt_token is not None
            and recording.lease_expires_at
            and recording.lease_expires_at > now
        ):
            return Busy(until=recording.lease_expires_at)
        expired = recording.attempt_token
        recording.attempt_token = uuid.uuid4()
        recording.lease_expires_at = now + _lease()
        recording.processing_started_at = recording.processing_started_at or now
        recording.last_progress_at = now
        recording.save(
            update_fields=["attempt_token", "lease_expires_at", "processing_started_at", "last_progress_at"]
        )
        existing = set(recording.renditions.values_list("kind", flat=True))
        Rendition.objects.bulk_create(
            [Rendition(recording=recording, kind=kind) for kind in ALL_KINDS if kind not in existing]
        )
    if expired is not None:
        shutil.rmtree(_scratch_folder(recording.pk, expired), ignore_errors=True)
    attempt = Attempt(recording=recording, token=recording.attempt_token)
    attempt.scratch.mkdir(parents=True, mode=0o700)
    return attempt


def _scratch_folder(recording_id: Any, token: uuid.UUID) -> Path:
    return Path(settings.RECORDING_WORK_DIR) / str(recording_id) / token.hex


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.RECORDING_LEASE_SECONDS)


def attempt_held(attempt: Attempt) -> Any:
    """The recording's row, only while ``attempt`` holds its lease (filter for updates and locks)."""
    return Recording.objects.filter(pk=attempt.recording.pk, attempt_token=attempt.token)


def attempt_renew(attempt: Attempt, **fields: Any) -> None:
    """Extend the lease (a sign of life) and write ``fields``; ``LeaseLost`` if another attempt has it."""
    now = timezone.now()
    if not attempt_held(attempt).update(lease_expires_at=now + _lease(), last_progress_at=now, **fields):
        raise LeaseLost


def attempt_lock(attempt: Attempt) -> Recording:
    """Inside a transaction: the locked row, or ``LeaseLost``."""
    locked: Recording | None = attempt_held(attempt).select_for_update().first()
    if locked is None:
        raise LeaseLost
    return locked


def attempt_release(attempt: Attempt) -> None:
    attempt_held(attempt).update(attempt_token=None, lease_expires_at=None)


# --- renditions -----------------------------------------------------------------------------------------


def renditions_missing(recording: Recording) -> set[str]:
    return set(recording.renditions.exclude(status=Rendition.Status.DONE).values_list("kind", flat=True))


def _make_renditions(attempt: Attempt, info: video.Probe, original: Path) -> bool:
    """Make what is missing; returns whether segment tasks were sent to encode the film."""
    progress = ProgressReporter(attempt)
    if make_playable_by_copy(attempt, info, original, attempt.scratch):
        progress = ProgressReporter(attempt, start=10)
    missing = renditions_missing(attempt.recording)
    if Kind.HIGH in missing:
        # The H.264 rendition must be encoded: in segments, watchable as they finish.
        spans = segments_plan(info, original)
        attempt_renew(attempt, progress=2)
        segments_dispatch(attempt, spans, has_audio=info.has_audio)
        return True
    if missing:
        _transcode_missing(attempt, info, original, missing, progress)
    return False


def segments_plan(info: video.Probe, original: Path) -> list[Span]:
    """The keyframe-aligned segments of the original (``video.segmenting``); refuses a file whose
    packets run past the duration or frame limit, before any segment is encoded or shown."""
    found = scan_keyframes(original, info, limits())
    return plan_segments(
        found,
        first_seconds=settings.RECORDING_FIRST_SEGMENT_SECONDS,
        segment_seconds=settings.RECORDING_SEGMENT_SECONDS,
        early_seconds=settings.RECORDING_EARLY_SECONDS,
    )


def segments_dispatch(attempt: Attempt, spans: list[Span], *, has_audio: bool) -> None:
    """Send the chord (``recordings.segmented``): a task per segment and one for the sound, then the
    join. The lease goes with them: every task carries this attempt's token.

    Tasks are named, not imported (they call back into this module). They go to the queue this
    attempt's task came from. With ``CELERY_TASK_ALWAYS_EAGER`` (unit tests, ``import_recording
    --wait``) Celery runs the whole chord here and now.
    """
    recording_id, token = str(attempt.recording.pk), attempt.token.hex
    header = [
        signature("recordings.tasks.encode_segment", args=(recording_id, token, span.as_json()))
        for span in spans
    ]
    if has_audio:
        header.append(signature("recordings.tasks.encode_sound", args=(recording_id, token)))
    body = signature(
        "recordings.tasks.join_segments", args=(recording_id, token, [span.as_json() for span in spans])
    )
    queue = _current_queue()
    if queue is not None:
        for task in [*header, body]:
            task.set(queue=queue)
    logger.info("Recording %s: %d segments sent", recording_id, len(spans))
    chord(header)(body)


def _current_queue() -> str | None:
    request = getattr(current_task, "request", None)
    delivery = getattr(request, "delivery_info", None) or {}
    return delivery.get("routing_key") or None


def make_playable_by_copy(attempt: Attempt, info: video.Probe, original: Path, work: Path) -> bool:
    """The fast path: when browsers play the original's picture as it is, copy it (seconds, not
    minutes) and make the recording playable before the rest is encoded.

    H.264 becomes the high rendition; HEVC the "hevc" rendition (the high one is then still encoded,
    for browsers without HEVC). Sound that is not AAC is encoded on the way, the picture never.
    Returns whether the recording is playable from a copy; the caller encodes whatever is missing.
    """
    copy = video.stream_copy_plan(info)
    if copy is None:
        return False
    kind = Kind(copy.rendition)
    if kind == Kind.HEVC:
        Rendition.objects.get_or_create(recording=attempt.recording, kind=Kind.HEVC)
    if kind in renditions_missing(attempt.recording):
        path = work / f"{kind}.mp4"
        progress = ProgressReporter(attempt)
        video.copy_streams(
            original,
            path,
            info,
            copy,
            limits(),
            on_progress=progress.part(0, 10),
            stall_seconds=_stall_seconds(),
            cores=settings.RECORDING_SOUND_CORES,
        )
        size = video.verify_video(path, info.duration, limits())
        rendition_save(attempt, kind, path, size, ext="mp4", codecs=copy.codecs)
    recording_mark_playable(attempt)
    return True


def _transcode_missing(
    attempt: Attempt, info: video.Probe, original: Path, missing: set[str], progress: ProgressReporter
) -> None:
    work = attempt.scratch
    # The VTT describes the sprite: make them together so they always match.
    if Kind.THUMBNAILS_VTT in missing:
        missing.add(Kind.SPRITE)
    outputs = video.Outputs(
        **{kind: work / f"{kind}.{EXTENSIONS[kind]}" for kind in EXTENSIONS if kind in missing}
    )
    video.transcode(
        original,
        info,
        outputs,
        limits(),
        on_progress=progress.part(progress.start, 95),
        stall_seconds=_stall_seconds(),
    )
    for kind in VIDEO_KINDS:
        path = getattr(outputs, kind)
        if path is not None:
            _save_video(attempt, kind, path, info)
    the_plan = video.plan(info)
    if outputs.poster is not None:
        rendition_save(attempt, Kind.POSTER, outputs.poster, the_plan.poster)
    if outputs.sprite is not None:
        rendition_save(attempt, Kind.SPRITE, outputs.sprite, sprite_size(the_plan.sprite))
        vtt = work / "thumbnails.vtt"
        vtt.write_text(video.thumbnails_vtt(the_plan.sprite, info.duration), encoding="utf-8")
        rendition_save(attempt, Kind.THUMBNAILS_VTT, vtt, None, ext="vtt")


def sprite_size(sprite: video.SpritePlan) -> video.Size:
    return video.Size(sprite.columns * sprite.tile.width, sprite.rows * sprite.tile.height)


def _store_probe(attempt: Attempt, info: video.Probe) -> None:
    if info.video_index is None:
        return
    recording = attempt.recording
    recording.duration_ms = round(info.duration * 1000)
    recording.width = info.display_width
    recording.height = info.display_height
    recording.has_audio = info.has_audio
    attempt_renew(
        attempt,
        duration_ms=recording.duration_ms,
        width=recording.width,
        height=recording.height,
        has_audio=recording.has_audio,
    )


def _save_video(attempt: Attempt, kind: str, path: Path, info: video.Probe) -> None:
    size = video.verify_video(path, info.duration, limits())
    rendition_save(attempt, kind, path, size)


def rendition_save(
    attempt: Attempt, kind: str, path: Path, size: video.Size | None, ext: str = "", codecs: str = ""
) -> None:
    """Store one output (moved, not copied, into a file-system storage: ``path`` is gone afterwards)
    under a fresh random key and mark its rendition done, exactly once.

    Only while this attempt holds the lease: otherwise its upload is deleted again and ``LeaseLost``
    stops it (the attempt that took over makes the rendition itself).
    """
    recording = attempt.recording
    stored_size = path.stat().st_size
    key = stored_from_scratch(
        f"recordings/{recording.storage_prefix}/{uuid.uuid4().hex}.{ext or EXTENSIONS[kind]}", path
    )
    try:
        with transaction.atomic():
            locked = attempt_lock(attempt)
            rendition = Rendition.objects.select_for_update().filter(recording=locked, kind=kind).first()
            if (
                locked.status not in IN_PROGRESS
                or rendition is None
                or rendition.status == Rendition.Status.DONE
            ):
                transaction.on_commit(lambda: default_storage.delete(key))
                return
            rendition.key = key
            rendition.size = stored_size
            rendition.width, rendition.height = (size.width, size.height) if size else (None, None)
            rendition.codecs = codecs
            rendition.status = Rendition.Status.DONE
            rendition.save(update_fields=["key", "size", "width", "height", "codecs", "status"])
            attempt_renew(attempt)
    except LeaseLost:
        default_storage.delete(key)
        raise


def recording_mark_playable(attempt: Attempt) -> None:
    attempt_held(attempt).filter(status=Recording.Status.PROCESSING).update(status=Recording.Status.PLAYABLE)
    logger.info("Recording %s playable", attempt.recording.pk)


def recording_finish(attempt: Attempt) -> None:
    """Every rendition done: the recording is ready (unless it was deleted meanwhile)."""
    with transaction.atomic():
        locked = attempt_lock(attempt)
        if locked.status not in IN_PROGRESS or renditions_missing(locked):
            return
        locked.status = Recording.Status.READY
        locked.progress = 100
        locked.ready_at = timezone.now()
        locked.last_progress_at = locked.ready_at
        locked.save(update_fields=["status", "progress", "ready_at", "last_progress_at"])


def recording_reject(*, attempt: Attempt, message: str) -> bool:
    """Refuse the upload for good: delete the original and every derived object, keep the reason.

    Only the attempt holding the lease may; returns whether it did. A recording that is already
    playable (another attempt copied the film) is never rejected: its film stays, with what was made.
    A rejected upload leaves no stored bytes behind: the whole random folder of the recording is swept.
    """
    with transaction.atomic():
        locked = attempt_held(attempt).select_for_update().first()
        if locked is None or locked.status not in IN_PROGRESS:
            return False
        if locked.status == Recording.Status.PLAYABLE:
            logger.warning("Recording %s: not rejected, a playable film exists", locked.pk)
            return False
        # Renewed (and committed) before deleting: the objects go while this attempt surely holds the
        # lease. If storage fails, the row still says "processing" and a retry deletes them.
        locked.lease_expires_at = timezone.now() + _lease()
        locked.save(update_fields=["lease_expires_at"])
    for key in sorted(recording_stored_keys(locked)):
        default_storage.delete(key)
    with transaction.atomic():
        locked = attempt_held(attempt).select_for_update().first()
        if locked is None or locked.status != Recording.Status.PROCESSING:
            return False
        locked.renditions.update(status=Rendition.Status.FAILED, key="", size=None)
        locked.segments.all().delete()
        locked.status = Recording.Status.REJECTED
        locked.rejection_reason = message
        locked.original_key = ""
        locked.progress = 0
        locked.save(update_fields=["status", "rejection_reason", "original_key", "progress"])
    return True


def _stall_seconds() -> float:
    return float(settings.RECORDING_STALL_SECONDS)


# --- storage IO -----------------------------------------------------------------------------------------


def original_local(attempt: Attempt, folder: Path) -> Path:
    """The original as a local file: read in place from a file-system storage (never written), else
    downloaded into ``folder``. A 10-minute phone film is 0.6 GB: copying it took longer than the copy
    that makes it playable."""
    key = attempt.recording.original_key
    try:
        path = Path(default_storage.path(key))
    except NotImplementedError:
        path = folder / "original"
        _download(attempt, path)
        return path
    if not path.exists():
        raise FileNotFoundError(key)
    return path


def _download(attempt: Attempt, destination: Path) -> None:
    """Stream the original into ``destination`` (never whole in memory), renewing the lease as it goes."""
    touch = _Toucher(attempt)
    with (
        default_storage.open(attempt.recording.original_key, "rb") as stored,
        open(destination, "wb") as local,
    ):
        s3_object = getattr(stored, "obj", None)
        if s3_object is not None:
            # S3: boto3's managed download writes straight into our file; reading through the storage
            # File would first stage the whole object in another temporary file. One thread, so the
            # progress callback (a database write) runs in this thread and its connection.
            s3_object.download_fileobj(
                local, Callback=lambda _bytes: touch(), Config=TransferConfig(use_threads=False)
            )
            return
        while chunk := stored.read(DOWNLOAD_CHUNK):
            local.write(chunk)
            touch()


@dataclass
class _Toucher:
    """Renews the lease (and ``last_progress_at``) during long transfers, at most once per second."""

    attempt: Attempt
    last: float = 0.0

    def __call__(self) -> None:
        if time.monotonic() - self.last >= PROGRESS_SAVE_SECONDS:
            self.last = time.monotonic()
            attempt_renew(self.attempt)


# --- progress -------------------------------------------------------------------------------------------


@dataclass
class ProgressReporter:
    """Turns ffmpeg's fraction done into ``recording.progress`` (percent), saved at most once a second.

    Also the lease's heartbeat: ffmpeg's runner calls at least once a second while ffmpeg lives, and
    every ``HEARTBEAT_SECONDS`` the lease is renewed even when the percentage did not move.
    """

    attempt: Attempt
    start: int = 0
    _last_save: float = 0.0

    def part(self, low: int, high: int) -> Callable[[float], None]:
        """A callback mapping 0..1 of one ffmpeg run onto ``low``..``high`` percent overall."""

        def report(fraction: float) -> None:
            self.report(low + round((high - low) * fraction))

        return report

    def report(self, percent: int) -> None:
        recording = self.attempt.recording
        now = time.monotonic()
        advanced = percent > recording.progress and now - self._last_save >= PROGRESS_SAVE_SECONDS
        if not advanced and now - self._last_save < HEARTBEAT_SECONDS:
            return
        self._last_save = now
        recording.progress = max(recording.progress, min(100, percent))
        attempt_renew(self.attempt, progress=recording.progress)


# --- stalled jobs ---------------------------------------------------------------------------------------


def recordings_stalled(*, now: datetime.datetime) -> Any:
    """Recordings in processing that showed no sign of life for twice the stall time.

    Twice: the worker kills its own stalled ffmpeg after one stall time; this catches what that cannot
    (a worker that died and whose task was lost, or a task that gave up on storage errors).
    """
    cutoff = now - datetime.timedelta(seconds=2 * settings.RECORDING_STALL_SECONDS)
    return (
        Recording.objects.filter(status__in=IN_PROGRESS)
        .exclude(original_key="")
        .annotate(alive_at=Coalesce("last_progress_at", "processing_started_at", "created_at"))
        .filter(Q(alive_at__lt=cutoff))
    )


def recording_fail_stalled(*, recording_id: str) -> bool:
    """Give up on a recording that stalled too often: reject it with a message (no bytes kept).

    Takes the lease like any attempt, so never while a live attempt works on it; returns whether it
    rejected.
    """
    claimed = attempt_claim(recording_id=recording_id)
    if not isinstance(claimed, Attempt):
        return False
    try:
        with translation.override(settings.LANGUAGE_CODE):
            message = str(STALLED_MESSAGE)
        return recording_reject(attempt=claimed, message=message)
    finally:
        shutil.rmtree(claimed.scratch, ignore_errors=True)
        with contextlib.suppress(OSError):
            claimed.scratch.parent.rmdir()
        attempt_release(claimed)
