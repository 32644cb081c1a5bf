"""Stills, clips and review reels: asked for here, made by a Celery worker (``annotations.making``) from
the recording's playable rendition.

They are video content of a family, so they live beside the film (same random storage folder, same
protection, deleted with it) and every download is written to the NEN 7513 access log.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.translation import gettext as _

from annotations.access import Workspace
from annotations.making import source_rendition
from annotations.models import Annotation, ReviewMedia
from annotations.tasks import make_review_media
from annotations.timecode import format_ms
from audit.outcome import ActionCode, granted
from audit.services import recording_access_log
from organisations.models import User
from recordings import playback
from recordings.models import Recording
from vibplatform.storage import storage_is_s3

# Short fragments for a conversation with parents, not a way to copy the whole film.
MAX_CLIP_MS = 5 * 60_000
MAX_REEL_MOMENTS = 20
MAX_REEL_MS = 10 * 60_000
# A moment (no range) in a reel: a little lead-in, then the moment itself.
MOMENT_BEFORE_MS = 1000
MOMENT_AFTER_MS = 4000


def reel_moments(recording: Recording, annotations: list[Annotation]) -> list[list[int]]:
    duration = recording.duration_ms or 0
    moments = []
    for annotation in sorted(annotations, key=lambda a: (a.start_ms, a.pk)):
        start = max(0, annotation.start_ms - (0 if annotation.end_ms else MOMENT_BEFORE_MS))
        end = annotation.end_ms or annotation.start_ms + MOMENT_AFTER_MS
        moments.append([start, min(end, duration) if duration else end])
    return moments


def _range_errors(recording: Recording, start_ms: int, end_ms: int | None, kind: str) -> dict[str, str]:
    duration = recording.duration_ms or 0
    if start_ms < 0 or start_ms >= duration:
        return {
            "start_ms": _("The start must lie within the recording (before %(end)s).")
            % {"end": format_ms(duration)}
        }
    if kind != ReviewMedia.Kind.CLIP:
        return {}
    if end_ms is None or end_ms <= start_ms:
        return {"end_ms": _("The end must come after the start.")}
    if end_ms > duration:
        return {
            "end_ms": _("The end must lie within the recording (at most %(end)s).")
            % {"end": format_ms(duration)}
        }
    if end_ms - start_ms > MAX_CLIP_MS:
        return {
            "end_ms": _("A clip can be at most %(minutes)d minutes long.")
            % {"minutes": MAX_CLIP_MS // 60_000}
        }
    return {}


def _reel_errors(moments: list[list[int]]) -> dict[str, str]:
    if not moments:
        return {"annotations": _("Choose at least one moment for the reel.")}
    if len(moments) > MAX_REEL_MOMENTS:
        return {"annotations": _("Choose at most %(count)d moments.") % {"count": MAX_REEL_MOMENTS}}
    if sum(end - start for start, end in moments) > MAX_REEL_MS:
        return {
            "annotations": _("The reel would be longer than %(minutes)d minutes.")
            % {"minutes": MAX_REEL_MS // 60_000}
        }
    return {}


def review_media_request(
    *,
    workspace: Workspace,
    user: User,
    kind: str,
    start_ms: int = 0,
    end_ms: int | None = None,
    annotations: list[Annotation] | None = None,
    request: Any = None,
) -> ReviewMedia:
    """Order a still (at ``start_ms``), a clip (``start_ms``..``end_ms``) or a reel of ``annotations``.

    The file is made by a worker after the transaction commits; the row says when it is ready.
    """
    recording = workspace.recording
    if source_rendition(recording) is None:
        raise ValidationError({"kind": _("The film is not ready for stills and clips yet.")})
    moments: list[list[int]] = []
    if kind == ReviewMedia.Kind.REEL:
        moments = reel_moments(recording, annotations or [])
        errors = _reel_errors(moments)
        start_ms, end_ms = (moments[0][0], moments[-1][1]) if moments else (0, None)
    elif kind in (ReviewMedia.Kind.STILL, ReviewMedia.Kind.CLIP):
        errors = _range_errors(recording, start_ms, end_ms, kind)
    else:
        errors = {"kind": _("Choose a still, a clip or a reel.")}
    if errors:
        raise ValidationError(errors)
    item = ReviewMedia.objects.create(
        recording=recording,
        created_by=user,
        kind=kind,
        start_ms=start_ms,
        end_ms=end_ms if kind != ReviewMedia.Kind.STILL else None,
        moments=moments,
    )
    _log(request, user, item, "C", workspace)
    transaction.on_commit(lambda: make_review_media.delay(item.pk))
    return item


def _log(request: Any, user: User, item: ReviewMedia, action_code: str, workspace: Workspace) -> None:
    recording_access_log(
        request=request,
        user=user,
        action=ActionCode(action_code),
        recording=workspace.recording,
        object_type=f"review_media:{item.kind}",
        object_id=item.pk,
        outcome=granted(workspace.relation),
    )


def review_media_download(
    *, request: Any, user: User, item: ReviewMedia, workspace: Workspace
) -> HttpResponse | StreamingHttpResponse:
    """Log the download (E) and hand out the file; 404 while it is not made yet."""
    if not item.is_done:
        raise Http404
    _log(request, user, item, "E", workspace)
    return review_media_response(item, request)


# --- Deleting and downloading ------------------------------------------------------------------------------


def media_delete_for_recording(*, recording: Recording) -> int:
    """Delete the recording's stills, clips and reels (objects and rows) and its annotations.

    Called by ``families.erasure.recording_erase``: the annotations describe the family's film
    moment by moment, so they are content too and do not outlive it. Returns the objects deleted.
    """
    items = list(ReviewMedia.objects.filter(recording=recording))
    for item in items:
        if item.key:
            default_storage.delete(item.key)
    ReviewMedia.objects.filter(pk__in=[item.pk for item in items]).delete()
    # Replies first: they point at their parents.
    Annotation.objects.filter(recording=recording, parent__isnull=False).delete()
    Annotation.objects.filter(recording=recording).delete()
    return len(items)


def download_name(item: ReviewMedia) -> str:
    # Nothing personal in the name: no family code, no date of the visit.
    return f"{item.kind}-{format_ms(item.start_ms).replace(':', '-')}.{item.extension}"


def review_media_response(item: ReviewMedia, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The file, the way recordings are played: a short-lived presigned S3 link, or streamed from
    private storage with HTTP Range support (a clip plays in a <video> element too)."""
    name = download_name(item)
    content_type = "image/jpeg" if item.kind == ReviewMedia.Kind.STILL else "video/mp4"
    if storage_is_s3():
        storage: Any = default_storage  # S3Storage.url takes arguments that Storage.url lacks
        url = storage.url(
            item.key,
            parameters={
                "ResponseContentDisposition": f'attachment; filename="{name}"',
                "ResponseContentType": content_type,
                "ResponseCacheControl": "private, no-store",
            },
            expire=settings.SIGNED_URL_SECONDS,
        )
        return HttpResponseRedirect(url)
    response: HttpResponse | StreamingHttpResponse = playback.ranged_response(request, item.key, content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
