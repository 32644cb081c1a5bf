"""Fetch recordings for the annotation workspace, annotations and review media on behalf of a user.

The workspace shows video content, so everything here starts from ``recording_for_user(..., PLAY)``:
coordinators (no video content) get 403, outsiders 404. Who may write follows from the relation:
the owning professional writes their own analysis and questions, the assigned supervisor writes
feedback; both reply. An administrator with a video grant may watch but not write.
A draft is private to its author: to everyone else it does not exist (404).
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from annotations.models import Annotation, ReviewMedia
from audit.outcome import ActionCode
from audit.refusals import logs_refusals
from organisations.models import User
from organisations.rules import Action, Relation, relation_to
from recordings.access import logs_recording_refusals, recording_access_for_user
from recordings.models import Recording, VibCycle

_KINDS_BY_RELATION: dict[Relation, tuple[str, ...]] = {
    Relation.SELF: (Annotation.Kind.ANALYSIS, Annotation.Kind.QUESTION),
    Relation.SUPERVISOR: (Annotation.Kind.FEEDBACK, Annotation.Kind.QUESTION),
}


class AnnotationAction(enum.StrEnum):
    VIEW = "view"
    EDIT = "edit"  # change or delete: the author only
    PUBLISH = "publish"  # the author's own draft
    REPLY = "reply"
    RESOLVE = "resolve"


@dataclass(frozen=True)
class Workspace:
    """An authorised recording and how the user relates to its owner."""

    recording: Recording
    relation: Relation

    @property
    def may_write(self) -> bool:
        return self.relation in _KINDS_BY_RELATION

    @property
    def may_give_feedback(self) -> bool:
        return self.relation is Relation.SUPERVISOR

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of annotation this user may start (replies are made through ``reply``)."""
        return _KINDS_BY_RELATION.get(self.relation, ())


@logs_recording_refusals(action=ActionCode.READ)
def workspace_for_user(
    user: User, recording_id: uuid.UUID | str, request: HttpRequest | None = None
) -> Workspace:
    """The recording for its annotation workspace: whoever may PLAY it (404 outsiders, 403 coordinators,
    403 with an explanation once the family's consent no longer covers it)."""
    access = recording_access_for_user(user, recording_id, Action.PLAY, request)
    if access.recording.is_deleted:
        raise Http404
    return Workspace(recording=access.recording, relation=access.relation)


@logs_recording_refusals(action=ActionCode.CREATE)
def writable_workspace_for_user(
    user: User, recording_id: uuid.UUID | str, request: HttpRequest | None = None
) -> Workspace:
    """As ``workspace_for_user``, for creating annotations: the owner or an assigned supervisor (else 403)."""
    workspace = workspace_for_user(user, recording_id, request)
    if not workspace.may_write:
        raise PermissionDenied
    return workspace


def annotation_permissions(
    user: User, workspace: Workspace, annotation: Annotation
) -> frozenset[AnnotationAction]:
    """What ``user`` may do with one annotation of an authorised workspace; no queries."""
    if annotation.is_draft and annotation.author_id != user.pk:
        return frozenset()
    allowed = {AnnotationAction.VIEW}
    if not workspace.may_write:
        return frozenset(allowed)
    is_thread = annotation.parent_id is None
    if annotation.author_id == user.pk:
        allowed.add(AnnotationAction.EDIT)
        if annotation.is_draft:
            allowed.add(AnnotationAction.PUBLISH)
    if is_thread and not annotation.is_draft:
        allowed |= {AnnotationAction.REPLY, AnnotationAction.RESOLVE}
    return frozenset(allowed)


@logs_refusals(
    "annotation",
    Annotation,
    organisation="recording__family__organisation_id",
    family="recording__family__code",
    recording="recording_id",
)
def annotation_for_user(
    user: User, annotation_id: int | str, action: AnnotationAction, request: HttpRequest | None = None
) -> tuple[Annotation, Workspace]:
    """The annotation ``annotation_id`` and its workspace if ``user`` may do ``action`` with it.

    404 for outsiders and for other people's drafts (their existence is not revealed), 403 when the
    user may see the annotation but not do ``action``.
    """
    try:
        pk = int(annotation_id)
    except (TypeError, ValueError):
        raise Http404 from None
    annotation = Annotation.objects.select_related("author").filter(pk=pk).first()
    if annotation is None:
        raise Http404
    workspace = workspace_for_user(user, annotation.recording_id, request)
    annotation.recording = workspace.recording
    allowed = annotation_permissions(user, workspace, annotation)
    if AnnotationAction.VIEW not in allowed:
        raise Http404
    if action not in allowed:
        raise PermissionDenied
    return annotation, workspace


@logs_refusals(
    "review_media",
    ReviewMedia,
    organisation="recording__family__organisation_id",
    family="recording__family__code",
    recording="recording_id",
    action=ActionCode.READ,
)
def review_media_for_user(
    user: User, media_id: int | str, request: HttpRequest | None = None
) -> tuple[ReviewMedia, Workspace]:
    """A still, clip or reel for downloading, with its workspace: whoever may PLAY its recording."""
    try:
        pk = int(media_id)
    except (TypeError, ValueError):
        raise Http404 from None
    media = ReviewMedia.objects.filter(pk=pk).first()
    if media is None:
        raise Http404
    workspace = workspace_for_user(user, media.recording_id, request)
    media.recording = workspace.recording
    return media, workspace


def may_review_cycle(user: User, cycle: VibCycle) -> bool:
    """Whether ``user`` may mark ``cycle`` reviewed: an assigned VIB supervisor of its professional.

    Whether the review is accepted is the checklist's decision (``annotations.cycles``)."""
    return relation_to(user, cycle.professional) is Relation.SUPERVISOR and user.gives_vib_supervision
