"""Writes of the DMOP instrument and the sociale kaart."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.outcome import ActionCode, Decision, Outcome
from audit.services import access_log_record, access_log_record_per_family
from dmop.models import (
    ConcernLevel,
    ContactMoment,
    ContactMomentVersion,
    DmopPolicy,
    Domain,
    DomainAssessment,
    Factor,
    Family,
    Partner,
    PartnerDomain,
    PlanAction,
    ScheduledMoment,
)
from dmop.summaries import contact_moment_summaries_refresh
from organisations.models import User


@dataclass(frozen=True)
class PlanActionInput:
    description: str
    agreed_with_parents: bool = False
    referral: Partner | None = None
    owner: str = PlanAction.Owner.PARENTS
    due_on: datetime.date | None = None


@dataclass(frozen=True)
class AssessmentInput:
    domain: str
    concern_level: int
    risk_factors: str = ""
    protective_factors: str = ""
    plan_actions: Sequence[PlanActionInput] = field(default_factory=tuple)
    factors: Sequence[Factor] = field(default_factory=tuple)


# --- Families --------------------------------------------------------------------------------------------


def family_create(
    *,
    organisation_id: int,
    registered_by: User,
    code: str,
    child_birth_month: datetime.date | None = None,
    request: Any = None,  # HttpRequest or DRF Request: the access point of the log line
) -> Family:
    """Register a family under its pseudonymous code; the code must be new within the organisation.

    The child's month of birth is required: the contact moments follow the child's age, and the DD-JGZ
    export and the time-to-first-signal analysis need it. All rules live here; errors are keyed by field.
    Written to the NEN 7513 access log ("C"); ``request`` gives the log its access point.
    """
    family = Family(
        organisation_id=organisation_id,
        registered_by=registered_by,
        code=(code or "").strip(),
        child_birth_month=child_birth_month.replace(day=1) if child_birth_month else None,
    )
    errors = _family_errors(family)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            family.save()
            _log_created(request, registered_by, "dmop.family", family.pk, family.code)
    except IntegrityError as error:  # a colleague registered the same code a moment ago
        raise ValidationError({"code": _CODE_IN_USE()}) from error
    return family


def _CODE_IN_USE() -> str:  # noqa: N802 - a translated message, looked up when raised
    return _("This family code is already in use in your organisation.")


def _family_errors(family: Family) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        family.full_clean(exclude=["organisation", "registered_by"], validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if (
        "code" not in errors
        and Family.objects.filter(organisation_id=family.organisation_id, code=family.code).exists()
    ):
        errors["code"] = [_CODE_IN_USE()]
    if family.child_birth_month is None:
        errors.setdefault("child_birth_month", []).append(_("Enter the child's month of birth."))
    elif family.child_birth_month > timezone.localdate():
        errors.setdefault("child_birth_month", []).append(_("The month of birth cannot lie in the future."))
    return errors


# --- Contact moments -------------------------------------------------------------------------------------


def contact_moment_record(
    *,
    family: Family,
    professional: User,
    date: datetime.date,
    kind: str,
    assessments: Iterable[AssessmentInput],
    triggered_by: DomainAssessment | None = None,
    request: Any = None,  # HttpRequest or DRF Request: the access point of the log line
) -> ContactMoment:
    """Record a contact moment with its five domain assessments and plan van aanpak, all or nothing.

    Every domain is assessed exactly once (the DMOP follows the whole upbringing situation, so a domain
    left out would read as "no concern" in the timeline). The moment must fit the child's age and the
    schedule (``ScheduledMoment``); an extra moment names the assessment whose concern triggered it.
    Referrals must be active partners of the family's own organisation. Raises ``ValidationError`` keyed
    by field ("date", "kind", "triggered_by", "assessments") or by domain. NEN 7513 access log ("C").
    """
    assessments = list(assessments)
    moment = ContactMoment(
        family=family, professional=professional, date=date, kind=kind, triggered_by=triggered_by
    )
    errors = contact_moment_errors(moment, assessments)
    errors.update(_plan_errors(family, date, assessments))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        moment.save()
        rows = DomainAssessment.objects.bulk_create(_assessment_rows(moment, assessments))
        _save_factors(rows, assessments)
        PlanAction.objects.bulk_create(
            _plan_action(row, action, date)
            for row, item in zip(rows, assessments, strict=True)
            for action in item.plan_actions
        )
        contact_moment_summaries_refresh(family_ids=[family.pk])
        _log_created(request, professional, "dmop.contact_moment", moment.pk, family.code)
    return moment


def _assessment_rows(moment: ContactMoment, assessments: list[AssessmentInput]) -> list[DomainAssessment]:
    return [
        DomainAssessment(
            contact_moment=moment,
            domain=item.domain,
            concern_level=item.concern_level,
            risk_factors=item.risk_factors.strip(),
            protective_factors=item.protective_factors.strip(),
        )
        for item in assessments
    ]


def _save_factors(rows: list[DomainAssessment], assessments: list[AssessmentInput]) -> None:
    through = DomainAssessment.factors.through
    through.objects.filter(domainassessment__in=rows).delete()
    through.objects.bulk_create(
        through(domainassessment_id=row.pk, factor_id=factor.pk)
        for row, item in zip(rows, assessments, strict=True)
        for factor in item.factors
    )


def _plan_action(row: DomainAssessment, action: PlanActionInput, date: datetime.date) -> PlanAction:
    has_referral = action.referral is not None
    return PlanAction(
        assessment=row,
        description=action.description.strip(),
        agreed_with_parents=action.agreed_with_parents,
        referral=action.referral,
        owner=action.owner,
        due_on=action.due_on,
        referral_status=PlanAction.ReferralStatus.PROPOSED if has_referral else "",
        referral_proposed_on=date if has_referral else None,
    )


def contact_moment_errors(moment: ContactMoment, assessments: list[AssessmentInput]) -> dict[str, list[str]]:
    """Every rule of a contact moment and its five assessments, keyed by field (or by domain)."""
    errors: dict[str, list[str]] = {}
    if moment.date is None:
        errors["date"] = [_("Enter the date of the contact moment.")]
        return errors
    if moment.date > timezone.localdate():
        errors["date"] = [_("A contact moment cannot lie in the future.")]
    if moment.kind not in ContactMoment.Kind.values:
        errors["kind"] = [_("Choose a kind of contact moment.")]
    else:
        errors.update(_schedule_errors(moment))
        errors.update(_trigger_errors(moment))
    errors.update(_assessment_errors(assessments))
    return errors


def _schedule_errors(moment: ContactMoment) -> dict[str, list[str]]:
    """The moment fits the child's age window and the schedule's order (the schedule is data)."""
    schedule = ScheduledMoment.objects.by_kind()
    slot = schedule.get(moment.kind)
    if slot is None:
        return {}
    family = moment.family
    ages = family.age_range_on(moment.date)
    if ages is None:
        return {
            "kind": [
                _("Enter the child's month of birth first: this contact moment follows the child's age.")
            ]
        }
    youngest, oldest = ages
    if oldest < slot.from_age_days or youngest > slot.to_age_days:
        return {
            "kind": [
                _(
                    "The child is %(age)s weeks old on this date; this contact moment is done at %(start)s to %(end)s weeks."
                )
                % {
                    "age": max(youngest, 0) // 7,
                    "start": slot.from_age_days // 7,
                    "end": slot.to_age_days // 7,
                }
            ]
        }
    others = ContactMoment.objects.filter(family=family, kind__in=list(schedule)).exclude(pk=moment.pk)
    if moment.kind == ContactMoment.Kind.EIGHT_WEEKS_DOUBLE and any(
        other.kind == moment.kind for other in others
    ):
        return {
            "kind": [_("This family already has a double contact moment at 8 weeks; choose another kind.")]
        }
    for other in others:
        earlier_in_schedule = schedule[other.kind].order < slot.order
        if (earlier_in_schedule and other.date > moment.date) or (
            schedule[other.kind].order > slot.order and other.date < moment.date
        ):
            return {
                "kind": [
                    _("The schedule's order is broken: %(other)s was recorded on %(date)s.")
                    % {"other": other.get_kind_display(), "date": other.date.strftime("%d-%m-%Y")}
                ]
            }
    return {}


def _trigger_errors(moment: ContactMoment) -> dict[str, list[str]]:
    trigger = moment.triggered_by
    if moment.kind != ContactMoment.Kind.EXTRA:
        return (
            {"triggered_by": [_("Only an extra contact moment is linked to a concern.")]} if trigger else {}
        )
    if trigger is None:
        return {"triggered_by": [_("Choose the concern that led to this extra contact moment.")]}
    earlier = trigger.contact_moment
    if earlier.family_id != moment.family.pk or trigger.concern_level < ConcernLevel.SLIGHT:
        return {
            "triggered_by": [_("Choose a domain with concern at an earlier contact moment of this family.")]
        }
    if earlier.date > moment.date:
        return {"triggered_by": [_("The concern must have been found before this extra contact moment.")]}
    return {}


def _assessment_errors(assessments: list[AssessmentInput]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if sorted(item.domain for item in assessments) != sorted(Domain.values):
        errors["assessments"] = [_("Assess each of the five domains exactly once.")]
        return errors
    for item in assessments:
        problems = []
        if item.concern_level not in ConcernLevel.values:
            problems.append(_("Choose a level of concern."))
        if any(f.domain != item.domain or not f.is_active for f in item.factors):
            problems.append(_("Choose factors from this domain's list."))
        if problems:
            errors[item.domain] = problems
    return errors


def _plan_errors(
    family: Family, date: datetime.date, assessments: list[AssessmentInput]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for item in assessments:
        problems = []
        for action in item.plan_actions:
            if not action.description.strip():
                problems.append(_("Describe the agreement that goes with this referral."))
            if action.owner not in PlanAction.Owner.values:
                problems.append(_("Choose who carries out the agreement."))
            if action.due_on is not None and date is not None and action.due_on < date:
                problems.append(_("The due date cannot lie before the contact moment."))
            referral = action.referral
            if referral is not None and (
                referral.organisation_id != family.organisation_id or referral.archived_at
            ):
                problems.append(_("Refer only to partners on your organisation's sociale kaart."))
        if problems:
            errors.setdefault(item.domain, []).extend(problems)
    return errors


def contact_moment_correct(
    *,
    moment: ContactMoment,
    corrected_by: User,
    date: datetime.date,
    kind: str,
    assessments: Iterable[AssessmentInput],
    triggered_by: DomainAssessment | None = None,
    reason: str = "",
    request: Any = None,
) -> ContactMoment:
    """Correct a saved contact moment (date, kind, per domain concern, factors and notes).

    The author corrects freely within the organisation's correction period; after it, or for a colleague,
    a reason is required. The previous state is kept as a ``ContactMomentVersion`` and the correction is
    written to the NEN 7513 access log ("U"). Plan actions are not rewritten: they are evaluated instead.
    """
    assessments = list(assessments)
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    if not reason and not correction_is_free(moment, corrected_by):
        errors["reason"] = [_("Give the reason for this correction.")]
    moment.date, moment.kind, moment.triggered_by = date, kind, triggered_by
    errors.update(contact_moment_errors(moment, assessments))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = ContactMoment.objects.select_for_update().get(pk=moment.pk)
        ContactMomentVersion.objects.create(
            contact_moment=current,
            snapshot=contact_moment_snapshot(current),
            corrected_by=corrected_by,
            reason=reason,
        )
        moment.save(update_fields=["date", "kind", "triggered_by", "updated_at"])
        rows = {row.domain: row for row in moment.assessments.all()}
        missing = [d for d in Domain.values if d not in rows]  # records from before every domain was required
        rows |= {
            row.domain: row
            for row in DomainAssessment.objects.bulk_create(
                DomainAssessment(contact_moment=moment, domain=d, concern_level=0) for d in missing
            )
        }
        for item in assessments:
            row = rows[item.domain]
            row.concern_level = item.concern_level
            row.risk_factors = item.risk_factors.strip()
            row.protective_factors = item.protective_factors.strip()
        DomainAssessment.objects.bulk_update(
            list(rows.values()), ["concern_level", "risk_factors", "protective_factors"]
        )
        _save_factors([rows[item.domain] for item in assessments], assessments)
        contact_moment_summaries_refresh(family_ids=[moment.family.pk])
        dmop_access_log(
            request=request,
            user=corrected_by,
            action_code="U",
            object_type="dmop.contact_moment",
            object_id=moment.pk,
            family_code=moment.family.code,
        )
    return moment


def correction_is_free(moment: ContactMoment, user: User) -> bool:
    """The author, within the organisation's correction period, corrects without giving a reason."""
    policy = DmopPolicy.for_organisation(moment.family.organisation_id)
    deadline = moment.created_at + datetime.timedelta(days=policy.correction_days)
    return moment.professional_id == user.pk and timezone.now() <= deadline


def contact_moment_snapshot(moment: ContactMoment) -> dict[str, Any]:
    """The content of a contact moment as plain data, for its version history."""
    return {
        "date": moment.date.isoformat(),
        "kind": moment.kind,
        "triggered_by": moment.triggered_by_id,
        "assessments": [
            {
                "domain": row.domain,
                "concern_level": row.concern_level,
                "risk_factors": row.risk_factors,
                "protective_factors": row.protective_factors,
                "factors": sorted(f.pk for f in row.factors.all()),
            }
            for row in moment.assessments.prefetch_related("factors").order_by("pk")
        ],
    }


# --- Plan actions and referrals --------------------------------------------------------------------------

_REFERRAL_DATE_FIELD = {
    PlanAction.ReferralStatus.PROPOSED: "referral_proposed_on",
    PlanAction.ReferralStatus.ACCEPTED: "referral_accepted_on",
    PlanAction.ReferralStatus.STARTED: "referral_started_on",
    PlanAction.ReferralStatus.DECLINED: "referral_closed_on",
    PlanAction.ReferralStatus.ENDED: "referral_closed_on",
}


def plan_action_update(
    *,
    action: PlanAction,
    updated_by: User,
    status: str,
    evaluation: str = "",
    referral_status: str = "",
    on: datetime.date | None = None,
    request: Any = None,
) -> PlanAction:
    """Evaluate a plan action and move its referral on; each referral status keeps its own date."""
    on = on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if status not in PlanAction.Status.values:
        errors["status"] = [_("Choose a status.")]
    if action.referral_id is None and referral_status:
        errors["referral_status"] = [_("This agreement has no referral.")]
    elif action.referral_id is not None and referral_status not in PlanAction.ReferralStatus.values:
        errors["referral_status"] = [_("Choose the status of the referral.")]
    if errors:
        raise ValidationError(errors)
    action.status, action.evaluation = status, evaluation.strip()
    fields = ["status", "evaluation", "updated_at"]
    if referral_status and referral_status != action.referral_status:
        action.referral_status = referral_status
        date_field = _REFERRAL_DATE_FIELD[PlanAction.ReferralStatus(referral_status)]
        setattr(action, date_field, on)
        fields += ["referral_status", date_field]
    with transaction.atomic():
        action.save(update_fields=fields)
        family = action.assessment.contact_moment.family
        contact_moment_summaries_refresh(family_ids=[family.pk])
        dmop_access_log(
            request=request,
            user=updated_by,
            action_code="U",
            object_type="dmop.plan_action",
            object_id=action.pk,
            family_code=family.code,
        )
    return action


# --- Retention -------------------------------------------------------------------------------------------


def dmop_records_expire(*, today: datetime.date | None = None) -> int:
    """Delete the families whose last contact moment lies beyond their organisation's retention period.

    A family without any contact moment counts from its registration. Returns the number deleted; each
    deletion is written to the NEN 7513 access log ("D") without a user (the system acted).
    """
    today = today or timezone.localdate()
    deleted = 0
    policies = {p.organisation_id: p.retention_months for p in DmopPolicy.objects.all()}
    default = DmopPolicy._meta.get_field("retention_months").default
    families = Family.objects.annotate(last_contact_on=Max("contact_moments__date"))
    for family in families.iterator():
        last = family.last_contact_on or family.created_at.date()
        months = policies.get(family.organisation_id, default)
        if _add_months(last, months) >= today:
            continue
        with transaction.atomic():
            family_delete(family=family)
            dmop_access_log(
                request=None,
                user=None,
                action_code="D",
                object_type="dmop.family",
                object_id=family.pk,
                family_code=family.code,
                organisation_id=family.organisation_id,
            )
        deleted += 1
    return deleted


def family_delete(*, family: Family) -> None:
    """Delete a family's DMOP record; triggers between its own contact moments are released first.
    Its monitoring summary rows go with it (cascade)."""
    ContactMoment.objects.filter(family=family).update(triggered_by=None)
    family.delete()


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


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
        partner.save(update_fields=["archived_at", "updated_at"])
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
    user: User | None,
    action_code: str,
    object_type: str,
    object_id: int | str,
    family_code: str,
    organisation_id: int | None = None,
) -> None:
    """One NEN 7513 line for reading, creating or exporting a family's DMOP record (of the user's
    organisation; ``organisation_id`` for the system's own deletions, which have no user)."""
    access_log_record(
        request_or_none=request,
        user=user,
        action=ActionCode(action_code),
        object_type=object_type,
        object_id=object_id,
        organisation_id=user.organisation_id if user is not None else organisation_id,
        family_code=family_code,
        outcome=Outcome(decision=Decision.GRANTED, relation="professional", grounds="dmop certificate"),
    )


def family_access_log(*, request: Any, user: User, family: Family, action_code: str) -> None:
    """One NEN 7513 line for a certified professional reading ("R") or exporting ("E") one family."""
    dmop_access_log(
        request=request,
        user=user,
        action_code=action_code,
        object_type="dmop.family",
        object_id=family.pk,
        family_code=family.code,
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
