"""Fetch a family (its consent ledger) and its signed forms on behalf of a user.

A family belongs to an organisation. Who relates to it, and what follows:
- a professional of that organisation who filmed the family or recorded its consent: see the ledger,
  record a new consent, add a signed form, withdraw (on the parents' word);
- a coordinator of that organisation: the same, on the family's behalf (a parent may call the
  organisation rather than the professional);
- a supervisor assigned to such a professional, or a national administrator: see the ledger only;
- anyone else: 404 (a code of another organisation must not even be confirmed to exist).
Signed forms carry the parents' names and signatures: only the professional and the coordinator open them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from families.models import Consent, Family, SignedForm
from organisations.models import SupervisorAssignment, User
from recordings.models import Recording


class FamilyAction(enum.StrEnum):
    VIEW = "view"
    CHANGE = "change"  # record consent, add a signed form, withdraw; open signed forms


class FamilyRelation(enum.StrEnum):
    PROFESSIONAL = "professional"
    COORDINATOR = "coordinator"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"
    NONE = "none"


_ALLOWED = {
    FamilyRelation.PROFESSIONAL: frozenset(FamilyAction),
    FamilyRelation.COORDINATOR: frozenset(FamilyAction),
    FamilyRelation.SUPERVISOR: frozenset({FamilyAction.VIEW}),
    FamilyRelation.ADMINISTRATOR: frozenset({FamilyAction.VIEW}),
    FamilyRelation.NONE: frozenset(),
}


@dataclass(frozen=True)
class FamilyAccess:
    family: Family
    relation: FamilyRelation

    def allows(self, action: FamilyAction) -> bool:
        return action in _ALLOWED[self.relation]


def _professional_ids(family: Family) -> set[int]:
    filmed = Recording.objects.filter(family=family).values_list("professional_id", flat=True)
    recorded = Consent.objects.filter(family=family).values_list("recorded_by_id", flat=True)
    return set(filmed) | set(recorded)


def family_relation(user: User, family: Family) -> FamilyRelation:
    """How ``user`` relates to ``family`` (at most three queries)."""
    if not user.is_authenticated or not user.is_active:
        return FamilyRelation.NONE
    same_organisation = user.organisation_id == family.organisation_id
    if user.is_coordinator and same_organisation:
        return FamilyRelation.COORDINATOR
    professionals = _professional_ids(family)
    if user.is_professional and same_organisation and user.pk in professionals:
        return FamilyRelation.PROFESSIONAL
    if (
        user.is_supervisor
        and SupervisorAssignment.objects.active()
        .filter(supervisor=user, trainee_id__in=professionals)
        .exists()
    ):
        return FamilyRelation.SUPERVISOR
    if user.is_administrator:
        return FamilyRelation.ADMINISTRATOR
    return FamilyRelation.NONE


def family_for_user(user: User, family_id: int | str, action: FamilyAction) -> FamilyAccess:
    """The family ``family_id`` and the user's relation to it; Http404 for outsiders, 403 for too few rights."""
    try:
        pk = int(family_id)
    except (TypeError, ValueError):
        raise Http404 from None
    family = Family.objects.select_related("organisation").filter(pk=pk).first()
    if family is None:
        raise Http404
    relation = family_relation(user, family)
    if relation is FamilyRelation.NONE:
        raise Http404
    access = FamilyAccess(family=family, relation=relation)
    if not access.allows(action):
        raise PermissionDenied
    return access


def signed_form_for_user(user: User, form_id: int | str) -> tuple[SignedForm, FamilyAccess]:
    """A signed consent form for opening: the family's professional or coordinator (404 / 403 otherwise)."""
    try:
        pk = int(form_id)
    except (TypeError, ValueError):
        raise Http404 from None
    form = SignedForm.objects.filter(pk=pk).first()
    if form is None:
        raise Http404
    return form, family_for_user(user, form.family_id, FamilyAction.CHANGE)
