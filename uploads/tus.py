"""The tus 1.0.0 wire format: header names, parsing and errors. No models here.

We speak core + creation + termination + expiration (https://tus.io/protocols/resumable-upload).
Every request except OPTIONS carries ``Tus-Resumable: 1.0.0`` and every response except OPTIONS answers it.
"""

from __future__ import annotations

import base64
import binascii
import datetime
from email.utils import format_datetime

from django.utils.translation import gettext as _

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,termination,expiration"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"


class TusError(Exception):
    """A protocol-level refusal: the view answers ``status`` with ``message`` as plain text."""

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def parse_length(value: str | None, header: str) -> int:
    """A non-negative whole number from a header (Upload-Length, Upload-Offset); 400 otherwise."""
    # Only ASCII digits: "²".isdigit() is true, and int("²") raises.
    if value is None or not (value.isascii() and value.isdigit()):
        raise TusError(400, _("%(header)s must be a non-negative integer.") % {"header": header})
    return int(value)


def parse_metadata(header: str | None) -> dict[str, str]:
    """Decode ``Upload-Metadata``: comma-separated ``key base64value`` pairs (the value may be absent)."""
    metadata: dict[str, str] = {}
    for pair in (header or "").split(","):
        pair = pair.strip()
        if not pair:
            continue
        key, _space, encoded = pair.partition(" ")
        if not key or key in metadata or " " in encoded.strip():
            raise TusError(400, _("Upload-Metadata is malformed."))
        try:
            metadata[key] = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise TusError(400, _("Upload-Metadata values must be base64-encoded UTF-8.")) from exc
    return metadata


def http_date(moment: datetime.datetime) -> str:
    """RFC 7231 date, the format of ``Upload-Expires``."""
    return format_datetime(moment.astimezone(datetime.UTC), usegmt=True)
