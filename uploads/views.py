"""tus 1.0.0 endpoints for a recording's film, and the upload page that drives them from the browser.

Authentication: a DRF token (``Authorization: Token ...``: tuspy, scripts, apps) or the browser session.
The endpoints are exempt from Django's CSRF check because tus clients send no CSRF token. That is safe
because every request except OPTIONS must carry the ``Tus-Resumable`` header: a page on another site
cannot add a custom header (nor send PATCH/DELETE) without a CORS preflight, and we answer no preflight
with ``Access-Control-Allow-*``, so the browser never sends such a request with our session cookie.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from rest_framework.exceptions import AuthenticationFailed

from organisations.models import User
from organisations.rules import Action
from organisations.tokens import ApiTokenAuthentication
from recordings.access import recording_for_user
from recordings.models import Recording
from uploads.access import upload_for_user
from uploads.models import Upload
from uploads.services import upload_create, upload_receive, upload_terminate, upload_url_for
from uploads.tus import (
    OFFSET_CONTENT_TYPE,
    TUS_EXTENSIONS,
    TUS_VERSION,
    TusError,
    http_date,
    parse_length,
    parse_metadata,
)

TusView = Callable[..., HttpResponse]


def _tus_user(request: HttpRequest) -> User:
    try:
        authenticated = ApiTokenAuthentication().authenticate(request)  # type: ignore[arg-type]
    except AuthenticationFailed as exc:
        raise TusError(401, str(exc.detail)) from exc
    if authenticated is not None:
        user: User = authenticated[0]
        return user
    if request.user.is_authenticated:
        return request.user
    raise TusError(401, _("Log in or send an API token."))


def _options() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Tus-Version"] = TUS_VERSION
    response["Tus-Extension"] = TUS_EXTENSIONS
    response["Tus-Max-Size"] = str(settings.UPLOAD_MAX_BYTES)
    return response


def _answer(
    request: HttpRequest, methods: tuple[str, ...], view: TusView, kwargs: dict[str, Any]
) -> HttpResponse:
    if request.method not in methods:
        response = HttpResponse(status=405)
        response["Allow"] = ", ".join((*methods, "OPTIONS"))
        return response
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        response = HttpResponse(_("Tus-Resumable 1.0.0 required."), status=412)
        response["Tus-Version"] = TUS_VERSION
        return response
    try:
        return view(request, _tus_user(request), **kwargs)
    except TusError as error:
        response = HttpResponse(error.message, status=error.status, content_type="text/plain; charset=utf-8")
        if error.status == 401:
            response["WWW-Authenticate"] = "Token"
        return response
    except Http404:
        return HttpResponse(status=404)
    except PermissionDenied:
        return HttpResponse(status=403)


def tus_endpoint(*methods: str) -> Callable[[TusView], TusView]:
    """Protocol plumbing shared by the tus views: OPTIONS, version check, authentication, error answers."""

    def decorate(view: TusView) -> TusView:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            if request.method == "OPTIONS":
                return _options()
            response = _answer(request, methods, view, kwargs)
            response["Tus-Resumable"] = TUS_VERSION
            response["Cache-Control"] = "no-store"
            return response

        return wrapper

    return decorate


@tus_endpoint("POST")
def create(request: HttpRequest, user: User, recording_id: str) -> HttpResponse:
    """tus creation: announce the film's length (and metadata); answers the upload's URL."""
    recording = recording_for_user(user, recording_id, Action.CHANGE)
    if "Upload-Defer-Length" in request.headers:
        raise TusError(400, _("Upload-Defer-Length is not supported."))
    length = parse_length(request.headers.get("Upload-Length"), "Upload-Length")
    metadata = parse_metadata(request.headers.get("Upload-Metadata"))
    upload = upload_create(recording=recording, length=length, metadata=metadata)
    response = HttpResponse(status=201)
    response["Location"] = request.build_absolute_uri(reverse("uploads:resource", args=[upload.pk]))
    response["Upload-Expires"] = http_date(upload.expires_at)
    return response


@tus_endpoint("HEAD", "PATCH", "DELETE")
def resource(request: HttpRequest, user: User, upload_id: str) -> HttpResponse:
    """tus core (HEAD: where are we; PATCH: more bytes) and termination (DELETE)."""
    upload = upload_for_user(user, upload_id, Action.CHANGE)
    if request.method == "DELETE":
        upload_terminate(upload=upload)
        return HttpResponse(status=204)
    if upload.is_expired(timezone.now()):
        raise TusError(410, _("This upload has expired; start again."))
    if request.method == "PATCH":
        upload = _patch(request, upload)
    return _state(upload, status=204 if request.method == "PATCH" else 200)


def _patch(request: HttpRequest, upload: Upload) -> Upload:
    if request.content_type != OFFSET_CONTENT_TYPE:
        raise TusError(415, _("Content-Type must be %(type)s.") % {"type": OFFSET_CONTENT_TYPE})
    offset = parse_length(request.headers.get("Upload-Offset"), "Upload-Offset")
    content_length = parse_length(request.META.get("CONTENT_LENGTH") or None, "Content-Length")
    # The request itself is the stream: request.body would hold the whole chunk in memory.
    return upload_receive(upload=upload, offset=offset, stream=request, content_length=content_length)  # type: ignore[arg-type]


def _state(upload: Upload, status: int) -> HttpResponse:
    response = HttpResponse(status=status)
    response["Upload-Offset"] = str(upload.offset)
    response["Upload-Length"] = str(upload.length)
    if not upload.is_complete:
        response["Upload-Expires"] = http_date(upload.expires_at)
    return response


@login_required
@require_GET
def page(request: HttpRequest, recording_id: str) -> HttpResponse:
    """The upload page: choose or film the video, watch it go up, resume after a reload."""
    recording = recording_for_user(request.user, recording_id, Action.CHANGE)  # type: ignore[arg-type]
    done_url = reverse("recordings:detail", args=[recording.pk])
    if recording.status != Recording.Status.AWAITING_UPLOAD:
        return redirect(done_url)
    context = {
        "recording": recording,
        "create_url": upload_url_for(recording),
        "done_url": done_url,
        "max_bytes": settings.UPLOAD_MAX_BYTES,
    }
    return render(request, "uploads/page.html", context)
