"""Fetch cycles and recordings on behalf of a user: the only way views reach them by id.

Outsiders get 404 (they must not learn that a family's film exists), too few rights 403; the rules
themselves live in ``organisations.rules``. The helper hands back what it decided (the viewer's relation
and allowed actions) so no page, workspace or playback service works it out again.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from audit.refusals import logs_refusals
from families.consent import consent_require
from organisations.models import User
from organisations.rules import Action, Relation, is_allowed, relation_to, visible_owners_filter
from recordings.models import Recording, VibCycle
from recordings.services import practice_allowed

# A refused film's access-log line names its organisation, family and the film itself.
logs_recording_refusals = functools.partial(
    logs_refusals,
    "recording",
    Recording,
    organisation="family__organisation_id",
    family="family__code",
    recording="pk",
)

# Films of families outside the training may only be made and used by certified VIB professionals.
_CERTIFICATE_ACTIONS = frozenset({Action.PLAY, Action.CHANGE})


@dataclass(frozen=True)
class RecordingAccess:
    """An authorised recording, how the viewer relates to its owner, and what the viewer may do with it."""

    recording: Recording
    relation: Relation
    actions: frozenset[Action]

    def allows(self, action: Action) -> bool:
        return action in self.actions

    @property
    def is_owner(self) -> bool:
        return self.relation is Relation.SELF

    @property
    def may_be_shown(self) -> bool:
        """The viewer may play it and the film may be shown now (``Recording.may_be_shown``)."""
        return Action.PLAY in self.actions and self.recording.may_be_shown()


def _allowed_actions(user: User, recording: Recording, relation: Relation) -> frozenset[Action]:
    allowed = {action for action in Action if is_allowed(user, relation, action)}
    if relation is Relation.SUPERVISOR and not user.gives_vib_supervision:
        allowed &= {Action.VIEW}  # a DMOP trainer neither watches VIB films nor gives VIB feedback
    practice = recording.purpose == Recording.Purpose.PRACTICE
    if practice and allowed & _CERTIFICATE_ACTIONS and not practice_allowed(recording.professional):
        allowed -= _CERTIFICATE_ACTIONS
    return frozenset(allowed)


@logs_recording_refusals()
def recording_access_for_user(
    user: User, recording_id: uuid.UUID | str, action: Action, request: HttpRequest | None = None
) -> RecordingAccess:
    """The recording ``recording_id`` with the viewer's relation and actions, if ``user`` may do ``action``.

    Http404 for outsiders and unknown ids, PermissionDenied for too few rights. Loads the owner, family
    (with its consents) and cycle with it, so callers need no further lookups. PLAY and CHANGE on a
    practice recording also need the owner's valid VIB certificate. PLAY (the film, its stills, clips,
    reels and annotations) also needs the family's consent: otherwise ConsentRefused (403, logged).
    """
    try:
        pk = uuid.UUID(str(recording_id))
    except ValueError:
        raise Http404 from None
    recording = (
        Recording.objects.select_related("professional__organisation", "family", "cycle")
        .prefetch_related("family__consents")
        .filter(pk=pk)
        .first()
    )
    if recording is None:
        raise Http404
    relation = relation_to(user, recording.professional)
    if relation is Relation.NONE:
        raise Http404
    actions = _allowed_actions(user, recording, relation)
    if action not in actions:
        raise PermissionDenied
    if action is Action.PLAY:
        consent_require(
            family=recording.family,
            user=user,
            relation=relation,
            object_type="recording",
            object_id=str(recording.pk),
            request=request,
        )
    return RecordingAccess(recording=recording, relation=relation, actions=actions)


def recording_for_user(
    user: User, recording_id: uuid.UUID | str, action: Action, request: HttpRequest | None = None
) -> Recording:
    """The recording alone, for callers that need no more than the yes/no of ``action``."""
    return recording_access_for_user(user, recording_id, action, request).recording


@logs_refusals("vib_cycle", VibCycle, organisation="professional__organisation_id")
def cycle_for_user(user: User, cycle_id: int | str, action: Action) -> VibCycle:
    """The VIB cycle ``cycle_id`` if ``user`` may do ``action`` on its professional's work."""
    try:
        pk = int(cycle_id)
    except (TypeError, ValueError):
        raise Http404 from None
    cycle = (
        VibCycle.objects.select_related("professional", "supervisor", "family", "enrolment")
        .filter(pk=pk)
        .first()
    )
    if cycle is None:
        raise Http404
    relation = relation_to(user, cycle.professional)
    if relation is Relation.NONE:
        raise Http404
    if not is_allowed(user, relation, action):
        raise PermissionDenied
    if relation is Relation.SUPERVISOR and action is not Action.VIEW and not user.gives_vib_supervision:
        raise PermissionDenied  # a DMOP trainer neither watches nor reviews VIB cycles
    return cycle


def recordings_visible_to(user: User) -> QuerySet[Recording]:
    """Recordings whose metadata ``user`` may see (one query; no per-row rule checks)."""
    return Recording.objects.filter(visible_owners_filter(user, prefix="professional__"))


def recording_for_owner(user: User, recording_id: uuid.UUID | str) -> RecordingAccess:
    """The recording if ``user`` made it: for pages only the professional sees (who viewed my film).

    Unlike CHANGE this needs no certificate: a professional may always see who accessed their work.
    """
    access = recording_access_for_user(user, recording_id, Action.VIEW)
    if not access.is_owner:
        raise PermissionDenied
    return access
