"""Access to cohorts and their training days.

A cohort belongs to one organisation and is managed by that organisation's coordinators. A training day
is also seen by its trainer (often an external AIT or DMOP trainer), who registers attendance for the
whole group; the coordinator plans the day but never registers attendance. Anyone else: 404. A national
administrator may look at a training day (403 for the rest: they manage in the admin site).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from courses.models import Cohort, TrainingDay
from organisations.models import User
from organisations.rules import Action


def _is_coordinator_of(user: User, organisation_id: int) -> bool:
    return user.is_active and user.is_coordinator and user.organisation_id == organisation_id


def require_cohort_manager(user: User) -> int:
    """The organisation whose cohorts ``user`` manages: coordinators only, 403 for anyone else."""
    if not user.is_active or not user.is_coordinator or user.organisation_id is None:
        raise PermissionDenied
    return user.organisation_id


def cohorts_managed_by(user: User) -> QuerySet[Cohort]:
    return Cohort.objects.filter(organisation_id=require_cohort_manager(user))


def cohort_for_user(user: User, cohort_id: int) -> Cohort:
    """A cohort of the coordinator's organisation: 404 for outsiders, 403 for an administrator."""
    cohort = Cohort.objects.select_related("organisation", "version__course").filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    if _is_coordinator_of(user, cohort.organisation_id):
        return cohort
    if user.is_administrator:
        raise PermissionDenied
    raise Http404


def training_day_for_user(user: User, day_id: int, action: Action) -> TrainingDay:
    """A training day: its trainer may VIEW and register attendance (FEEDBACK); the organisation's
    coordinator may VIEW and MANAGE; an administrator may VIEW. Outsiders get 404, too few rights 403."""
    day = (
        TrainingDay.objects.select_related("cohort__organisation", "cohort__version__course", "requirement")
        .select_related("trainer")
        .filter(pk=day_id)
        .first()
    )
    if day is None:
        raise Http404
    if user.is_active and day.trainer_id == user.pk:
        allowed = {Action.VIEW, Action.FEEDBACK}
    elif _is_coordinator_of(user, day.cohort.organisation_id):
        allowed = {Action.VIEW, Action.MANAGE}
    elif user.is_active and user.is_administrator:
        allowed = {Action.VIEW}
    else:
        raise Http404
    if action not in allowed:
        raise PermissionDenied
    return day


def training_days_given_by(user: User) -> QuerySet[TrainingDay]:
    """The training days ``user`` is the trainer of (a list page: one query with what it shows)."""
    return TrainingDay.objects.filter(trainer=user).select_related(
        "cohort__organisation", "cohort__version__course", "requirement"
    )
