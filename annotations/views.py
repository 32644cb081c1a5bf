"""Pages of the annotation workspace: the player, a cycle side by side, the supervisor's feedback queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from annotations import cycles, services
from annotations.access import Workspace, may_review_cycle, review_media_for_user, workspace_for_user
from annotations.models import Annotation, ReviewMedia
from annotations.principles import contact_counts_for_cycle, contact_counts_for_family
from annotations.review_media import review_media_download
from annotations.workspace_data import workspace_data
from audit.outcome import ActionCode
from audit.services import annotation_access_log
from organisations.http import AuthenticatedRequest
from organisations.models import User
from organisations.rules import Action
from recordings.access import cycle_for_user
from recordings.models import Recording


def _panel(request: AuthenticatedRequest, user: User, workspace: Workspace, prefix: str) -> dict[str, object]:
    """One player with its annotations; a page may hold two (the cycle's film and its nabespreking)."""
    recording = workspace.recording
    categories = list(services.categories_for_recording(recording))
    annotation_access_log(request, user, ActionCode.READ, recording, workspace.relation)
    return {
        "prefix": prefix,
        "workspace": workspace,
        "recording": recording,
        "categories": categories,
        "kinds": [(kind, Annotation.Kind(kind).label) for kind in workspace.kinds],
        "data": workspace_data(request, user, workspace, categories) if recording.is_playable else None,
        "media": ReviewMedia.objects.filter(recording=recording),
    }


@login_required
@require_GET
def workspace(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    user = request.user
    current = workspace_for_user(user, pk, request)
    panel = _panel(request, user, current, "ws")
    return render(request, "annotations/workspace.html", {"panel": panel, "recording": current.recording})


@login_required
@require_GET
def cycle(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The home-visit film and its nabespreking side by side (whoever may play the professional's films)."""
    user = request.user
    the_cycle = cycle_for_user(user, pk, Action.PLAY)
    recordings = list(the_cycle.recordings.not_deleted().order_by("kind", "created_at"))
    panels = [
        _panel(request, user, workspace_for_user(user, recording.pk, request), f"ws{index}")
        for index, recording in enumerate(recordings)
    ]
    may_review = may_review_cycle(user, the_cycle)
    context = {
        "cycle": the_cycle,
        "panels": panels,
        "may_review": may_review,
        "checklist": cycles.cycle_checklist(the_cycle, user if may_review else None),
        "principles": contact_counts_for_cycle(the_cycle),
        "family_principles": contact_counts_for_family(the_cycle),
    }
    return render(request, "annotations/cycle.html", context)


@login_required
@require_POST
def cycle_mark_reviewed(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    the_cycle = cycle_for_user(user, pk, Action.FEEDBACK)
    try:
        cycles.cycle_mark_reviewed(cycle=the_cycle, supervisor=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The VIB cycle is marked as reviewed. It counts towards the trainee's training.")
        )
    return redirect("annotations:cycle", pk=the_cycle.pk)


@login_required
@require_POST
def cycle_unmark_reviewed(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    the_cycle = cycle_for_user(user, pk, Action.FEEDBACK)
    try:
        cycles.cycle_unmark_reviewed(cycle=the_cycle, supervisor=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The review of this cycle is undone; it no longer counts."))
    return redirect("annotations:cycle", pk=the_cycle.pk)


@login_required
@require_GET
def queue(request: AuthenticatedRequest) -> HttpResponse:
    """The supervisor's feedback queue: recordings of assigned trainees awaiting feedback, oldest first."""
    user = request.user
    if not user.is_supervisor:
        raise PermissionDenied
    recordings: list[Recording] = list(services.feedback_queue(user))
    return render(request, "annotations/queue.html", {"recordings": recordings})


@login_required
@require_GET
def media_download(request: AuthenticatedRequest, pk: int) -> HttpResponse | StreamingHttpResponse:
    user = request.user
    item, current = review_media_for_user(user, pk, request)
    return review_media_download(request=request, user=user, item=item, workspace=current)
