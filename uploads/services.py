"""Receiving a recording's original film over tus: create, append, complete, terminate, expire."""

from __future__ import annotations

import datetime
import logging
import time
import uuid
from typing import BinaryIO

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from recordings.models import Recording
from recordings.services import recording_attach_original
from uploads.models import Upload
from uploads.receivers import Receiver, receiver_for
from uploads.tus import TusError

logger = logging.getLogger(__name__)

# Read the request body in pieces of this size: memory stays flat whatever the film's size.
READ_CHUNK = 1024 * 1024
# A PATCH holds its upload for this long, renewed while bytes keep arriving; a lock left behind by a
# killed process lapses by itself.
LOCK_LEASE = datetime.timedelta(minutes=2)
LOCK_RENEW_SECONDS = 30

# Containers phones, laptops and cameras produce. Only the extension survives from the client's filename
# (which may hold a family's name), and only when it is one of these.
VIDEO_EXTENSIONS = frozenset(
    {"mp4", "m4v", "mov", "qt", "webm", "mkv", "avi", "3gp", "3g2", "mts", "m2ts", "ts", "mpg", "mpeg"}
)


GONE_MESSAGE = gettext_lazy(
    "This upload was stopped and its bytes deleted: the recording no longer exists (for example because "
    "the family withdrew its consent). Nothing more needs to be sent."
)


def upload_url_for(recording: Recording) -> str:
    """The tus creation endpoint for ``recording`` (a path; clients resolve it against the site)."""
    return reverse("uploads:create", args=[recording.pk])


def _extension(metadata: dict[str, str]) -> str:
    filename = metadata.get("filename") or metadata.get("name") or ""
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    return extension if extension in VIDEO_EXTENSIONS else "bin"


def _expiry(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(hours=settings.UPLOAD_EXPIRE_HOURS)


def upload_create(*, recording: Recording, length: int, metadata: dict[str, str]) -> Upload:
    """Open an upload of ``length`` bytes for a recording that awaits its film.

    Refuses (before any byte is sent) an empty file, one over ``UPLOAD_MAX_BYTES`` (413) and a recording
    that already has its film (409). The metadata's filename is reduced to an allow-listed extension.
    """
    if recording.is_deleted:
        raise TusError(410, str(GONE_MESSAGE))
    if recording.status != Recording.Status.AWAITING_UPLOAD:
        raise TusError(409, _("This recording already has its film."))
    if length == 0:
        raise TusError(400, _("The file is empty."))
    if length > settings.UPLOAD_MAX_BYTES:
        limit_gb = settings.UPLOAD_MAX_BYTES / 1024**3
        raise TusError(413, _("The file is larger than the limit of %(limit).1f GB.") % {"limit": limit_gb})
    now = timezone.now()
    upload = Upload(
        id=uuid.uuid4(),
        recording=recording,
        length=length,
        storage_key=f"recordings/{recording.storage_prefix}/{uuid.uuid4().hex}.{_extension(metadata)}",
        created_at=now,
        expires_at=_expiry(now),
    )
    receiver_for(upload).create()
    upload.save(force_insert=True)
    return upload


def _claim(upload: Upload, offset: int) -> None:
    """Take the PATCH lock at ``offset``, or explain (409/423/410) why this request may not write."""
    now = timezone.now()
    if Upload.objects.claim(upload_id=upload.pk, offset=offset, now=now, lease=LOCK_LEASE):
        return
    upload.refresh_from_db()
    if upload.is_complete or upload.offset != offset:
        raise TusError(409, _("Upload-Offset does not match the upload's current offset."))
    raise TusError(423, _("Another request is sending bytes for this upload."))


def upload_receive(*, upload: Upload, offset: int, stream: BinaryIO, content_length: int) -> Upload:
    """Append the request body (``content_length`` bytes from ``stream``) at ``offset``; complete at the end.

    The body is read in 1 MiB pieces straight into the receiver. When the client goes away mid-request
    the bytes that did arrive are kept and the offset says so, as tus expects.
    """
    if offset != upload.offset or upload.is_complete:
        raise TusError(409, _("Upload-Offset does not match the upload's current offset."))
    if content_length > upload.length - offset:
        raise TusError(413, _("The request holds more bytes than the upload's announced length."))
    _claim(upload, offset)
    receiver = receiver_for(upload)
    try:
        if receiver.open() != offset:
            # The bytes behind the recorded offset are gone (a spool file on another disk): start over there.
            upload.offset = receiver.close()
            raise TusError(409, _("Upload-Offset does not match the upload's current offset."))
        _copy(stream, receiver, content_length, upload)
        upload.offset = receiver.close()
    except BaseException:
        # Keep the offset last recorded; the next request's open() cuts off whatever came after it.
        receiver.abandon()
        raise
    finally:
        upload.expires_at = _expiry(timezone.now())
        upload.locked_until = None
        still_there = Upload.objects.filter(pk=upload.pk).update(
            offset=upload.offset, parts=upload.parts, expires_at=upload.expires_at, locked_until=None
        )
        if not still_there:
            # Terminated while this request was sending: the family withdrew consent (everything of the
            # recording was erased) or the client itself gave up. A clear answer, not a 500.
            raise TusError(410, str(GONE_MESSAGE))  # noqa: B012 (replaces the storage error of the erased upload)
    if upload.offset == upload.length:
        _complete(upload, receiver)
    return upload


def _copy(stream: BinaryIO, receiver: Receiver, content_length: int, upload: Upload) -> None:
    received = 0
    renewed = time.monotonic()
    while received < content_length:
        try:
            chunk = stream.read(min(READ_CHUNK, content_length - received))
        except OSError:  # the client went away; keep what arrived
            return
        if not chunk:
            return
        receiver.write(chunk)
        received += len(chunk)
        if time.monotonic() - renewed > LOCK_RENEW_SECONDS:
            Upload.objects.filter(pk=upload.pk).update(locked_until=timezone.now() + LOCK_LEASE)
            renewed = time.monotonic()


def _complete(upload: Upload, receiver: Receiver) -> None:
    key = receiver.complete()
    with transaction.atomic():
        # Lock the recording: two uploads of one recording may finish at the same moment.
        recording = Recording.objects.select_for_update().get(pk=upload.recording_id)
        upload.completed_at = timezone.now()
        upload.save(update_fields=["completed_at"])
        superseded = recording.status != Recording.Status.AWAITING_UPLOAD
        if not superseded:
            recording_attach_original(recording=recording, key=key, size=upload.length)
    if superseded:
        default_storage.delete(key)
        raise TusError(409, _("This recording already has its film."))
    logger.info("upload %s complete: %d bytes for recording %s", upload.pk, upload.length, recording.pk)


def upload_terminate(*, upload: Upload) -> None:
    """Free an unfinished upload (tus termination): the multipart upload or temp file and the row."""
    if upload.is_complete:
        raise TusError(409, _("A completed upload cannot be terminated; delete the recording instead."))
    receiver_for(upload).discard()
    upload.delete()


def uploads_discard_unfinished(*, recording: Recording) -> int:
    """Free every unfinished upload of the recording (its film is being erased); returns how many.

    An S3 multipart upload in progress is invisible to a bucket listing: only aborting it frees its parts.
    A PATCH still sending bytes for one of them then ends with 404 (see ``upload_receive``).
    """
    unfinished = list(Upload.objects.filter(recording=recording, completed_at__isnull=True))
    for upload in unfinished:
        upload_terminate(upload=upload)
    return len(unfinished)


def uploads_expire(*, now: datetime.datetime | None = None) -> int:
    """Clean up every incomplete upload past its expiry; returns how many were removed."""
    removed = 0
    for upload in Upload.objects.expired(now or timezone.now()):
        receiver_for(upload).discard()
        upload.delete()
        removed += 1
    return removed
