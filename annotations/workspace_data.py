"""The data block the player module (static/annotations/player.js) starts from.

Rendered into the page with ``json_script``: data, not code, so the Content-Security-Policy allows it and
annotation texts cannot break out of it (``<``, ``>`` and ``&`` are escaped).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.translation import gettext as _

from annotations.access import Workspace, annotation_permissions
from annotations.api import annotation_payload
from annotations.models import TEXT_MAX_LENGTH, Annotation, Category
from organisations.models import User
from recordings.playback import early_form_strings, early_form_url, playback_links_issue


def player_strings() -> dict[str, str]:
    """Texts the player writes itself; ``{name}`` placeholders are filled in by the script."""
    return {
        "play": _("Play"),
        "pause": _("Pause"),
        "speed_set": _("Speed {rate}×"),
        # Dutch and English have two plural forms: exactly one, and any other number (the script picks).
        "count_one": _("{count} annotation"),
        "count_other": _("{count} annotations"),
        "jump_to": _("Go to {time}, {category}"),
        "draft": _("Draft"),
        "resolved": _("Resolved"),
        "linked_to": _("Linked to {time} {category}"),
        "show_linked": _("Show linked moment"),
        "replies": _("Replies"),
        "publish": _("Publish"),
        "reply": _("Reply"),
        "resolve": _("Mark resolved"),
        "reopen": _("Reopen"),
        "edit": _("Edit"),
        "delete": _("Delete"),
        "reply_label": _("Your reply"),
        "send_reply": _("Send reply"),
        "new_annotation": _("New annotation"),
        "edit_annotation": _("Edit annotation"),
        "invalid_time": _("Write the time as m:ss.mmm, for example 1:05.250."),
        "save_failed": _("Saving did not work. Check your connection and try again; your text is kept."),
        "saved": _("Annotation saved at {time}."),
        "updated": _("Annotation changed."),
        "published": _("Published: the trainee can see it now."),
        "deleted": _("Annotation deleted."),
        "reply_sent": _("Reply sent."),
        "confirm_delete": _("Delete this annotation and its replies?"),
        "in_point_set": _("In point set at {time}. Press o at the end of the fragment."),
        "mark_in_first": _("Set an in point first (i), then the out point (o) after it."),
        "pick_for_reel": _("Choose for the reel"),
        "media_ordered": _("Being made; it appears under stills and clips when ready."),
        "media_failed": _("That did not work: {reason}"),
        "media_ready": _("The still or clip is ready to download."),
        "download": _("Download"),
        **early_form_strings(),
        "being_prepared": _(
            "The film is still being prepared for this browser; it can be watched here in a few minutes."
        ),
    }


def workspace_data(
    request: HttpRequest, user: User, workspace: Workspace, categories: list[Category]
) -> dict[str, Any]:
    """Everything the player needs for one recording: links, vocabulary, annotations, API addresses."""
    recording = workspace.recording
    annotations = Annotation.objects.filter(recording=recording).visible_to(user).for_workspace()
    # Issuing the links writes the access-log line for this viewing.
    links = playback_links_issue(request=request, user=user, recording=recording, relation=workspace.relation)
    return {
        "recording": {
            "id": str(recording.pk),
            "duration_ms": recording.duration_ms,
            "frame_rate": getattr(recording, "frame_rate", None),
        },
        "links": links,
        "categories": [
            {"id": c.pk, "name": c.name, "colour": c.colour, "description": c.description} for c in categories
        ],
        "annotations": [
            annotation_payload(annotation, annotation_permissions(user, workspace, annotation))
            for annotation in annotations
        ],
        "api": {
            "annotations": reverse("api-recording-annotations", args=[recording.pk]),
            "publish_drafts": reverse("api-recording-annotations-publish", args=[recording.pk]),
            "annotation_base": reverse("api-annotation", args=[0]).removesuffix("0/"),
            "review_media": reverse("api-review-media", args=[recording.pk]),
            "playback": reverse("recordings:playback", args=[recording.pk]),
            # Set while the film is still being encoded: the player plays the finished segments.
            "segments": early_form_url(recording, links),
        },
        "csrf_token": get_token(request),
        "max_text_length": TEXT_MAX_LENGTH,
        "strings": player_strings(),
    }
