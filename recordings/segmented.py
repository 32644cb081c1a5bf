"""The encode of a film in segments: planned by the attempt holding the lease, encoded by parallel
Celery tasks, joined without re-encoding (a Celery chord). Storage IO and database around ``video``.

1. ``pipeline.segments_dispatch`` (inside ``recording_process``, holding the lease): the keyframes of the
   original give the segments; one task per segment plus one for the sound form the chord's header,
   ``segments_join`` its callback. The lease goes with them: every task carries the attempt's token.
2. ``segment_encode``: one segment into its high part (stored under ``recordings/<prefix>/segments/``,
   a ``Segment`` row once it is complete), its low part and sprite tiles. Segment 0 makes the
   recording playable (a player plays the segments while the rest is encoded).
3. ``sound_encode``: the whole film's sound, once (see ``video.segment_encoding`` for why).
4. ``segments_join``: the parts copied one after another into high.mp4 and low.mp4 with the sound,
   the sprite from all tiles, the poster; verified, saved as renditions, the recording ready. Then the
   segments are deleted, rows and files: from then on the player plays the final high rendition.

Exactly once: each task works in a folder of its own and stops on ``LeaseLost``; a segment already
stored is skipped, so a redelivered task or a new attempt after a dead one does only what is missing.
Only the lease holder writes rows, and only it marks the recording ready or rejected.
"""

from __future__ import annotations

import contextlib
import logging
import resource
import shutil
import tarfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from recordings import pipeline, video
from recordings.models import Recording, Rendition, Segment
from recordings.pipeline import Attempt, LeaseLost
from recordings.storage import recording_stored_keys, stored_from_scratch
from recordings.video.segment_encoding import (
    SegmentOutputs,
    SoundOutputs,
    encode_segment,
    encode_sound,
    join_parts,
    join_tiles,
)
from recordings.video.segmenting import Span

logger = logging.getLogger(__name__)

Kind = Rendition.Kind
SEGMENTS_FOLDER = "segments"
HEARTBEAT_SECONDS = 10.0


def segments_folder(recording: Recording) -> str:
    return f"recordings/{recording.storage_prefix}/{SEGMENTS_FOLDER}"


# --- working for an attempt ----------------------------------------------------------------------------


def attempt_resume(*, recording_id: str, token: str) -> Attempt | None:
    """The attempt of ``token`` when it still holds the lease on a recording in processing."""
    recording = Recording.objects.filter(
        pk=recording_id, attempt_token=uuid.UUID(token), status__in=pipeline.IN_PROGRESS
    ).first()
    return Attempt(recording=recording, token=uuid.UUID(token)) if recording else None


@contextlib.contextmanager
def _costed(recording_id: str, what: str) -> Any:
    """Logs the wall time and the CPU time of the ffmpeg/ffprobe children of one step (what a segment
    costs, for capacity planning; bench/segments.py reads these lines)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    try:
        yield
    finally:
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        logger.info(
            "Recording %s: %s took %.2f s wall, %.2f s CPU",
            recording_id,
            what,
            time.monotonic() - started,
            cpu,
        )


@contextlib.contextmanager
def _own_folder(attempt: Attempt, name: str) -> Any:
    """A scratch folder of this task alone (tasks of one attempt run side by side on one machine)."""
    folder = attempt.scratch / f"{name}-{uuid.uuid4().hex}"
    folder.mkdir(parents=True, mode=0o700)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        for parent in (attempt.scratch, attempt.scratch.parent):
            with contextlib.suppress(OSError):
                parent.rmdir()  # only when no other task's folder is in it


@dataclass
class _Heartbeat:
    """ffmpeg's progress callback for a segment: renews the lease every few seconds while it works."""

    attempt: Attempt
    last: float = 0.0

    def __call__(self, _fraction: float) -> None:
        if time.monotonic() - self.last >= HEARTBEAT_SECONDS:
            self.last = time.monotonic()
            pipeline.attempt_renew(self.attempt)


def _reject_unless_playable(attempt: Attempt, exc: video.MediaRejected) -> None:
    logger.info("Recording %s rejected while encoding segments: %s", attempt.recording.pk, exc.reason.value)
    pipeline.recording_reject(attempt=attempt, message=pipeline.rejection_message(exc, attempt.recording))


# --- one segment ----------------------------------------------------------------------------------------


def segment_encode(*, recording_id: str, token: str, span: dict[str, Any]) -> None:
    """Encode and store one segment for the attempt of ``token``; nothing when it is stored already or
    the attempt lost its lease."""
    the_span = Span.from_json(span)
    attempt = attempt_resume(recording_id=recording_id, token=token)
    if attempt is None or _already_stored(attempt, the_span):
        return
    try:
        with (
            _costed(recording_id, f"segment {the_span.index}"),
            _own_folder(attempt, f"segment-{the_span.index}") as folder,
        ):
            _encode_and_store(attempt, the_span, folder)
    except LeaseLost:
        logger.warning("Recording %s: lease lost, segment %d stops", recording_id, the_span.index)
    except video.MediaRejected as exc:
        _reject_unless_playable(attempt, exc)


def _already_stored(attempt: Attempt, span: Span) -> bool:
    """Whether the segment is stored; one of the same number but another stretch (an earlier attempt
    planned with other segment lengths) is removed, so the join never mixes two plans."""
    stored = Segment.objects.filter(recording=attempt.recording, index=span.index).first()
    if stored is None:
        return False
    if (stored.start_ms, stored.end_ms) == (round(span.start * 1000), round(span.end * 1000)):
        return True
    Segment.objects.filter(pk=stored.pk).delete()
    for key in (stored.key, stored.low_key, stored.tiles_key):
        if key:
            default_storage.delete(key)
    return False


def _encode_and_store(attempt: Attempt, span: Span, folder: Path) -> None:
    original = pipeline.original_local(attempt, folder)
    info = video.probe(original)
    outputs = SegmentOutputs(high=folder / "high.mp4", low=folder / "low.mp4", tiles=folder / "tiles")
    encode_segment(
        original,
        info,
        span,
        outputs,
        pipeline.limits(),
        on_progress=_Heartbeat(attempt),
        stall_seconds=float(settings.RECORDING_STALL_SECONDS),
    )
    frames = video.count_video_packets(outputs.high)
    tiles = folder / "tiles.tar"
    with tarfile.open(tiles, "w") as archive:
        for tile in sorted(outputs.tiles.glob("*.jpg")):
            archive.add(tile, arcname=tile.name)
    size = outputs.high.stat().st_size  # before storing: that moves the files away
    keys = [
        _upload(attempt, path, ext)
        for path, ext in ((outputs.high, "mp4"), (outputs.low, "mp4"), (tiles, "tar"))
    ]
    stored = False
    try:
        stored = _add_segment(attempt, span, keys, size=size, frames=frames)
    finally:
        if not stored:
            for key in keys:
                default_storage.delete(key)


def _upload(attempt: Attempt, path: Path, ext: str) -> str:
    return stored_from_scratch(f"{segments_folder(attempt.recording)}/{uuid.uuid4().hex}.{ext}", path)


def _add_segment(attempt: Attempt, span: Span, keys: list[str], *, size: int, frames: int) -> bool:
    """The segment's row, under the lease; the first segment makes the recording playable. Returns
    whether the row is this task's: a duplicate that lost the race, or a task whose recording was
    erased or rejected meanwhile, stores nothing."""
    high, low, tiles = keys
    try:
        with transaction.atomic():
            locked = pipeline.attempt_lock(attempt)
            if locked.status not in pipeline.IN_PROGRESS:
                return False
            Segment.objects.create(
                recording=locked,
                index=span.index,
                start_ms=round(span.start * 1000),
                end_ms=round(span.end * 1000),
                key=high,
                size=size,
                low_key=low,
                tiles_key=tiles,
                frames=frames,
            )
            done = Segment.objects.filter(recording=locked).count()
            pipeline.attempt_renew(attempt, progress=min(95, 5 + 90 * done // max(1, span.total)))
    except IntegrityError:
        return False
    if span.index == 0:
        pipeline.recording_mark_playable(attempt)
    return True


# --- the sound ------------------------------------------------------------------------------------------


def sound_encode(*, recording_id: str, token: str) -> dict[str, str] | None:
    """The whole film's sound for the join, stored beside the segments: ``{"high": key, "low": key}``."""
    attempt = attempt_resume(recording_id=recording_id, token=token)
    if attempt is None:
        return None
    try:
        with _costed(recording_id, "sound"), _own_folder(attempt, "sound") as folder:
            original = pipeline.original_local(attempt, folder)
            info = video.probe(original)
            outputs = SoundOutputs(high=folder / "high.m4a", low=folder / "low.m4a")
            encode_sound(
                original,
                info,
                outputs,
                pipeline.limits(),
                on_progress=_Heartbeat(attempt),
                stall_seconds=float(settings.RECORDING_STALL_SECONDS),
            )
            keys = {
                "high": _upload(attempt, outputs.high, "m4a"),
                "low": _upload(attempt, outputs.low, "m4a"),
            }
            _keep_only_in_processing(attempt, list(keys.values()))
            return keys
    except LeaseLost:
        return None
    except video.MediaRejected as exc:
        _reject_unless_playable(attempt, exc)
        return None


def _keep_only_in_processing(attempt: Attempt, keys: list[str]) -> None:
    """Delete ``keys`` again unless the attempt still holds the lease on a recording in processing (it
    may have been erased while the sound was encoded); ``LeaseLost`` then."""
    with transaction.atomic():
        locked = pipeline.attempt_held(attempt).select_for_update().first()
        if locked is not None and locked.status in pipeline.IN_PROGRESS:
            pipeline.attempt_renew(attempt)
            return
    for key in keys:
        default_storage.delete(key)
    raise LeaseLost


# --- the join -------------------------------------------------------------------------------------------


def segments_join(
    *, results: Sequence[Any], recording_id: str, token: str, spans: Sequence[dict[str, Any]]
) -> None:
    """Join the stored segments into the final renditions and mark the recording ready, then delete
    the segments. Ends the attempt: its lease is handed back."""
    attempt = attempt_resume(recording_id=recording_id, token=token)
    if attempt is None:
        return
    the_spans = [Span.from_json(span) for span in spans]
    sound = next((result for result in results if isinstance(result, dict)), None)
    try:
        with _costed(recording_id, "join"), _own_folder(attempt, "join") as folder:
            _join(attempt, the_spans, sound, folder)
        pipeline.recording_finish(attempt)
        segments_delete(recording=attempt.recording)
    except LeaseLost:
        logger.warning("Recording %s: lease lost or segments missing, the join stops", recording_id)
    except video.MediaRejected as exc:
        _reject_unless_playable(attempt, exc)
    # Not on other errors (storage): the task retries them, still holding the lease.
    pipeline.attempt_release(attempt)


def _join(attempt: Attempt, spans: list[Span], sound: dict[str, str] | None, folder: Path) -> None:
    segments = list(Segment.objects.filter(recording=attempt.recording).order_by("index"))
    if [segment.index for segment in segments] != [span.index for span in spans]:
        # A segment task gave up (stalled ffmpeg, storage down): the stall check starts a new attempt.
        raise LeaseLost
    if sum(segment.frames for segment in segments) > pipeline.limits().max_frames:
        raise video.MediaRejected(video.RejectReason.OVER_LIMIT, "frames of all segments")
    highs, lows, tile_folders = [], [], []
    for segment in segments:
        highs.append(_fetch(segment.key, folder / f"high-{segment.index:05d}.mp4"))
        lows.append(_fetch(segment.low_key, folder / f"low-{segment.index:05d}.mp4"))
        tile_folders.append(_untar(_fetch(segment.tiles_key, folder / f"tiles-{segment.index}.tar")))
    pipeline.attempt_renew(attempt)
    sounds = {name: _fetch(key, folder / f"sound-{name}.m4a") for name, key in (sound or {}).items()}
    stall = float(settings.RECORDING_STALL_SECONDS)
    outputs = {kind: folder / f"{kind}.mp4" for kind in (Kind.HIGH, Kind.LOW)}
    join_parts(highs, spans, sounds.get("high"), outputs[Kind.HIGH], stall_seconds=stall)
    join_parts(lows, spans, sounds.get("low"), outputs[Kind.LOW], stall_seconds=stall)
    pipeline.attempt_renew(attempt)
    _save_renditions(attempt, outputs, tile_folders, folder)


def _save_renditions(
    attempt: Attempt, outputs: dict[Kind, Path], tile_folders: list[Path], folder: Path
) -> None:
    recording = attempt.recording
    duration = (recording.duration_ms or 0) / 1000
    the_plan = video.plan(_as_probed(recording))
    missing = pipeline.renditions_missing(recording)
    # Poster and sprite first: storing a rendition moves its file away.
    stills: list[tuple[Kind, Path, video.Size | None, str]] = []
    if Kind.POSTER in missing:
        poster = folder / "poster.jpg"
        video.still(outputs[Kind.HIGH], at_ms=round(the_plan.poster_at * 1000), dst=poster)
        stills.append((Kind.POSTER, poster, the_plan.poster, ""))
    if Kind.SPRITE in missing or Kind.THUMBNAILS_VTT in missing:
        sprite = folder / "sprite.jpg"
        join_tiles(tile_folders, sprite, the_plan.sprite)
        vtt = folder / "thumbnails.vtt"
        vtt.write_text(video.thumbnails_vtt(the_plan.sprite, duration), encoding="utf-8")
        stills.append((Kind.SPRITE, sprite, pipeline.sprite_size(the_plan.sprite), ""))
        stills.append((Kind.THUMBNAILS_VTT, vtt, None, "vtt"))
    for kind, path in outputs.items():
        if kind in missing:
            pipeline.rendition_save(
                attempt, kind, path, video.verify_video(path, duration, pipeline.limits())
            )
    for kind, path, size, ext in stills:
        pipeline.rendition_save(attempt, kind, path, size, ext=ext)


def _as_probed(recording: Recording) -> video.Probe:
    """What the plan of the derived files needs, from the probe stored on the row (the join has no
    original at hand): the upright display size and the duration."""
    return video.Probe(
        format_name="mov",
        duration=(recording.duration_ms or 0) / 1000,
        start_time=0.0,
        video_index=0,
        coded_width=recording.width or 0,
        coded_height=recording.height or 0,
    )


def _fetch(key: str, destination: Path) -> Path:
    with default_storage.open(key, "rb") as stored, open(destination, "wb") as local:
        shutil.copyfileobj(stored, local, length=1024 * 1024)
    return destination


def _untar(archive_path: Path) -> Path:
    folder = archive_path.with_suffix("")
    folder.mkdir()
    with tarfile.open(archive_path) as archive:
        archive.extractall(folder, filter="data")
    return folder


def segments_delete(*, recording: Recording) -> None:
    """Delete the segments (rows, then every object in their folder): the final renditions replace
    them. Also what duplicates of a task left there."""
    Segment.objects.filter(recording=recording).delete()
    prefix = segments_folder(recording) + "/"
    for key in sorted(recording_stored_keys(recording)):
        if key.startswith(prefix):
            default_storage.delete(key)
