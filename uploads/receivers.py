"""Where the bytes of an upload go while it is incomplete, one class per kind of default storage.

- ``LocalReceiver`` (file-system storage): append to a private file under ``DATA_DIR/uploads``; on the last
  byte the file is moved (a rename on the same disk) into the default storage.
- ``S3Receiver`` (django-storages S3): bytes go straight into an S3 multipart upload. S3 wants parts of at
  least 5 MiB (except the last), so the few MiB after the last whole part wait in a small spool file; the
  film is never staged whole on the web server's disk.

Both keep the database's ``Upload.offset`` as the truth: ``open()`` cuts off whatever a killed request
wrote beyond it, so a retry starting from the offset that HEAD reported never duplicates bytes.
"""

from __future__ import annotations

import contextlib
import mimetypes
import os
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage, storages
from storages.utils import clean_name

from uploads.models import Upload
from vibplatform.storage import storage_is_s3

MIB = 1024 * 1024
S3_MIN_PART = 5 * MIB
S3_MAX_PARTS = 10_000


def uploads_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _open_private(path: Path) -> BinaryIO:
    """Open (creating with mode 0600) a spool file for reading and writing without truncating it."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    return os.fdopen(descriptor, "r+b")


class _MovableFile(File[bytes]):
    """A File that FileSystemStorage moves into place (os.rename) instead of copying."""

    def temporary_file_path(self) -> str:
        return str(self.name)


class LocalReceiver:
    def __init__(self, upload: Upload) -> None:
        self.upload = upload
        self.path = uploads_dir() / str(upload.pk)
        self._file: BinaryIO | None = None

    def create(self) -> None:
        _open_private(self.path).close()

    def open(self) -> int:
        """Prepare to append at the recorded offset; returns the offset the stored bytes support."""
        self._file = _open_private(self.path)
        size = self._file.seek(0, os.SEEK_END)
        offset = min(size, self.upload.offset)
        self._file.truncate(offset)
        self._file.seek(offset)
        return offset

    def write(self, data: bytes) -> None:
        assert self._file is not None
        self._file.write(data)

    def close(self) -> int:
        """Make the received bytes durable; returns the new offset."""
        assert self._file is not None
        self._file.flush()
        os.fsync(self._file.fileno())
        offset = self._file.tell()
        self._file.close()
        self._file = None
        return offset

    def abandon(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def complete(self) -> str:
        with _MovableFile(open(self.path, "rb"), name=str(self.path)) as content:
            return default_storage.save(self.upload.storage_key, content)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


class S3Receiver:
    def __init__(self, upload: Upload) -> None:
        self.upload = upload
        self.path = uploads_dir() / f"{upload.pk}.part"
        self._spool: BinaryIO | None = None
        storage: Any = storages["default"]
        self.client = storage.connection.meta.client
        self.bucket = storage.bucket_name
        self.object_key = storage._normalize_name(clean_name(upload.storage_key))
        self.object_parameters = storage.get_object_parameters(upload.storage_key)

    @property
    def part_size(self) -> int:
        # Parts of 8 MiB, larger when a (configured) size limit would otherwise need too many parts.
        return max(8 * MIB, S3_MIN_PART, -(-self.upload.length // (S3_MAX_PARTS - 1)))

    def create(self) -> None:
        content_type = mimetypes.guess_type(self.upload.storage_key)[0] or "application/octet-stream"
        response = self.client.create_multipart_upload(
            Bucket=self.bucket, Key=self.object_key, ContentType=content_type, **self.object_parameters
        )
        self.upload.s3_upload_id = response["UploadId"]

    def open(self) -> int:
        self._spool = _open_private(self.path)
        size = self._spool.seek(0, os.SEEK_END)
        waiting = min(size, self.upload.offset - self.upload.parts_size)
        self._spool.truncate(waiting)
        self._spool.seek(waiting)
        return self.upload.parts_size + waiting

    def write(self, data: bytes) -> None:
        assert self._spool is not None
        self._spool.write(data)
        if self._spool.tell() >= self.part_size:
            self._send_part()

    def _send_part(self) -> None:
        assert self._spool is not None
        size = self._spool.tell()
        self._spool.flush()
        self._spool.seek(0)
        number = len(self.upload.parts) + 1
        response = self.client.upload_part(
            Bucket=self.bucket,
            Key=self.object_key,
            UploadId=self.upload.s3_upload_id,
            PartNumber=number,
            Body=self._spool,
            ContentLength=size,
        )
        self.upload.parts = [
            *self.upload.parts,
            {"PartNumber": number, "ETag": response["ETag"], "Size": size},
        ]
        self.upload.offset = self.upload.parts_size
        # Record the part before emptying the spool: a crash in between loses nothing (see open()).
        self.upload.save(update_fields=["parts", "offset"])
        self._spool.seek(0)
        self._spool.truncate(0)

    def close(self) -> int:
        assert self._spool is not None
        self._spool.flush()
        os.fsync(self._spool.fileno())
        offset = self.upload.parts_size + self._spool.tell()
        self._spool.close()
        self._spool = None
        return offset

    def abandon(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    def complete(self) -> str:
        self._spool = _open_private(self.path)
        if self._spool.seek(0, os.SEEK_END) or not self.upload.parts:
            self._send_part()
        self._spool.close()
        parts = [{"PartNumber": part["PartNumber"], "ETag": part["ETag"]} for part in self.upload.parts]
        self.client.complete_multipart_upload(
            Bucket=self.bucket,
            Key=self.object_key,
            UploadId=self.upload.s3_upload_id,
            MultipartUpload={"Parts": parts},
        )
        self.path.unlink(missing_ok=True)
        return self.upload.storage_key

    def discard(self) -> None:
        if self.upload.s3_upload_id:
            # Already completed or aborted: nothing left to free.
            with contextlib.suppress(self.client.exceptions.NoSuchUpload):
                self.client.abort_multipart_upload(
                    Bucket=self.bucket, Key=self.object_key, UploadId=self.upload.s3_upload_id
                )
        self.path.unlink(missing_ok=True)


Receiver = LocalReceiver | S3Receiver


def receiver_for(upload: Upload) -> Receiver:
    """The receiver of an upload; a new upload gets the kind that suits the current default storage."""
    if upload.s3_upload_id or (upload._state.adding and storage_is_s3()):
        return S3Receiver(upload)
    return LocalReceiver(upload)
