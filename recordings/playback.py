"""Short-lived playback links and the ranged file responses behind them.

With S3 storage a link is a presigned URL (at most ``SIGNED_URL_SECONDS``, five minutes). With local
storage it is a signed token (recording, rendition kind, user) for the ``recordings:stream`` view, which
checks the rights again and streams the file with HTTP Range support. Either way the link is a bearer
token for a few minutes, like a presigned URL: a <video> element cannot send an API token.
Issuing links writes one NEN 7513 line; the fetches of the link do not (S3 cannot tell us about them,
and a player makes hundreds of Range requests per viewing).

While a film is still being encoded, its finished segments (``Segment``) are issued the same way, as a
manifest the segmented player polls (``segment_manifest_issue``, logged once per viewing rather than per
poll); a local token then names the segment.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any, TypeVar

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AccessLogEntry
from audit.outcome import ActionCode, Decision, Detail, Outcome
from audit.services import recording_access_log, video_grant_grounds
from organisations.models import User
from organisations.rules import Relation
from recordings.models import Recording, Rendition, Segment
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


# The kind a local token names for a segment of the high rendition (with the segment's index).
SEGMENT = "segment"
# The codecs of the H.264 high rendition and its segments: High profile and AAC-LC. Browsers take the
# decoder settings from the segment's own init segment; this string only has to name what they must support.
H264_HIGH = "avc1.640028"
AAC_LC = "mp4a.40.2"


@dataclass(frozen=True)
class StreamGrant:
    recording_id: str
    kind: str
    user_id: int
    segment: int | None = None


def stream_token(*, recording: Recording, kind: str, user: User, segment: int | None = None) -> str:
    payload: dict[str, object] = {"r": str(recording.pk), "k": kind, "u": user.pk}
    if segment is not None:
        payload["s"] = segment
    return signing.TimestampSigner(salt=_SALT).sign_object(payload)


def stream_grant(token: str) -> StreamGrant:
    """Decode a local playback token; raises signing.SignatureExpired or signing.BadSignature."""
    payload = signing.TimestampSigner(salt=_SALT).unsign_object(token, max_age=settings.SIGNED_URL_SECONDS)
    segment = payload.get("s")
    return StreamGrant(
        recording_id=str(payload["r"]),
        kind=str(payload["k"]),
        user_id=int(payload["u"]),
        segment=None if segment is None else int(segment),
    )


def _presigned(key: str, content_type: str) -> str:
    parameters = {"ResponseContentType": content_type, "ResponseCacheControl": "private, no-store"}
    storage: Any = default_storage  # S3Storage.url takes arguments that Storage.url lacks
    return str(storage.url(key, parameters=parameters, expire=settings.SIGNED_URL_SECONDS))


def _stream_link(request: HttpRequest | None, token: str) -> str:
    path = reverse("recordings:stream", args=[token])
    return request.build_absolute_uri(path) if request is not None else path


def _link(request: HttpRequest | None, recording: Recording, rendition: Rendition, user: User) -> str:
    # The thumbnails track always comes through our view, which writes the sprite's own link into it.
    if storage_is_s3() and rendition.kind != Rendition.Kind.THUMBNAILS_VTT:
        return _presigned(rendition.key, CONTENT_TYPES[Rendition.Kind(rendition.kind)])
    return _stream_link(request, stream_token(recording=recording, kind=rendition.kind, user=user))


def _segment_link(request: HttpRequest | None, recording: Recording, segment: Segment, user: User) -> str:
    if storage_is_s3():
        return _presigned(segment.key, "video/mp4")
    token = stream_token(recording=recording, kind=SEGMENT, user=user, segment=segment.index)
    return _stream_link(request, token)


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
    issued: list[str] = []
    if recording.may_be_shown():
        renditions = [r for r in recording.renditions.all() if r.status == Rendition.Status.DONE and r.key]
        links = {r.kind: _link(request, recording, r, user) for r in renditions}
        issued = sorted(links)
        links |= {f"{r.kind}_codecs": r.codecs for r in renditions if r.codecs}
    _issue_log(request, user, recording, relation, issued=issued)
    return links


def segment_manifest_issue(
    *, request: HttpRequest | None, user: User, recording: Recording, relation: Relation
) -> dict[str, object]:
    """The finished segments of the high rendition with a short-lived link each; one log line per viewing.

    For a user the access helper authorised to PLAY, under the rule of ``playback_links_issue``: no
    links unless the film may be shown now. ``complete`` says the whole high rendition is done, so the
    player can move over to it. Two queries whatever the number of segments, besides the log's.

    The player polls the manifest every few seconds while the film is encoded; a line per poll would bury
    the log. So a poll writes no line when the same user already has a manifest line for this film with the
    same decision within the links' lifetime: every link handed out then lies within ``SIGNED_URL_SECONDS``
    of a logged issue. The server decides this from the log itself; nothing the client sends can skip it.
    """
    segments: list[Segment] = []
    if recording.may_be_shown():
        segments = list(recording.segments.order_by("index"))
    issued = ["segments"] if segments else []
    if not _manifest_logged_recently(user, recording, issued=issued):
        _issue_log(request, user, recording, relation, issued=issued, count=len(segments))
    codecs = f"{H264_HIGH}, {AAC_LC}" if recording.has_audio is not False else H264_HIGH
    return {
        "complete": recording.renditions.filter(kind=Rendition.Kind.HIGH, status=Rendition.Status.DONE)
        .exclude(key="")
        .exists(),
        "duration": (recording.duration_ms or 0) / 1000,
        "mime": f'video/mp4; codecs="{codecs}"',
        "segments": [
            {
                "index": segment.index,
                "start": segment.start_ms / 1000,
                "end": segment.end_ms / 1000,
                "url": _segment_link(request, recording, segment, user),
            }
            for segment in segments
        ],
    }


# Finished H.264 renditions, which every browser plays; while none is issued, the segments stand in (also
# beside an HEVC copy, for the browsers that cannot decode HEVC: the player asks the browser first).
_VIDEO_KINDS = frozenset({Rendition.Kind.HIGH, Rendition.Kind.LOW})


def early_form_url(recording: Recording, links: Mapping[str, str]) -> str:
    """The segment manifest's address when ``links`` (just issued) hold no film but segments are finished.

    Empty otherwise: pages then play the renditions as before. Called only with links issued to a user
    who may PLAY the film.
    """
    if _VIDEO_KINDS & links.keys() or not recording.may_be_shown() or not recording.segments.exists():
        return ""
    return reverse("recordings:segments", args=[recording.pk])


def early_form_strings() -> dict[str, str]:
    """The quiet notice under the early form: one text for exactly one minute or second, one for any other
    number, and the player picks by ``count === 1``.

    Our languages (Dutch and English) have just these two plural forms; a language with other plural
    rules would need Django's JavaScript catalog and ``ngettext`` in the script.
    """
    return {
        "early_minutes_one": _("Still being prepared: the first minute can be watched."),
        "early_minutes_other": _("Still being prepared: the first {count} minutes can be watched."),
        "early_seconds_one": _("Still being prepared: the first second can be watched."),
        "early_seconds_other": _("Still being prepared: the first {count} seconds can be watched."),
    }


def _manifest_logged_recently(user: User, recording: Recording, *, issued: list[str]) -> bool:
    """Whether ``user`` has a manifest line for ``recording`` with this decision within the links' lifetime.

    Only manifest lines count (they carry a segment count): the detail page's own line may have issued no
    film at all. The same decision only: segments handed out after a "nothing issued" poll get their line.
    """
    since = timezone.now() - datetime.timedelta(seconds=settings.SIGNED_URL_SECONDS)
    return (
        AccessLogEntry.objects.for_recording(str(recording.pk))
        .filter(
            user=user,
            action_code=ActionCode.READ,
            timestamp__gte=since,
            outcome__decision=_decision(issued),
            outcome__details__has_key="segments",
        )
        .exists()
    )


def _decision(issued: list[str]) -> Decision:
    return Decision.GRANTED if issued else Decision.NOTHING_ISSUED


def _issue_log(
    request: HttpRequest | None,
    user: User,
    recording: Recording,
    relation: Relation,
    *,
    issued: list[str],
    count: int | None = None,
) -> None:
    """The NEN 7513 line for one issue of playback links (``issued``: the kinds handed out, if any)."""
    details: dict[str, Detail] = {"renditions": issued}
    if count is not None:
        details["segments"] = count
    recording_access_log(
        request=request,
        user=user,
        action=ActionCode.READ,
        recording=recording,
        outcome=Outcome(
            decision=_decision(issued),
            relation=str(relation),
            consent=recording.consent_state(),
            grounds=video_grant_grounds(user, relation),
            details=details,
        ),
    )


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
