"""Annotations as WebVTT (a chapters/metadata track for any player) and as CSV for Excel.

Both contain remarks about a family's film, so each export is written to the NEN 7513 access log (E).
Only published annotations are exported: a draft is not finished work and stays with its author.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from annotations.access import Workspace
from annotations.models import Annotation, Category
from annotations.services import categories_for_recording
from annotations.timecode import format_ms, vtt_timestamp
from audit.outcome import ActionCode, granted
from audit.services import recording_access_log
from organisations.models import User
from vibplatform.spreadsheet import spreadsheet_cell

# A point annotation becomes a cue of this length, so players show it for a moment.
POINT_CUE_MS = 3000


def annotations_export(*, request: Any, user: User, workspace: Workspace, export_format: str) -> str:
    """The recording's published annotations as "vtt" or "csv" text; logs the export."""
    annotations = list(
        Annotation.objects.filter(recording=workspace.recording, visibility=Annotation.Visibility.PUBLISHED)
        .select_related("author")
        .order_by("start_ms", "pk")
    )
    categories = {category.pk: category for category in categories_for_recording(workspace.recording)}
    if export_format == "vtt":
        body = annotations_vtt(annotations, categories, workspace.recording.duration_ms)
    else:
        body = annotations_csv(annotations, categories)
    recording_access_log(
        request=request,
        user=user,
        action=ActionCode.EXECUTE,
        recording=workspace.recording,
        object_type="annotations",
        outcome=granted(workspace.relation, format=export_format, count=len(annotations)),
    )
    return body


def vtt_escape(text: str) -> str:
    """Cue text: escape the three markup characters and drop blank lines (a blank line ends a cue)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "\n".join(
        line for line in escaped.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()
    )


def _label(annotation: Annotation, categories: dict[int, Category]) -> str:
    category = categories.get(annotation.category_id) if annotation.category_id else None
    kind = Annotation.Kind(annotation.kind).label
    return f"[{kind}] {category.name}" if category else f"[{kind}]"


def annotations_vtt(
    annotations: list[Annotation], categories: dict[int, Category], duration_ms: int | None
) -> str:
    lines = ["WEBVTT", ""]
    for annotation in annotations:
        if annotation.parent_id is not None:
            continue  # replies belong to their thread, not on the timeline
        end = annotation.end_ms or annotation.start_ms + POINT_CUE_MS
        if duration_ms:
            end = max(min(end, duration_ms), annotation.start_ms + 1)
        lines += [
            f"annotation-{annotation.pk}",
            f"{vtt_timestamp(annotation.start_ms)} --> {vtt_timestamp(end)}",
            vtt_escape(f"{_label(annotation, categories)}: {annotation.text}"),
            "",
        ]
    return "\n".join(lines)


def annotations_csv(annotations: list[Annotation], categories: dict[int, Category]) -> str:
    """Semicolon-separated with a byte order mark and CRLF: what Excel in a Dutch locale opens directly."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Id"),
            _("Start"),
            _("End"),
            _("Start (ms)"),
            _("End (ms)"),
            _("Category"),
            _("Kind"),
            _("Text"),
            _("Author"),
            _("Reply to"),
            _("Linked to"),
            _("Resolved"),
            _("Created at"),
        ]
    )
    for annotation in annotations:
        category = categories.get(annotation.category_id) if annotation.category_id else None
        writer.writerow(
            [
                annotation.pk,
                format_ms(annotation.start_ms),
                format_ms(annotation.end_ms) if annotation.end_ms is not None else "",
                annotation.start_ms,
                annotation.end_ms if annotation.end_ms is not None else "",
                spreadsheet_cell(category.name if category else ""),
                Annotation.Kind(annotation.kind).label,
                spreadsheet_cell(annotation.text),
                spreadsheet_cell(annotation.author.full_name),
                annotation.parent_id or "",
                annotation.linked_to_id or "",
                _("yes") if annotation.resolved else _("no"),
                timezone.localtime(annotation.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return out.getvalue()
