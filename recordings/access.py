"""Fetch consents, cycles and recordings on behalf of a user: the only way views reach them by id.

Outsiders get 404 (they must not learn that a family's film exists), too few rights 403; the rules
themselves live in ``organisations.rules``.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from organisations.models import User
from organisations.rules import Action, Relation, check, relation_to, visible_owners_filter
from recordings.models import Consent, Recording, VibCycle

# Films of families outside the training may only be made and used by certified VIB professionals.
_CERTIFICATE_ACTIONS = frozenset({Action.PLAY, Action.CHANGE})


def practice_allowed(professional: User) -> bool:
    """Whether ``professional`` may film (and use films of) families outside the training."""
    from certification.access import has_valid_certificate

    return has_valid_certificate(professional, "vib")


def _check_recording(user: User, recording: Recording, action: Action) -> Relation:
    relation = check(user, recording.professional, action)
    if relation is Relation.SUPERVISOR and action is not Action.VIEW and not user.gives_vib_supervision:
        raise PermissionDenied  # a DMOP trainer neither watches VIB films nor gives VIB feedback
    if (
        action in _CERTIFICATE_ACTIONS
        and recording.purpose == Recording.Purpose.PRACTICE
        and not practice_allowed(recording.professional)
    ):
        raise PermissionDenied
    return relation


def recording_for_user(user: User, recording_id: uuid.UUID | str, action: Action) -> Recording:
    """The recording ``recording_id`` if ``user`` may do ``action`` with it; Http404 / PermissionDenied.

    Loads the owner, consent and cycle with it (one query) so callers need no further lookups.
    PLAY and CHANGE on a practice recording also need the owner's valid VIB certificate.
    """
    try:
        pk = uuid.UUID(str(recording_id))
    except ValueError:
        raise Http404 from None
    recording = (
        Recording.objects.select_related("professional__organisation", "consent", "cycle")
        .filter(pk=pk)
        .first()
    )
    if recording is None:
        raise Http404
    _check_recording(user, recording, action)
    return recording


def recording_relation(user: User, recording: Recording) -> Relation:
    """How ``user`` relates to an already authorised recording's owner (for the access log)."""
    return relation_to(user, recording.professional)


def may_play(user: User, recording: Recording) -> bool:
    """Whether ``user`` may see the video content of ``recording``, without raising."""
    return allows(user, recording, Action.PLAY)


def consent_for_user(user: User, consent_id: int | str, action: Action) -> Consent:
    """The consent ``consent_id`` if ``user`` may do ``action`` on its professional's work."""
    try:
        pk = int(consent_id)
    except (TypeError, ValueError):
        raise Http404 from None
    consent = Consent.objects.select_related("professional", "organisation").filter(pk=pk).first()
    if consent is None:
        raise Http404
    check(user, consent.professional, action)
    return consent


def cycle_for_user(user: User, cycle_id: int | str, action: Action) -> VibCycle:
    """The VIB cycle ``cycle_id`` if ``user`` may do ``action`` on its professional's work."""
    try:
        pk = int(cycle_id)
    except (TypeError, ValueError):
        raise Http404 from None
    cycle = VibCycle.objects.select_related("professional", "supervisor", "enrolment").filter(pk=pk).first()
    if cycle is None:
        raise Http404
    relation = check(user, cycle.professional, action)
    if relation is Relation.SUPERVISOR and action is not Action.VIEW and not user.gives_vib_supervision:
        raise PermissionDenied  # a DMOP trainer neither watches nor reviews VIB cycles
    return cycle


def recordings_visible_to(user: User) -> QuerySet[Recording]:
    """Recordings whose metadata ``user`` may see (one query; no per-row rule checks)."""
    return Recording.objects.filter(visible_owners_filter(user, prefix="professional__"))


def allows(user: User, recording: Recording, action: Action) -> bool:
    """Whether ``user`` may do ``action`` with an already fetched recording, without raising."""
    try:
        _check_recording(user, recording, action)
    except (Http404, PermissionDenied):
        return False
    return True


def recording_for_owner(user: User, recording_id: uuid.UUID | str) -> Recording:
    """The recording if ``user`` made it: for pages only the professional sees (who viewed my film).

    Unlike CHANGE this needs no certificate: a professional may always see who accessed their work.
    """
    recording = recording_for_user(user, recording_id, Action.VIEW)
    if recording.professional_id != user.pk:
        raise PermissionDenied
    return recording
