"""Processing an uploaded original into renditions: storage IO and database updates around ``media``.

``recording_process`` is idempotent: it claims the row under a lock, does only the renditions that are
not done yet, and a second run (a redelivered task after a worker was killed, or a duplicate) finds the
recording ready and returns. All work happens in a temporary directory that is removed in every outcome.

Invalid input is rejected for good (status "rejected" with a Dutch reason, every stored byte deleted);
``media.MediaStalled`` and storage errors propagate so the Celery task can retry them.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from boto3.s3.transfer import TransferConfig
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from recordings import media
from recordings.media import RejectReason
from recordings.models import Recording, Rendition
from recordings.storage import recording_stored_keys

logger = logging.getLogger(__name__)

Kind = Rendition.Kind
VIDEO_KINDS = (Kind.HIGH, Kind.LOW)
ALL_KINDS = (Kind.HIGH, Kind.LOW, Kind.POSTER, Kind.SPRITE, Kind.THUMBNAILS_VTT)
EXTENSIONS: dict[str, str] = {Kind.HIGH: "mp4", Kind.LOW: "mp4", Kind.POSTER: "jpg", Kind.SPRITE: "jpg"}
IN_PROGRESS = (Recording.Status.PROCESSING, Recording.Status.PLAYABLE)
PROGRESS_SAVE_SECONDS = 1.0
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


def recording_process(*, recording_id: str) -> None:
    """Validate the original and make every missing rendition; mark the recording ready or rejected.

    Raises ``media.MediaStalled`` and storage errors (``OSError``, botocore errors) for the task to retry.
    """
    recording = _claim(recording_id)
    if recording is None:
        return
    with _work_folder(recording) as work:
        original = work / "original"
        try:
            _download(recording, original)
        except FileNotFoundError:
            recording_reject(recording=recording, message=str(MISSING_ORIGINAL_MESSAGE))
            return
        try:
            info = media.probe(original)
            _store_probe(recording, info)
            media.validate(info, limits())
            _make_renditions(recording, info, original, work)
        except media.MediaRejected as exc:
            logger.info("Recording %s rejected: %s", recording.pk, exc.reason.value)
            recording_reject(recording=recording, message=rejection_message(exc, recording))
            return
    _finish(recording)


def limits() -> media.Limits:
    return media.Limits(
        max_duration_seconds=settings.RECORDING_MAX_DURATION_SECONDS, max_pixels=settings.RECORDING_MAX_PIXELS
    )


def rejection_message(exc: media.MediaRejected, recording: Recording | None = None) -> str:
    """The Dutch reason shown to the professional (stored on the row, so rendered in Dutch now)."""
    limit = limits()
    params = {
        "minutes": round((recording.duration_ms or 0) / 60000) if recording else 0,
        "limit": limit.max_duration_seconds // 60
        if exc.reason == RejectReason.TOO_LONG
        else limit.max_pixels // 1_000_000,
        "width": recording.width or 0 if recording else 0,
        "height": recording.height or 0 if recording else 0,
    }
    with translation.override(settings.LANGUAGE_CODE):
        return str(REJECTION_MESSAGES[exc.reason]) % params


@contextlib.contextmanager
def _work_folder(recording: Recording) -> Iterator[Path]:
    """A scratch folder per recording, emptied before and after every attempt.

    Not a random temporary folder: a worker killed mid-transcode (SIGKILL, out of memory) cannot clean
    up, so the redelivered attempt for the same recording removes what the dead one left behind.
    """
    folder = Path(settings.RECORDING_WORK_DIR) / str(recording.pk)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, mode=0o700)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _claim(recording_id: str) -> Recording | None:
    """Lock the row and decide whether there is work; create the missing rendition rows as pending."""
    with transaction.atomic():
        recording = Recording.objects.select_for_update().filter(pk=recording_id).first()
        if recording is None or recording.status not in IN_PROGRESS or not recording.original_key:
            return None
        now = timezone.now()
        recording.processing_started_at = recording.processing_started_at or now
        recording.last_progress_at = now
        recording.save(update_fields=["processing_started_at", "last_progress_at"])
        existing = set(recording.renditions.values_list("kind", flat=True))
        Rendition.objects.bulk_create(
            [Rendition(recording=recording, kind=kind) for kind in ALL_KINDS if kind not in existing]
        )
    return recording


def _missing(recording: Recording) -> set[str]:
    return set(recording.renditions.exclude(status=Rendition.Status.DONE).values_list("kind", flat=True))


def _make_renditions(recording: Recording, info: media.Probe, original: Path, work: Path) -> None:
    progress = ProgressReporter(recording)
    if make_playable_by_copy(recording, info, original, work):
        progress = ProgressReporter(recording, start=10)
    missing = _missing(recording)
    if missing:
        _transcode_missing(recording, info, original, work, missing, progress)


def make_playable_by_copy(recording: Recording, info: media.Probe, original: Path, work: Path) -> bool:
    """The fast path: when browsers play the original's streams as they are, copy them into the high
    rendition (seconds, not minutes) and make the recording playable before the rest is encoded.

    Returns whether it did; the caller encodes whatever is still missing.
    """
    if Kind.HIGH not in _missing(recording) or not media.can_stream_copy(info):
        return False
    high = work / "high.mp4"
    progress = ProgressReporter(recording)
    media.remux(original, high, info, on_progress=progress.part(0, 10), stall_seconds=_stall_seconds())
    _save_video(recording, Kind.HIGH, high, info)
    _mark_playable(recording)
    return True


def _transcode_missing(
    recording: Recording,
    info: media.Probe,
    original: Path,
    work: Path,
    missing: set[str],
    progress: ProgressReporter,
) -> None:
    # The VTT describes the sprite: make them together so they always match.
    if Kind.THUMBNAILS_VTT in missing:
        missing.add(Kind.SPRITE)
    outputs = media.Outputs(
        **{kind: work / f"{kind}.{EXTENSIONS[kind]}" for kind in EXTENSIONS if kind in missing}
    )
    media.transcode(
        original, info, outputs, on_progress=progress.part(progress.start, 95), stall_seconds=_stall_seconds()
    )
    for kind in VIDEO_KINDS:
        path = getattr(outputs, kind)
        if path is not None:
            _save_video(recording, kind, path, info)
    the_plan = media.plan(info)
    if outputs.poster is not None:
        _save_file(recording, Kind.POSTER, outputs.poster, the_plan.poster)
    if outputs.sprite is not None:
        _save_file(recording, Kind.SPRITE, outputs.sprite, _sprite_size(the_plan.sprite))
        vtt = work / "thumbnails.vtt"
        vtt.write_text(media.thumbnails_vtt(the_plan.sprite, info.duration), encoding="utf-8")
        _save_file(recording, Kind.THUMBNAILS_VTT, vtt, None, ext="vtt")


def _sprite_size(sprite: media.SpritePlan) -> media.Size:
    return media.Size(sprite.columns * sprite.tile.width, sprite.rows * sprite.tile.height)


def _store_probe(recording: Recording, info: media.Probe) -> None:
    if info.video_index is None:
        return
    recording.duration_ms = round(info.duration * 1000)
    recording.width = info.display_width
    recording.height = info.display_height
    recording.has_audio = info.has_audio
    recording.save(update_fields=["duration_ms", "width", "height", "has_audio"])


def _save_video(recording: Recording, kind: str, path: Path, info: media.Probe) -> None:
    size = media.verify_video(path, info.duration)
    _save_file(recording, kind, path, size)


def _save_file(recording: Recording, kind: str, path: Path, size: media.Size | None, ext: str = "") -> None:
    """Upload one output under a fresh random key and mark its rendition done, exactly once.

    Two runs of the same recording (a redelivered task while the first still works) may both get here:
    the rendition row is locked, and the loser deletes its own upload instead of leaving an orphan.
    """
    key = f"recordings/{recording.storage_prefix}/{uuid.uuid4().hex}.{ext or EXTENSIONS[kind]}"
    with open(path, "rb") as file:
        key = default_storage.save(key, File(file, name=path.name))
    with transaction.atomic():
        locked = Recording.objects.select_for_update().get(pk=recording.pk)
        rendition = Rendition.objects.select_for_update().filter(recording=locked, kind=kind).first()
        if locked.status not in IN_PROGRESS or rendition is None or rendition.status == Rendition.Status.DONE:
            transaction.on_commit(lambda: default_storage.delete(key))
            return
        rendition.key = key
        rendition.size = path.stat().st_size
        rendition.width, rendition.height = (size.width, size.height) if size else (None, None)
        rendition.status = Rendition.Status.DONE
        rendition.save(update_fields=["key", "size", "width", "height", "status"])
        locked.last_progress_at = timezone.now()
        locked.save(update_fields=["last_progress_at"])


def _mark_playable(recording: Recording) -> None:
    Recording.objects.filter(pk=recording.pk, status=Recording.Status.PROCESSING).update(
        status=Recording.Status.PLAYABLE
    )
    logger.info("Recording %s playable", recording.pk)


def _finish(recording: Recording) -> None:
    """Every rendition done: the recording is ready (unless it was deleted meanwhile)."""
    with transaction.atomic():
        locked = Recording.objects.select_for_update().get(pk=recording.pk)
        if locked.status not in IN_PROGRESS or _missing(locked):
            return
        locked.status = Recording.Status.READY
        locked.progress = 100
        locked.ready_at = timezone.now()
        locked.last_progress_at = locked.ready_at
        locked.save(update_fields=["status", "progress", "ready_at", "last_progress_at"])


def recording_reject(*, recording: Recording, message: str) -> None:
    """Refuse the upload for good: delete the original and every derived object, keep the reason.

    A rejected upload leaves no stored bytes behind: the whole random folder of the recording is swept.
    """
    recording.refresh_from_db()
    if recording.status not in IN_PROGRESS:
        return
    # Objects first: if storage fails, the row still says "processing" and a retry deletes them.
    for key in sorted(recording_stored_keys(recording)):
        default_storage.delete(key)
    with transaction.atomic():
        locked = Recording.objects.select_for_update().get(pk=recording.pk)
        if locked.status not in IN_PROGRESS:
            return
        locked.renditions.update(status=Rendition.Status.FAILED, key="", size=None)
        locked.status = Recording.Status.REJECTED
        locked.rejection_reason = message
        locked.original_key = ""
        locked.progress = 0
        locked.save(update_fields=["status", "rejection_reason", "original_key", "progress"])


def _stall_seconds() -> float:
    return float(settings.RECORDING_STALL_SECONDS)


# --- storage IO -----------------------------------------------------------------------------------------


def _download(recording: Recording, destination: Path) -> None:
    """Stream the original into ``destination`` (never whole in memory), touching progress as it goes."""
    touch = _Toucher(recording)
    with default_storage.open(recording.original_key, "rb") as stored, open(destination, "wb") as local:
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
    """Keeps ``last_progress_at`` fresh during long transfers, at most once per second."""

    recording: Recording
    last: float = 0.0

    def __call__(self) -> None:
        if time.monotonic() - self.last >= PROGRESS_SAVE_SECONDS:
            self.last = time.monotonic()
            Recording.objects.filter(pk=self.recording.pk).update(last_progress_at=timezone.now())


# --- progress -------------------------------------------------------------------------------------------


@dataclass
class ProgressReporter:
    """Turns ffmpeg's fraction done into ``recording.progress`` (percent), saved at most once a second."""

    recording: Recording
    start: int = 0
    _last_save: float = 0.0

    def part(self, low: int, high: int) -> Callable[[float], None]:
        """A callback mapping 0..1 of one ffmpeg run onto ``low``..``high`` percent overall."""

        def report(fraction: float) -> None:
            self.report(low + round((high - low) * fraction))

        return report

    def report(self, percent: int) -> None:
        now = time.monotonic()
        if percent <= self.recording.progress or now - self._last_save < PROGRESS_SAVE_SECONDS:
            return
        self._last_save = now
        self.recording.progress = min(100, percent)
        self.recording.last_progress_at = timezone.now()
        self.recording.save(update_fields=["progress", "last_progress_at"])


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


def recording_fail_stalled(*, recording: Recording) -> None:
    """Give up on a recording that stalled too often: reject it with a message (no bytes kept)."""
    with translation.override(settings.LANGUAGE_CODE):
        message = str(STALLED_MESSAGE)
    recording_reject(recording=recording, message=message)
