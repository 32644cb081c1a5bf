"""Who may see and do what in the DMOP instrument and the sociale kaart.

A family belongs to an organisation, not to one professional: at the 8-week double contact moment a nurse
and a doctor see the family together, and later contact moments are often done by colleagues. So the
relation that counts is the viewer's relation to the family's organisation, in the terms of
``organisations.rules`` (``Action``; 404 for outsiders, 403 for too few rights):

- A professional of the organisation with a valid DMOP certificate: VIEW the organisation's families,
  their timelines and exports, and CHANGE (register families, record contact moments). The certificate is
  checked by the ``certified_required("dmop")`` / ``certified_permission("dmop")`` gates on every page and
  endpoint, and again here as a second line of defence (an expired or revoked certificate closes access
  the day it lapses, whatever the caller).
- A coordinator of the organisation: least privilege. A coordinator checks whether the organisation can
  offer care in every domain, not what was said about a family, so the coordinator MANAGEs the sociale
  kaart and sees its aggregated gaps (domains without a partner) but never families' assessments (403).
- Supervisors and national administrators have no reason to read families' assessments: 404, like every
  other outsider (staff of other organisations). A person holding several roles gets the union of them.

Lists use ``families_visible_to`` / ``partners_visible_to`` (one query, no per-row checks).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from audit.refusals import logs_refusals
from certification.access import has_valid_certificate
from dmop.models import ContactMoment, DmopPolicy, Family, Partner, PartnerQuerySet, PlanAction
from organisations.models import User
from organisations.rules import Action

COURSE_CODE = "dmop"
_FAMILY_ACTIONS = frozenset({Action.VIEW, Action.CHANGE})


def is_member_professional(user: User, organisation_id: int | None) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.is_professional
        and organisation_id is not None
        and user.organisation_id == organisation_id
    )


def is_member_coordinator(user: User, organisation_id: int | None) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.is_coordinator
        and organisation_id is not None
        and user.organisation_id == organisation_id
    )


def may_use_instrument(user: User, today: datetime.date | None = None) -> bool:
    """A professional in an organisation with a DMOP certificate valid today."""
    return is_member_professional(
        user, user.organisation_id if user.is_authenticated else None
    ) and has_valid_certificate(user, COURSE_CODE, today)


@logs_refusals("dmop.family", Family, organisation="organisation_id", family="code")
def family_for_user(user: User, family_id: int, action: Action) -> Family:
    """Fetch a family on behalf of ``user``.

    404 when the family does not exist or belongs to another organisation, or when ``user`` has no role in
    that organisation that could ever open it; 403 for the organisation's coordinator, for an action other
    than VIEW/CHANGE, and for a professional whose DMOP certificate is not valid today.
    """
    family = Family.objects.filter(pk=family_id).first()
    if family is None:
        raise Http404
    if is_member_professional(user, family.organisation_id):
        if action not in _FAMILY_ACTIONS or not has_valid_certificate(user, COURSE_CODE):
            raise PermissionDenied
        return family
    if is_member_coordinator(user, family.organisation_id):
        raise PermissionDenied
    raise Http404


def contact_moment_for_user(user: User, family_id: int, moment_id: int, action: Action) -> ContactMoment:
    """A contact moment of a family ``user`` may reach with ``action``; 404 when it is not that family's."""
    family = family_for_user(user, family_id, action)
    moment = family.contact_moments.select_related("professional").filter(pk=moment_id).first()
    if moment is None:
        raise Http404
    moment.family = family
    return moment


def plan_action_for_user(user: User, family_id: int, action_id: int, action: Action) -> PlanAction:
    """A plan action of a family ``user`` may reach with ``action``; 404 when it is not that family's."""
    family = family_for_user(user, family_id, action)
    plan_action = (
        PlanAction.objects.select_related("assessment__contact_moment", "referral")
        .filter(pk=action_id, assessment__contact_moment__family=family)
        .first()
    )
    if plan_action is None:
        raise Http404
    plan_action.assessment.contact_moment.family = family
    return plan_action


def organisation_id_for_export(user: User) -> int:
    """The organisation whose every family ``user`` may export for the DD-JGZ.

    Its coordinators, and professionals the organisation designated (``DmopPolicy.exporters``) who hold
    a valid DMOP certificate. Other certified professionals export one family at a time: 403.
    """
    if is_member_coordinator(user, user.organisation_id):
        assert user.organisation_id is not None
        return user.organisation_id
    organisation_id = organisation_id_for_instrument(user)
    if DmopPolicy.exporters.through.objects.filter(
        dmoppolicy__organisation_id=organisation_id, user_id=user.pk
    ).exists():
        return organisation_id
    raise PermissionDenied


def monitoring_organisation_for(user: User, requested: int | None) -> int | None:
    """The organisation whose aggregates ``user`` may see on the monitoring page; None means all of them.

    National administrators choose any organisation or all; a coordinator sees their own organisation
    (whatever was asked). Everyone else: 404, like the other organisation-wide pages. Nobody sees a family
    here: the page holds suppressed aggregates only.
    """
    if user.is_authenticated and user.is_active and user.is_administrator:
        return requested
    if is_member_coordinator(user, user.organisation_id if user.is_authenticated else None):
        return user.organisation_id
    raise Http404


def families_visible_to(user: User) -> QuerySet[Family]:
    """The families ``user`` may VIEW: those of their organisation, for a certified professional."""
    if not may_use_instrument(user) or user.organisation_id is None:
        return Family.objects.none()
    return Family.objects.filter(organisation_id=user.organisation_id)


def organisation_id_for_instrument(user: User) -> int:
    """The organisation whose families ``user`` may register and export: their own, when certified."""
    if not may_use_instrument(user):
        raise PermissionDenied
    assert user.organisation_id is not None  # a professional always has one (database constraint)
    return user.organisation_id


def partners_visible_to(user: User) -> PartnerQuerySet:
    """The sociale kaart ``user`` may VIEW: their organisation's, for its coordinators and professionals."""
    if not user.is_authenticated or user.organisation_id is None:
        return Partner.objects.none()
    if is_member_coordinator(user, user.organisation_id) or is_member_professional(
        user, user.organisation_id
    ):
        return Partner.objects.of_organisation(user.organisation_id)
    return Partner.objects.none()


def partner_for_user(user: User, partner_id: int, action: Action) -> Partner:
    """Fetch a sociale-kaart partner: MANAGE for the organisation's coordinator, VIEW for its professionals.

    Outsiders (other organisations, supervisors, administrators) get 404; a professional asking to
    MANAGE gets 403. Archived partners are history, not editable: 404.
    """
    partner = Partner.objects.active().filter(pk=partner_id).first()
    if partner is None:
        raise Http404
    if is_member_coordinator(user, partner.organisation_id):
        if action not in (Action.VIEW, Action.MANAGE):
            raise PermissionDenied
        return partner
    if is_member_professional(user, partner.organisation_id):
        if action is not Action.VIEW:
            raise PermissionDenied
        return partner
    raise Http404


def require_partner_manager(user: User) -> int:
    """The organisation whose sociale kaart ``user`` may MANAGE (create partners in): coordinators only."""
    if user.is_authenticated and user.is_coordinator and user.organisation_id is not None:
        return user.organisation_id
    raise PermissionDenied
