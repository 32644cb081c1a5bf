"""Annotations: write them, publish feedback, reply, and close a VIB cycle's review.

Validation lives here (not in the API) so pages, API and management code share one set of rules;
errors are ``ValidationError`` dicts keyed by field, with translated messages.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from annotations.access import Workspace
from annotations.models import TEXT_MAX_LENGTH, Annotation, Category
from annotations.review_media import media_delete_for_recording  # noqa: F401  (part of this app's contract)
from annotations.timecode import format_ms
from courses.models import CourseVersion, Enrolment
from families.models import ConsentPurpose
from notifications.services import notification_send, notification_send_grouped
from organisations.models import SupervisorAssignment, User
from organisations.rules import assigned_trainee_ids
from recordings.models import Recording

# Fields a caller may set when creating or editing an annotation.
EDITABLE_FIELDS = ("start_ms", "end_ms", "category", "contact", "text", "kind", "visibility", "linked_to")


# --- Vocabulary --------------------------------------------------------------------------------------------


def categories_for_recording(recording: Recording) -> QuerySet[Category]:
    """The vocabulary of the course version the professional follows, else the current one (1 query).

    The recording's kind chooses between the home-visit vocabulary and the nabespreking vocabulary.
    """
    enrolled = (
        Enrolment.objects.filter(professional_id=recording.professional_id, version__course__code="vib")
        .order_by("-started_on", "-pk")
        .values("version_id")[:1]
    )
    current = CourseVersion.objects.filter(course__code="vib", is_current=True).values("pk")[:1]
    return Category.objects.filter(
        course_version=Coalesce(Subquery(enrolled), Subquery(current)), recording_kind=recording.kind
    )


# --- Validation --------------------------------------------------------------------------------------------


def _time_errors(recording: Recording, start_ms: Any, end_ms: Any) -> dict[str, str]:
    errors: dict[str, str] = {}
    duration = recording.duration_ms
    if not isinstance(start_ms, int) or start_ms < 0:
        errors["start_ms"] = _("Give the start as a whole number of milliseconds, 0 or more.")
    elif duration is not None and start_ms >= duration:
        errors["start_ms"] = _("The start must lie within the recording (before %(end)s).") % {
            "end": format_ms(duration)
        }
    if end_ms is None or "start_ms" in errors:
        return errors
    if not isinstance(end_ms, int) or end_ms <= start_ms:
        errors["end_ms"] = _("The end must come after the start.")
    elif duration is not None and end_ms > duration:
        errors["end_ms"] = _("The end must lie within the recording (at most %(end)s).") % {
            "end": format_ms(duration)
        }
    return errors


def _text_errors(text: Any) -> dict[str, str]:
    if not isinstance(text, str) or not text.strip():
        return {"text": _("Write a text.")}
    if len(text) > TEXT_MAX_LENGTH:
        return {
            "text": _("Keep the text to %(limit)d characters at most (it has %(count)d).")
            % {"limit": TEXT_MAX_LENGTH, "count": len(text)}
        }
    return {}


def _category_errors(recording: Recording, category: Category | None) -> dict[str, str]:
    if category is None:
        return {"category": _("Choose a category.")}
    if category.course_version_id != _vocabulary_version_id(recording) or (
        category.recording_kind != recording.kind
    ):
        return {"category": _("This category is not part of the vocabulary for this recording.")}
    return {}


def _contact_errors(category: Category | None, contact: Any) -> dict[str, str]:
    if contact in ("", None):
        return {}
    if contact not in Annotation.Contact.values:
        return {"contact": _("Choose on (attuned contact) or off (a missed moment).")}
    if category is not None and not category.is_contact_principle:
        return {"contact": _("Only a contact principle is marked on or off.")}
    return {}


def _vocabulary_version_id(recording: Recording) -> int | None:
    category = categories_for_recording(recording).only("course_version_id").first()
    return category.course_version_id if category else None


def annotation_references(workspace: Workspace, user: User, values: dict[str, Any]) -> dict[str, Any]:
    """Turn the ``category`` and ``linked_to`` ids sent by a client into rows of this recording.

    Unknown ids, other recordings' annotations and other people's drafts give the same field error.
    """
    resolved = dict(values)
    if "category" in resolved:
        category = categories_for_recording(workspace.recording).filter(pk=resolved["category"]).first()
        if category is None:
            raise ValidationError(
                {"category": _("This category is not part of the vocabulary for this recording.")}
            )
        resolved["category"] = category
    if resolved.get("linked_to") is not None:
        linked = (
            Annotation.objects.visible_to(user)
            .filter(pk=resolved["linked_to"], recording=workspace.recording, parent__isnull=True)
            .first()
        )
        if linked is None:
            raise ValidationError({"linked_to": _("Link to a moment on the same recording.")})
        resolved["linked_to"] = linked
    return resolved


def _link_errors(
    annotation: Annotation | None, recording: Recording, linked: Annotation | None
) -> dict[str, str]:
    if linked is None:
        return {}
    if linked.recording_id != recording.pk or linked.parent_id is not None:
        return {"linked_to": _("Link to a moment on the same recording.")}
    if annotation is not None and linked.pk == annotation.pk:
        return {"linked_to": _("An annotation cannot be linked to itself.")}
    return {}


def _validate(
    workspace: Workspace, author: User, values: dict[str, Any], annotation: Annotation | None
) -> None:
    recording = workspace.recording
    errors = _time_errors(recording, values["start_ms"], values.get("end_ms"))
    errors |= _text_errors(values["text"])
    errors |= _category_errors(recording, values.get("category"))
    errors |= _contact_errors(values.get("category"), values.get("contact"))
    errors |= _link_errors(annotation, recording, values.get("linked_to"))
    if values["kind"] not in workspace.kinds:
        errors["kind"] = _("You cannot add this kind of annotation here.")
    if values["visibility"] not in Annotation.Visibility.values:
        errors["visibility"] = _("Choose draft or published.")
    linked = values.get("linked_to")
    if linked is not None and linked.is_draft and linked.author_id != author.pk:
        errors["linked_to"] = _("Link to a moment on the same recording.")
    if errors:
        raise ValidationError(errors)


# --- Writing -----------------------------------------------------------------------------------------------


def annotation_create(*, workspace: Workspace, author: User, **values: Any) -> Annotation:
    """Add a moment (``end_ms`` None) or a range to the recording; publishing at once notifies.

    ``values``: start_ms, end_ms, category, text, kind, visibility, linked_to (see EDITABLE_FIELDS).
    A supervisor's feedback starts as a draft unless ``visibility`` says otherwise.
    """
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not settable: {sorted(unknown)}")
    values = {"end_ms": None, "linked_to": None, **values}
    values["contact"] = values.get("contact") or ""
    values.setdefault(
        "visibility",
        Annotation.Visibility.DRAFT if workspace.may_give_feedback else Annotation.Visibility.PUBLISHED,
    )
    _validate(workspace, author, values, None)
    annotation = Annotation(recording=workspace.recording, author=author, **values)
    if not annotation.is_draft:
        annotation.published_at = timezone.now()
    annotation.save()
    if not annotation.is_draft:
        _notify_published(annotation, count=1)
    return annotation


def annotation_update(
    *, workspace: Workspace, annotation: Annotation, author: User, **changes: Any
) -> Annotation:
    """Edit the author's own annotation; a draft set to published is published (and notifies)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if annotation.parent_id is not None:
        return _reply_update(annotation, changes)
    values = {field: getattr(annotation, field) for field in EDITABLE_FIELDS} | changes
    if not annotation.is_draft and values["visibility"] == Annotation.Visibility.DRAFT:
        raise ValidationError({"visibility": _("Published annotations cannot go back to draft.")})
    _validate(workspace, author, values, annotation)
    publishing = annotation.is_draft and values["visibility"] == Annotation.Visibility.PUBLISHED
    for field, value in values.items():
        setattr(annotation, field, value)
    annotation.edited_at = timezone.now()
    if publishing:
        annotation.published_at = annotation.edited_at
    annotation.save()
    if publishing:
        _notify_published(annotation, count=1)
    return annotation


def _reply_update(reply: Annotation, changes: dict[str, Any]) -> Annotation:
    # A reply has no moment or category of its own: only its text can change.
    if set(changes) - {"text"}:
        raise ValidationError({"text": _("Only the text of a reply can be changed.")})
    errors = _text_errors(changes.get("text"))
    if errors:
        raise ValidationError(errors)
    reply.text = changes["text"]
    reply.edited_at = timezone.now()
    reply.save(update_fields=["text", "edited_at"])
    return reply


def annotation_publish(*, annotation: Annotation) -> Annotation:
    """Make a draft visible to everyone in the workspace and notify (idempotent)."""
    if not annotation.is_draft:
        return annotation
    annotation.visibility = Annotation.Visibility.PUBLISHED
    annotation.published_at = timezone.now()
    annotation.save(update_fields=["visibility", "published_at"])
    _notify_published(annotation, count=1)
    return annotation


def annotations_publish_drafts(*, workspace: Workspace, author: User) -> int:
    """Publish all of the author's drafts on a recording at once, with a single notification."""
    drafts = Annotation.objects.filter(
        recording=workspace.recording, author=author, visibility=Annotation.Visibility.DRAFT
    )
    first = drafts.order_by("start_ms", "pk").first()
    count = drafts.update(visibility=Annotation.Visibility.PUBLISHED, published_at=timezone.now())
    if first is not None:
        first.recording = workspace.recording
        _notify_published(first, count=count)
    return count


def annotation_reply(*, parent: Annotation, author: User, text: str) -> Annotation:
    """Answer a published annotation in its thread; the parent's author is notified."""
    errors = _text_errors(text)
    if errors:
        raise ValidationError(errors)
    reply = Annotation.objects.create(
        recording=parent.recording,
        author=author,
        parent=parent,
        start_ms=parent.start_ms,
        text=text,
        kind=Annotation.Kind.REPLY,
        visibility=Annotation.Visibility.PUBLISHED,
        published_at=timezone.now(),
    )
    if parent.author_id != author.pk:
        _notify(
            parent.author,
            "reply_added",
            parent.recording,
            workspace_url(parent.recording, parent.pk),
            name=author.full_name,
            time=format_ms(parent.start_ms),
        )
    return reply


def annotation_set_resolved(*, annotation: Annotation, resolved: bool) -> Annotation:
    annotation.resolved = resolved
    annotation.save(update_fields=["resolved"])
    return annotation


def annotation_delete(*, annotation: Annotation) -> None:
    """Remove the author's annotation and its thread; links to it are cleared (SET_NULL)."""
    annotation.delete()


# --- Notifications -----------------------------------------------------------------------------------------


def workspace_url(recording: Recording, annotation_id: int | None = None) -> str:
    url = reverse("annotations:workspace", args=[recording.pk])
    return f"{url}#annotation-{annotation_id}" if annotation_id else url


def _notify(user: User, message: str, recording: Recording, url: str, **params: Any) -> None:
    params["film"] = recording.created_at.isoformat()
    notification_send(user=user, message=message, params=params, recording=recording, url=url)


def _notify_published(annotation: Annotation, *, count: int) -> None:
    """Feedback reaches the trainee (one notification per film until read); a question, the supervisors."""
    recording = annotation.recording
    url = workspace_url(recording, annotation.pk)
    if annotation.kind == Annotation.Kind.FEEDBACK:
        notification_send_grouped(
            user=recording.professional,
            message="feedback_published",
            params={"count": count, "film": recording.created_at.isoformat()},
            recording=recording,
            url=url,
        )
    elif annotation.kind == Annotation.Kind.QUESTION and annotation.author_id == recording.professional_id:
        for supervisor in _active_supervisors(recording.professional):
            _notify(
                supervisor,
                "question_asked",
                recording,
                url,
                name=recording.professional.full_name,
                time=format_ms(annotation.start_ms),
            )


def _active_supervisors(professional: User) -> QuerySet[User]:
    ids = SupervisorAssignment.objects.active().filter(trainee=professional).values("supervisor_id")
    return User.objects.filter(pk__in=ids, is_active=True)


# --- The supervisor's queue and the cycle review -----------------------------------------------------------


def feedback_queue(supervisor: User) -> QuerySet[Recording]:
    """Training recordings of the supervisor's trainees awaiting feedback, oldest first (one query).

    Awaiting: playable and either part of a cycle not yet reviewed, or (outside a cycle) without any
    published feedback yet. Each row carries the supervisor's drafts and the trainee's replies.
    """
    published_feedback = Annotation.objects.filter(
        kind=Annotation.Kind.FEEDBACK, visibility=Annotation.Visibility.PUBLISHED
    ).values("recording_id")
    awaiting = Q(cycle__isnull=False, cycle__reviewed_at__isnull=True) | (
        Q(cycle__isnull=True) & ~Q(pk__in=published_feedback)
    )
    return (
        # Only films that may be shown now: a family that withdrew does not linger in the queue.
        Recording.objects.showable(ConsentPurpose.VIB_SUPERVISION, timezone.localdate())
        .filter(
            awaiting, professional__in=assigned_trainee_ids(supervisor), purpose=Recording.Purpose.TRAINING
        )
        .select_related("professional", "cycle", "family")
        .annotate(
            draft_count=_count(Q(author=supervisor, visibility=Annotation.Visibility.DRAFT)),
            feedback_count=_count(
                Q(kind=Annotation.Kind.FEEDBACK, visibility=Annotation.Visibility.PUBLISHED)
            ),
            open_reply_count=_count(
                Q(kind=Annotation.Kind.REPLY, parent__resolved=False) & ~Q(author=supervisor)
            ),
        )
        .order_by("created_at", "pk")
    )


def _count(condition: Q) -> Coalesce:
    counted = (
        Annotation.objects.filter(condition, recording=OuterRef("pk"))
        .order_by()
        .values("recording")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted), 0)
