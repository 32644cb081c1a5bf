"""Writes of the DMOP instrument and the sociale kaart."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.outcome import ActionCode, Decision, Outcome
from audit.services import access_log_record, access_log_record_per_family
from dmop.models import (
    ContactMoment,
    Domain,
    DomainAssessment,
    Family,
    Partner,
    PartnerDomain,
    PlanAction,
)
from organisations.models import User


@dataclass(frozen=True)
class PlanActionInput:
    description: str
    agreed_with_parents: bool = False
    referral: Partner | None = None


@dataclass(frozen=True)
class AssessmentInput:
    domain: str
    concern_level: int
    risk_factors: str = ""
    protective_factors: str = ""
    plan_actions: Sequence[PlanActionInput] = field(default_factory=tuple)


def family_create(
    *,
    organisation_id: int,
    registered_by: User,
    code: str,
    child_birth_month: datetime.date | None = None,
    request: Any = None,  # HttpRequest or DRF Request: the access point of the log line
) -> Family:
    """Register a family under its pseudonymous code; the code must be new within the organisation.

    Written to the NEN 7513 access log ("C"); ``request`` gives the log its access point.
    """
    family = Family(
        organisation_id=organisation_id,
        registered_by=registered_by,
        code=code.strip(),
        child_birth_month=child_birth_month.replace(day=1) if child_birth_month else None,
    )
    family.full_clean()
    try:
        with transaction.atomic():
            family.save()
            _log_created(request, registered_by, "dmop.family", family.pk, family.code)
    except IntegrityError as error:  # a colleague registered the same code a moment ago
        raise ValidationError(
            {"code": _("This family code is already in use in your organisation.")}
        ) from error
    return family


def contact_moment_record(
    *,
    family: Family,
    professional: User,
    date: datetime.date,
    kind: str,
    assessments: Iterable[AssessmentInput],
    request: Any = None,  # HttpRequest or DRF Request: the access point of the log line
) -> ContactMoment:
    """Record a contact moment with its five domain assessments and plan van aanpak, all or nothing.

    Every domain is assessed exactly once (the DMOP follows the whole upbringing situation, so a domain
    left out would read as "no concern" in the timeline). Referrals must be active partners of the
    family's own organisation. Written to the NEN 7513 access log ("C").
    """
    assessments = list(assessments)
    _validate_contact_moment(family=family, date=date, kind=kind, assessments=assessments)
    with transaction.atomic():
        moment = ContactMoment.objects.create(family=family, professional=professional, date=date, kind=kind)
        rows = DomainAssessment.objects.bulk_create(
            DomainAssessment(
                contact_moment=moment,
                domain=item.domain,
                concern_level=item.concern_level,
                risk_factors=item.risk_factors.strip(),
                protective_factors=item.protective_factors.strip(),
            )
            for item in assessments
        )
        PlanAction.objects.bulk_create(
            PlanAction(
                assessment=row,
                description=action.description.strip(),
                agreed_with_parents=action.agreed_with_parents,
                referral=action.referral,
            )
            for row, item in zip(rows, assessments, strict=True)
            for action in item.plan_actions
        )
        _log_created(request, professional, "dmop.contact_moment", moment.pk, family.code)
    return moment


def _validate_contact_moment(
    *, family: Family, date: datetime.date, kind: str, assessments: list[AssessmentInput]
) -> None:
    errors: dict[str, list[str]] = {}
    if date > timezone.localdate():
        errors.setdefault("date", []).append(_("A contact moment cannot lie in the future."))
    if kind not in ContactMoment.Kind.values:
        errors.setdefault("kind", []).append(_("Choose a kind of contact moment."))
    if (
        kind == ContactMoment.Kind.EIGHT_WEEKS_DOUBLE
        and ContactMoment.objects.filter(family=family, kind=kind).exists()
    ):
        errors.setdefault("kind", []).append(
            _("This family already has a double contact moment at 8 weeks; choose another kind.")
        )
    if sorted(item.domain for item in assessments) != sorted(Domain.values):
        errors.setdefault("assessments", []).append(_("Assess each of the five domains exactly once."))
    referrals = [a.referral for item in assessments for a in item.plan_actions if a.referral is not None]
    if any(p.organisation_id != family.organisation_id or p.archived_at for p in referrals):
        errors.setdefault("assessments", []).append(
            _("Refer only to partners on your organisation's sociale kaart.")
        )
    if errors:
        raise ValidationError(errors)


def partner_save(*, partner: Partner, name: str, contact: str, domains: Iterable[str]) -> Partner:
    """Create or update a sociale-kaart partner and the set of domains it serves."""
    domains = set(domains)
    if not domains or not domains <= set(Domain.values):
        raise ValidationError({"domains": _("Choose at least one of the five domains.")})
    partner.name = name.strip()
    partner.contact = contact.strip()
    with transaction.atomic():
        partner.save()
        partner.served_domains.exclude(domain__in=domains).delete()
        existing = set(partner.served_domains.values_list("domain", flat=True))
        PartnerDomain.objects.bulk_create(
            PartnerDomain(partner=partner, domain=domain) for domain in sorted(domains - existing)
        )
    return partner


def partner_remove(*, partner: Partner) -> bool:
    """Take a partner off the sociale kaart. Returns True when deleted, False when archived.

    A partner that plans have referred to is archived rather than deleted: those referrals remain part
    of the families' records and of the DD-JGZ exports.
    """
    if partner.referrals.exists():
        partner.archived_at = timezone.now()
        partner.save(update_fields=["archived_at"])
        return False
    partner.delete()
    return True


def _log_created(request: Any, user: User, object_type: str, object_id: int, family_code: str) -> None:
    dmop_access_log(
        request=request,
        user=user,
        action_code="C",
        object_type=object_type,
        object_id=object_id,
        family_code=family_code,
    )


def dmop_access_log(
    *,
    request: Any,
    user: User,
    action_code: str,
    object_type: str,
    object_id: int | str,
    family_code: str,
) -> None:
    """One NEN 7513 line for reading, creating or exporting a family's DMOP record (of the user's organisation)."""
    access_log_record(
        request_or_none=request,
        user=user,
        action=ActionCode(action_code),
        object_type=object_type,
        object_id=object_id,
        organisation_id=user.organisation_id,
        family_code=family_code,
        outcome=Outcome(decision=Decision.GRANTED, relation="professional", grounds="dmop certificate"),
    )


def dmop_export_log(*, request: Any, user: User, organisation_id: int) -> None:
    """The organisation-wide export: one NEN 7513 export line per family with contact moments in it."""
    families = Family.objects.filter(organisation_id=organisation_id, contact_moments__isnull=False)
    access_log_record_per_family(
        request=request,
        user=user,
        action=ActionCode.EXECUTE,
        object_type="dmop.family",
        outcome=Outcome(decision=Decision.GRANTED, relation="professional", grounds="dmop certificate"),
        organisation_id=organisation_id,
        families=list(families.distinct().values_list("pk", "code")),
    )
