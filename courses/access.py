"""Access to enrolments, requirements and evidence, always through the central rules.

Outsiders get 404 (they must not learn that an enrolment exists), insufficient rights 403: a professional
may mark their own study module done (CHANGE) but never register their own attendance (FEEDBACK); a
coordinator views but never signs off; a supervisor acts only for trainees with an active assignment.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from courses.models import (
    Course,
    Enrolment,
    Evidence,
    Requirement,
    SupervisionParticipant,
    SupervisionSession,
)
from organisations.models import Organisation, SupervisorAssignment, User
from organisations.rules import (
    Action,
    Relation,
    check,
    relation_to,
    require_coordinator_of,
    visible_owners_filter,
)


def enrolment_for_user(user: User, enrolment_id: int, action: Action) -> tuple[Enrolment, Relation]:
    """Fetch an enrolment on behalf of ``user`` for ``action``: 404 for outsiders, 403 for too few rights."""
    enrolment = (
        Enrolment.objects.select_related("professional__organisation", "version__course", "supervisor")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None:
        raise Http404
    relation = check(user, enrolment.professional, action)
    if action is Action.FEEDBACK and relation is Relation.SUPERVISOR and not may_sign_off(user, enrolment):
        raise PermissionDenied
    return enrolment, relation


def may_sign_off(user: User, enrolment: Enrolment) -> bool:
    """The kind is enforced: a DMOP trainer signs off DMOP parts only, a VIB supervisor VIB parts only."""
    if enrolment.version.course.code == Course.Code.VIB:
        return user.gives_vib_supervision
    return user.gives_dmop_training


def assignment_for_user(user: User, assignment_id: int) -> SupervisorAssignment:
    """An enrolment's assignment for its coordinator or an administrator (MANAGE); 404 / 403 otherwise."""
    assignment = (
        SupervisorAssignment.objects.select_related("enrolment__professional", "supervisor")
        .filter(pk=assignment_id, enrolment__isnull=False)
        .first()
    )
    if assignment is None:
        raise Http404
    check(user, assignment.trainee, Action.MANAGE)
    return assignment


def requirement_for_enrolment(enrolment: Enrolment, requirement_id: int, *kinds: str) -> Requirement:
    """A requirement of the enrolment's own version (and of one of ``kinds``), else 404.

    Evidence always points at a requirement of the enrolment's version: a newer version never
    receives evidence for an older enrolment and the other way round.
    """
    requirement = Requirement.objects.filter(
        pk=requirement_id, version_id=enrolment.version_id, kind__in=kinds
    ).first()
    if requirement is None:
        raise Http404
    return requirement


def evidence_for_user(user: User, evidence_id: int, action: Action) -> Evidence:
    """Fetch one evidence row with its enrolment and requirement: 404 for outsiders, 403 for too few rights."""
    evidence = (
        Evidence.objects.select_related(
            "enrolment__professional__organisation",
            "enrolment__version__course",
            "requirement",
            "recorded_by",
        )
        .filter(pk=evidence_id)
        .first()
    )
    if evidence is None:
        raise Http404
    check(user, evidence.enrolment.professional, action)
    return evidence


def visible_enrolments(user: User) -> QuerySet[Enrolment]:
    """Enrolments whose professional ``user`` may view, in one query."""
    return Enrolment.objects.filter(visible_owners_filter(user, prefix="professional__"))


def overview_organisation_for_user(user: User, organisation_id: int | None) -> Organisation | None:
    """The organisation shown on the coordinator overview.

    Coordinators see only their own organisation; national administrators choose one (or all, ``None``).
    Anybody else gets 404, as does a coordinator asking for another organisation.
    """
    if user.is_administrator:
        if organisation_id is None:
            return None
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation is None:
            raise Http404
        return organisation
    if not user.is_coordinator or user.organisation_id is None:
        raise Http404
    require_coordinator_of(user, organisation_id if organisation_id is not None else user.organisation_id)
    return user.organisation


def session_for_user(user: User, session_id: int) -> tuple[SupervisionSession, bool]:
    """A supervision session with whether ``user`` led it (``True``) or takes part in it (``False``).

    Its supervisors and its trainees open it, and national administrators read it. A coordinator of a
    trainee learns only that it took place (on the enrolment page): 403 here. Anyone else: 404.
    """
    session = (
        SupervisionSession.objects.prefetch_related("supervisors", "participants__enrolment__professional")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404
    if any(person.pk == user.pk for person in session.supervisors.all()):
        return session, True
    trainees = [participant.enrolment.professional for participant in session.participants.all()]
    if any(trainee.pk == user.pk for trainee in trainees) or user.is_administrator:
        return session, False
    if any(relation_to(user, trainee) is Relation.COORDINATOR for trainee in trainees):
        raise PermissionDenied
    raise Http404


def participant_for_trainee(user: User, participant_id: int) -> SupervisionParticipant:
    """The trainee's own participation in a session (to write a learning question or reflection)."""
    participant = (
        SupervisionParticipant.objects.select_related("session", "enrolment__professional")
        .filter(pk=participant_id)
        .first()
    )
    if participant is None:
        raise Http404
    if participant.enrolment.professional_id != user.pk:
        session_for_user(user, participant.session_id)  # 404 / 403 for those who may not see the session
        raise PermissionDenied
    return participant
