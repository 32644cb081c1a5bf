"""The worker's part of the review media: cut the still, clip or reel that was asked for, store it.

Called by ``annotations.tasks.make_review_media`` only; the request side (``annotations.review_media``)
enqueues that task, so this module imports neither of them.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annotations import media
from annotations.models import ReviewMedia
from recordings import video as recording_media
from recordings.models import Recording, Rendition

logger = logging.getLogger(__name__)


def source_rendition(recording: Recording) -> Rendition | None:
    """The rendition stills and clips are cut from: high if done, else low. Same timeline as the original."""
    done = [
        r for r in recording.renditions.all() if r.status == Rendition.Status.DONE and r.is_video and r.key
    ]
    done.sort(key=lambda rendition: rendition.kind != Rendition.Kind.HIGH)
    return done[0] if done else None


def review_media_make(*, media_id: int) -> None:
    """Cut the still, clip or reel; store it; mark it done. Safe to run twice (a redelivered task)."""
    item = ReviewMedia.objects.select_related("recording").filter(pk=media_id).first()
    if item is None or item.status != ReviewMedia.Status.PENDING:
        return
    rendition = source_rendition(item.recording)
    if rendition is None or item.recording.is_deleted:
        _finish(item, status=ReviewMedia.Status.FAILED, error=_("The film is no longer available."))
        return
    with tempfile.TemporaryDirectory(prefix="vib-review-media-") as folder:
        src = Path(folder) / "source.mp4"
        with default_storage.open(rendition.key, "rb") as stored, src.open("wb") as local:
            shutil.copyfileobj(stored, local, length=1024 * 1024)
        dst = Path(folder) / f"result.{item.extension}"
        try:
            method = _render(item, src, dst, Path(folder))
        except (
            recording_media.MediaRejected,
            recording_media.MediaStalled,
            subprocess.SubprocessError,
        ) as error:
            logger.warning("review media %s failed: %s", item.pk, type(error).__name__)
            _finish(item, status=ReviewMedia.Status.FAILED, error=_("This fragment could not be made."))
            return
        key = f"recordings/{item.recording.storage_prefix}/{uuid.uuid4().hex}.{item.extension}"
        size = dst.stat().st_size
        with dst.open("rb") as result:
            key = default_storage.save(key, File(result))
    _finish(item, status=ReviewMedia.Status.DONE, key=key, size=size, method=method)


def _render(item: ReviewMedia, src: Path, dst: Path, folder: Path) -> str:
    if item.kind == ReviewMedia.Kind.STILL:
        recording_media.still(src, at_ms=item.start_ms, dst=dst)
        return ""
    if item.kind == ReviewMedia.Kind.CLIP:
        assert item.end_ms is not None
        return media.clip(src, start_ms=item.start_ms, end_ms=item.end_ms, dst=dst)
    parts = []
    for index, (start, end) in enumerate(item.moments):
        part = folder / f"part-{index}.mp4"
        recording_media.clip(src, start_ms=start, end_ms=end, dst=part)
        parts.append(part)
    recording_media.concat(parts, dst=dst)
    return "encode"


def _finish(item: ReviewMedia, *, status: str, **fields: Any) -> None:
    """Record the outcome, unless someone else got there first: then our file is surplus and goes."""
    with transaction.atomic():
        current = ReviewMedia.objects.select_for_update().filter(pk=item.pk).first()
        if current is None or current.status != ReviewMedia.Status.PENDING:
            if fields.get("key"):
                default_storage.delete(fields["key"])
            return
        current.status = status
        current.done_at = timezone.now()
        for name, value in fields.items():
            setattr(current, name, value)
        current.save(update_fields=["status", "done_at", *fields])
