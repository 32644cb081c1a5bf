"""The platform's authorisation rules, in one place.

Almost everything in the platform belongs to one professional: their enrolments, recordings, annotations,
certificates, DMOP records. Who may do what with it follows from the viewer's relation to that owner:

- SELF: the professional themself: everything.
- SUPERVISOR: a supervisor with an active assignment to the owner: view, play video, give feedback.
- COORDINATOR: a coordinator of the owner's organisation: view the training and certification records,
  never the video content (least privilege: a coordinator checks who is certified, not families' films).
- ADMINISTRATOR: a national administrator: view everything; video content only with a time-limited grant.
- NONE: an outsider, who must not even learn that the object exists (views answer 404).

Views never decide this themselves: every app fetches objects through an access helper
(``recording_for_user`` and the like) that calls ``relation_to`` and ``is_allowed`` below.
"""

from __future__ import annotations

import enum

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from organisations.models import SupervisorAssignment, User


class Relation(enum.StrEnum):
    SELF = "self"
    SUPERVISOR = "supervisor"
    COORDINATOR = "coordinator"
    ADMINISTRATOR = "administrator"
    NONE = "none"


class Action(enum.StrEnum):
    VIEW = "view"  # see records and metadata
    PLAY = "play"  # see or download video content (films, stills, clips)
    CHANGE = "change"  # create or edit the owner's own work (upload, analyse, delete)
    FEEDBACK = "feedback"  # supervisor feedback, attendance, review and sign-off
    MANAGE = "manage"  # organisation-level management (coordinator / administrator)


_ALLOWED: dict[Relation, frozenset[Action]] = {
    Relation.SELF: frozenset({Action.VIEW, Action.PLAY, Action.CHANGE}),
    Relation.SUPERVISOR: frozenset({Action.VIEW, Action.PLAY, Action.FEEDBACK}),
    Relation.COORDINATOR: frozenset({Action.VIEW, Action.MANAGE}),
    Relation.ADMINISTRATOR: frozenset({Action.VIEW, Action.MANAGE}),
    Relation.NONE: frozenset(),
}


def relation_to(user: User, owner: User) -> Relation:
    """The closest relation ``user`` has to the professional ``owner``; costs at most one query."""
    if not user.is_authenticated or not user.is_active:
        return Relation.NONE
    if user.pk == owner.pk:
        return Relation.SELF
    if (
        user.is_supervisor
        and SupervisorAssignment.objects.active().filter(supervisor=user, trainee=owner).exists()
    ):
        return Relation.SUPERVISOR
    if (
        user.is_coordinator
        and user.organisation_id is not None
        and user.organisation_id == owner.organisation_id
    ):
        return Relation.COORDINATOR
    if user.is_administrator:
        return Relation.ADMINISTRATOR
    return Relation.NONE


def is_allowed(user: User, relation: Relation, action: Action) -> bool:
    if relation is Relation.ADMINISTRATOR and action is Action.PLAY:
        return user.has_video_access_grant()
    return action in _ALLOWED[relation]


def check(user: User, owner: User, action: Action) -> Relation:
    """Raise Http404 for outsiders and PermissionDenied (403) for insufficient rights."""
    relation = relation_to(user, owner)
    if relation is Relation.NONE:
        raise Http404
    if not is_allowed(user, relation, action):
        raise PermissionDenied
    return relation


def visible_owners_filter(user: User, prefix: str = "") -> Q:
    """A Q that keeps the rows whose owner (reached through ``prefix``) ``user`` may VIEW.

    Lists use this instead of calling ``relation_to`` per row, so they stay one query.
    ``prefix`` is the lookup path from the listed model to the owning professional, e.g. "professional__".
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_administrator:
        return Q()
    condition = Q(**{f"{prefix}pk": user.pk})
    if user.is_supervisor:
        condition |= Q(**{f"{prefix}pk__in": assigned_trainee_ids(user)})
    if user.is_coordinator and user.organisation_id is not None:
        condition |= Q(**{f"{prefix}organisation_id": user.organisation_id})
    return condition


def assigned_trainee_ids(supervisor: User) -> QuerySet[SupervisorAssignment, int]:
    return (
        SupervisorAssignment.objects.active()
        .filter(supervisor=supervisor)
        .values_list("trainee_id", flat=True)
    )


def visible_professionals(user: User) -> QuerySet[User]:
    return User.objects.professionals().filter(visible_owners_filter(user))


def require_coordinator_of(user: User, organisation_id: int) -> None:
    """Organisation-wide pages: its coordinators and national administrators only."""
    if user.is_administrator:
        return
    if user.is_coordinator and user.organisation_id == organisation_id:
        return
    raise Http404
