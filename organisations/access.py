"""Access to the coordinator's self-service pages: the organisation's staff, licence and checklist.

Only a SamenStarten coordinator manages their own organisation here. National administrators keep the
admin site for this (and for the licence data); supervisors are external and belong to no organisation.
A person of another organisation, or without one, does not exist for the asker (404); a member of the
same organisation who is not a coordinator sees the person elsewhere, so gets 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from organisations.models import ImplementationCheck, Organisation, User


def managed_organisation(user: User) -> Organisation:
    """The organisation ``user`` runs as its coordinator; 403 for everyone else (logged in)."""
    if not user.is_active or not user.is_coordinator or user.organisation is None:
        raise PermissionDenied
    return user.organisation


def staff_member_for_user(user: User, person_id: int) -> User:
    """A member of the coordinator's own organisation: 404 for anyone outside it, 403 for non-coordinators."""
    person = User.objects.filter(pk=person_id, organisation__isnull=False).first()
    if person is None:
        raise Http404
    same_organisation = person.organisation_id == user.organisation_id
    # National administrators may know every person; they manage people in the admin, not here.
    if not same_organisation and not user.is_administrator:
        raise Http404
    if not same_organisation:
        raise PermissionDenied
    managed_organisation(user)
    return person


def implementation_item_for_user(user: User, item: str) -> tuple[Organisation, str]:
    """One checklist item of the coordinator's organisation: 404 for an unknown item, 403 for others."""
    organisation = managed_organisation(user)
    if item not in ImplementationCheck.Item.values:
        raise Http404
    return organisation, item
