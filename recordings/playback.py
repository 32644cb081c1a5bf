"""Short-lived playback links and the ranged file responses behind them.

With S3 storage a link is a presigned URL (at most ``SIGNED_URL_SECONDS``, five minutes). With local
storage it is a signed token (recording, rendition kind, user) for the ``recordings:stream`` view, which
checks the rights again and streams the file with HTTP Range support. Either way the link is a bearer
token for a few minutes, like a presigned URL: a <video> element cannot send an API token.
Issuing links writes one NEN 7513 line; the fetches of the link do not (S3 cannot tell us about them,
and a player makes hundreds of Range requests per viewing).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, TypeVar

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse

from audit.outcome import ActionCode, Decision, Outcome
from audit.services import recording_access_log, video_grant_grounds
from organisations.models import User
from organisations.rules import Relation
from recordings.models import Recording, Rendition
from vibplatform.storage import storage_is_s3

_SALT = "recordings.playback"
_Response = TypeVar("_Response", HttpResponse, StreamingHttpResponse)
CHUNK_SIZE = 256 * 1024
CONTENT_TYPES = {
    Rendition.Kind.HIGH: "video/mp4",
    Rendition.Kind.LOW: "video/mp4",
    Rendition.Kind.HEVC: "video/mp4",
    Rendition.Kind.POSTER: "image/jpeg",
    Rendition.Kind.SPRITE: "image/jpeg",
    Rendition.Kind.THUMBNAILS_VTT: "text/vtt",
}


@dataclass(frozen=True)
class StreamGrant:
    recording_id: str
    kind: str
    user_id: int


def stream_token(*, recording: Recording, kind: str, user: User) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object({"r": str(recording.pk), "k": kind, "u": user.pk})


def stream_grant(token: str) -> StreamGrant:
    """Decode a local playback token; raises signing.SignatureExpired or signing.BadSignature."""
    payload = signing.TimestampSigner(salt=_SALT).unsign_object(token, max_age=settings.SIGNED_URL_SECONDS)
    return StreamGrant(recording_id=str(payload["r"]), kind=str(payload["k"]), user_id=int(payload["u"]))


def _link(request: HttpRequest | None, recording: Recording, rendition: Rendition, user: User) -> str:
    # The thumbnails track always comes through our view, which writes the sprite's own link into it.
    if storage_is_s3() and rendition.kind != Rendition.Kind.THUMBNAILS_VTT:
        parameters = {
            "ResponseContentType": CONTENT_TYPES[Rendition.Kind(rendition.kind)],
            "ResponseCacheControl": "private, no-store",
        }
        storage: Any = default_storage  # S3Storage.url takes arguments that Storage.url lacks
        return str(storage.url(rendition.key, parameters=parameters, expire=settings.SIGNED_URL_SECONDS))
    path = reverse(
        "recordings:stream", args=[stream_token(recording=recording, kind=rendition.kind, user=user)]
    )
    return request.build_absolute_uri(path) if request is not None else path


def playback_links_issue(
    *, request: HttpRequest | None, user: User, recording: Recording, relation: Relation
) -> dict[str, str]:
    """Links per finished rendition for a user the access helper authorised to PLAY (in ``relation``); one access-log line.

    No links unless the film may be shown now (``Recording.may_be_shown``: playable, and the family's
    consent still covers it; the daily retention run may not have deleted it yet).

    A copied HEVC picture also gets ``hevc_codecs``: the RFC 6381 codecs string the player asks the
    browser about (``MediaSource.isTypeSupported``) before it chooses that link.
    """
    links: dict[str, str] = {}
    renditions: list[Rendition] = []
    if recording.may_be_shown():
        renditions = [r for r in recording.renditions.all() if r.status == Rendition.Status.DONE and r.key]
        links = {r.kind: _link(request, recording, r, user) for r in renditions}
        links |= {f"{r.kind}_codecs": r.codecs for r in renditions if r.codecs}
    recording_access_log(
        request=request,
        user=user,
        action=ActionCode.READ,
        recording=recording,
        outcome=Outcome(
            decision=Decision.GRANTED if links else Decision.NOTHING_ISSUED,
            relation=str(relation),
            consent=recording.consent_state(),
            grounds=video_grant_grounds(user, relation),
            details={"renditions": sorted(r.kind for r in renditions)},
        ),
    )
    return links


def thumbnails_vtt_response(
    request: HttpRequest, recording: Recording, vtt: Rendition, user: User
) -> HttpResponse:
    """The thumbnails track with every cue naming the sprite by its own short-lived absolute link.

    The stored track says ``sprite.jpg#xywh=...`` (its links expire, so none can be stored); any
    player that reads WebVTT thumbnails can then load the sprite without knowing our conventions.
    """
    sprite = recording.renditions.filter(kind=Rendition.Kind.SPRITE, status=Rendition.Status.DONE).first()
    if sprite is None:
        raise Http404
    link = _link(request, recording, sprite, user)
    with default_storage.open(vtt.key, "rb") as stored:
        text = stored.read().decode("utf-8")
    text = re.sub(r"^sprite\.jpg#", lambda _match: f"{link}#", text, flags=re.MULTILINE)
    return _private(HttpResponse(text, content_type="text/vtt; charset=utf-8"))


# --- HTTP Range (RFC 9110 section 14) -------------------------------------------------------------------

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class RangeNotSatisfiable(Exception):
    pass


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive byte range asked for, or None for the whole file.

    A malformed header or several ranges are ignored (whole file, 200), as the RFC allows; a range that
    starts past the end raises RangeNotSatisfiable (416).
    """
    match = _RANGE.match((header or "").strip())
    if match is None:
        return None
    first, last = match.groups()
    if not first:
        if not last:
            return None
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable
        return max(0, size - suffix), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size:
        raise RangeNotSatisfiable
    if start > end:
        return None
    return start, end


def _read_range(file: IO[bytes], start: int, length: int) -> Iterator[bytes]:
    try:
        file.seek(start)
        remaining = length
        while remaining > 0:
            chunk = file.read(min(CHUNK_SIZE, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        file.close()


def ranged_response(
    request: HttpRequest, key: str, content_type: str
) -> HttpResponse | StreamingHttpResponse:
    """Stream a stored file, whole (200) or the requested byte range (206), never reading it whole."""
    size = default_storage.size(key)
    try:
        requested = parse_range(request.headers.get("Range"), size)
    except RangeNotSatisfiable:
        refusal = HttpResponse(status=416)
        refusal["Content-Range"] = f"bytes */{size}"
        return _private(refusal)
    file = default_storage.open(key, "rb")
    response: HttpResponse | StreamingHttpResponse
    if requested is None:
        response = FileResponse(file, content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        start, end = requested
        response = StreamingHttpResponse(
            _read_range(file, start, end - start + 1), content_type=content_type, status=206
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    return _private(response)


def _private(response: _Response) -> _Response:
    response["Cache-Control"] = "private, no-store"
    return response
