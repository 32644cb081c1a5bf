"""The access helpers, directly: who reaches a family or a partner with which action."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from dmop.access import (
    contact_moment_for_user,
    families_visible_to,
    family_for_user,
    partner_for_user,
    partners_visible_to,
)
from organisations.rules import Action
from tests.dmop.conftest import record


@pytest.mark.parametrize("action", [Action.VIEW, Action.CHANGE])
def test_certified_professionals_of_the_organisation_view_and_change_its_families(
    action, family, certified_colleague
):
    assert family_for_user(certified_colleague, family.pk, action) == family


@pytest.mark.parametrize("action", [Action.PLAY, Action.FEEDBACK, Action.MANAGE])
def test_other_actions_on_a_family_are_refused(action, family):
    with pytest.raises(PermissionDenied):
        family_for_user(family.registered_by, family.pk, action)


@pytest.mark.parametrize("who", ["colleague", "expired_professional", "revoked_professional", "coordinator"])
def test_the_organisation_s_uncertified_people_and_its_coordinator_get_403(who, family, request):
    with pytest.raises(PermissionDenied):
        family_for_user(request.getfixturevalue(who), family.pk, Action.VIEW)


@pytest.mark.parametrize(
    "who",
    ["certified_other_org", "coordinator_other_org", "supervisor", "supervisor_unassigned", "administrator"],
)
def test_everyone_else_gets_404(who, family, request):
    with pytest.raises(Http404):
        family_for_user(request.getfixturevalue(who), family.pk, Action.VIEW)


def test_a_missing_family_is_404(certified_professional):
    with pytest.raises(Http404):
        family_for_user(certified_professional, 424242, Action.VIEW)


def test_a_contact_moment_is_reached_only_through_its_own_family(
    family, other_family, certified_professional
):
    moment = record(other_family, other_family.registered_by)
    with pytest.raises(Http404):
        contact_moment_for_user(certified_professional, family.pk, moment.pk, Action.VIEW)


def test_lists_hold_only_the_viewer_s_organisation(
    family, other_family, certified_professional, coordinator, expired_professional
):
    assert list(families_visible_to(certified_professional)) == [family]
    assert list(families_visible_to(coordinator)) == []
    assert list(families_visible_to(expired_professional)) == []


def test_partners_are_managed_by_the_coordinator_and_viewed_by_professionals(
    partner, coordinator, certified_professional
):
    assert partner_for_user(coordinator, partner.pk, Action.MANAGE) == partner
    assert partner_for_user(certified_professional, partner.pk, Action.VIEW) == partner
    with pytest.raises(PermissionDenied):
        partner_for_user(certified_professional, partner.pk, Action.MANAGE)


@pytest.mark.parametrize(
    "who", ["coordinator_other_org", "certified_other_org", "administrator", "supervisor"]
)
def test_partners_of_another_organisation_are_404(who, partner, request):
    user = request.getfixturevalue(who)
    with pytest.raises(Http404):
        partner_for_user(user, partner.pk, Action.VIEW)
    assert partner not in partners_visible_to(user)
