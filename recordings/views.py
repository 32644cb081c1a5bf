from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from audit.models import AccessLogEntry
from audit.services import recording_created_log
from families.services import recording_create_with_consent
from organisations.http import AuthenticatedRequest
from organisations.models import User
from organisations.rules import Action
from recordings import playback
from recordings.access import (
    recording_access_for_user,
    recording_for_owner,
    recording_for_user,
    recordings_visible_to,
)
from recordings.forms import ConsentRecordingForm
from recordings.models import Recording, Rendition
from recordings.services import recording_upload_again

PAGE_SIZE = 50
_Issued = TypeVar("_Issued")


@login_required
@require_GET
def recording_list(request: AuthenticatedRequest) -> HttpResponse:
    recordings = recordings_visible_to(request.user).select_related("family", "professional")
    page = Paginator(recordings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "recordings/list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def recording_create(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not user.is_professional:
        raise PermissionDenied
    form = ConsentRecordingForm(request.POST or None, professional=user)
    if form.is_valid():
        try:
            recording = recording_create_with_consent(professional=user, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            recording_created_log(request, user, recording)
            messages.success(request, _("Consent recorded. Now upload the film."))
            return redirect("recordings:detail", recording.pk)
    return render(request, "recordings/create.html", {"form": form})


@login_required
@require_GET
def recording_detail(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    user = request.user
    access = recording_access_for_user(user, pk, Action.VIEW, request)
    recording = access.recording
    may_play = access.allows(Action.PLAY) and recording.is_playable
    links = (
        playback.playback_links_issue(
            request=request, user=user, recording=recording, relation=access.relation
        )
        if may_play
        else {}
    )
    context = {
        "recording": recording,
        "renditions": recording.renditions.all(),
        "links": links,
        # While the film is still being encoded the player plays its finished segments.
        "segments_url": playback.early_form_url(recording, links) if may_play else "",
        "early_strings": playback.early_form_strings(),
        "may_change": access.allows(Action.CHANGE),
        "is_owner": access.is_owner,
        "consent_state": recording.consent_state(),
    }
    return render(request, "recordings/detail.html", context)


@login_required
@require_http_methods(["POST"])
def recording_upload_again_view(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    """A rejected film: straight back to the upload page of the same recording (consent and cycle kept)."""
    recording = recording_for_user(request.user, pk, Action.CHANGE)
    try:
        recording_upload_again(recording=recording)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("recordings:detail", pk=recording.pk)
    return redirect("uploads:page", recording_id=recording.pk)


@login_required
@require_GET
def recording_status(request: AuthenticatedRequest, pk: str) -> JsonResponse:
    """Polled by the detail page while the film is processed: no content, no access-log line."""
    recording = recording_for_user(request.user, pk, Action.VIEW)
    return JsonResponse(status_payload(recording))


def status_payload(recording: Recording) -> dict[str, object]:
    return {
        "status": recording.status,
        "status_label": recording.get_status_display(),
        "progress": recording.progress,
        "rejection_reason": recording.rejection_reason,
        "is_playable": recording.is_playable,
        "renditions": [
            {"kind": r.kind, "status": r.status, "status_label": r.get_status_display()}
            for r in recording.renditions.all()
        ],
    }


def _issue_to_player(request: AuthenticatedRequest, pk: str, issue: Callable[..., _Issued]) -> _Issued:
    """What ``issue`` (a ``playback`` function) hands the player, for a user who may PLAY the film."""
    user = request.user
    access = recording_access_for_user(user, pk, Action.PLAY, request)
    return issue(request=request, user=user, recording=access.recording, relation=access.relation)


@login_required
@require_GET
def recording_playback(request: AuthenticatedRequest, pk: str) -> JsonResponse:
    """Fresh links for the player when the old ones expired mid-viewing; logged like every issue."""
    links = _issue_to_player(request, pk, playback.playback_links_issue)
    return JsonResponse({"links": links})


@login_required
@require_GET
def recording_segments(request: AuthenticatedRequest, pk: str) -> JsonResponse:
    """The finished segments of a film still being encoded, polled by the segmented player.

    Logged once per viewing, not per poll (``playback.segment_manifest_issue``).
    """
    manifest = _issue_to_player(request, pk, playback.segment_manifest_issue)
    response = JsonResponse(manifest)
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def recording_stream(request: AuthenticatedRequest, token: str) -> HttpResponseBase:
    """Serve one rendition or segment from local storage for a signed, unexpired link, with Range support."""
    try:
        grant = playback.stream_grant(token)
    except signing.SignatureExpired:
        raise PermissionDenied from None
    except signing.BadSignature:
        raise Http404 from None
    if request.user.is_authenticated and request.user.pk != grant.user_id:
        raise Http404
    user = User.objects.filter(pk=grant.user_id).first()
    if user is None:
        raise Http404
    # The rights are checked again: a supervisor whose assignment just ended loses the film at once.
    recording = recording_for_user(user, grant.recording_id, Action.PLAY, request)
    if not recording.may_be_shown():
        raise Http404
    if grant.kind == playback.SEGMENT:
        segment = (
            recording.segments.filter(index=grant.segment).first() if grant.segment is not None else None
        )
        if segment is None:
            raise Http404
        return playback.ranged_response(request, segment.key, "video/mp4")
    rendition = recording.renditions.filter(kind=grant.kind, status=Rendition.Status.DONE).first()
    if rendition is None:
        raise Http404
    if rendition.kind == Rendition.Kind.THUMBNAILS_VTT:
        return playback.thumbnails_vtt_response(request, recording, rendition, user)
    return playback.ranged_response(
        request, rendition.key, playback.CONTENT_TYPES[Rendition.Kind(rendition.kind)]
    )


@login_required
@require_GET
def recording_access_log(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    """Who viewed, exported or deleted my recording: the professional's own view of the access log."""
    recording = recording_for_owner(request.user, pk).recording
    entries = AccessLogEntry.objects.for_recording(str(recording.pk))
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "recordings/access_log.html", {"recording": recording, "page": page})
