"""Demo data for `manage.py seed_demo`: a sociale kaart and one family followed by the certified colleague."""

from __future__ import annotations

import datetime

from django.utils import timezone

from certification.access import has_valid_certificate
from dmop.models import ContactMoment, Domain, Family, Partner
from dmop.services import AssessmentInput, PlanActionInput, contact_moment_record, family_create, partner_save
from organisations.demo import DemoPeople
from organisations.models import User

# Deliberately no partner for "rol van de partner": the coordinator's page then shows a gap in care.
PARTNERS = [
    ("Opvoedpoli Demo-regio", "Intake via 010-1234567", [Domain.PARENT_COMPETENCE, Domain.CHILD_WELLBEING]),
    ("Sociaal wijkteam Centrum", "wijkteam@demo.example", [Domain.SOCIAL_NETWORK, Domain.EVENTS]),
    ("Schuldhulpverlening Gemeente", "www.gemeente.example/schulden", [Domain.EVENTS]),
]
FAMILY_CODE = "DEMO-0001"


def seed(people: DemoPeople) -> None:
    """Idempotent: partners by name, the family by code; its contact moments only when it is new."""
    partners = {name: _partner(people, name, contact, domains) for name, contact, domains in PARTNERS}
    professional = people.colleague
    if not has_valid_certificate(professional, "dmop"):
        return  # the certification demo certifies the colleague; without it the instrument stays closed
    if Family.objects.filter(organisation=people.organisation, code=FAMILY_CODE).exists():
        return
    family = family_create(
        organisation_id=people.organisation.pk,
        registered_by=professional,
        code=FAMILY_CODE,
        child_birth_month=timezone.localdate() - datetime.timedelta(days=200),
    )
    today = timezone.localdate()
    _moment(
        family,
        professional,
        today - datetime.timedelta(days=140),
        ContactMoment.Kind.EIGHT_WEEKS_DOUBLE,
        (1, 0, 1, 0, 0),
        partners,
    )
    _moment(
        family,
        professional,
        today - datetime.timedelta(days=40),
        ContactMoment.Kind.SIX_MONTHS,
        (1, 0, 2, 1, 0),
        partners,
    )


def _partner(people: DemoPeople, name: str, contact: str, domains: list[Domain]) -> Partner:
    partner = Partner.objects.filter(organisation=people.organisation, name=name).first()
    if partner is not None:
        return partner
    return partner_save(
        partner=Partner(organisation=people.organisation), name=name, contact=contact, domains=domains
    )


def _moment(
    family: Family,
    professional: User,
    date: datetime.date,
    kind: ContactMoment.Kind,
    levels: tuple[int, ...],
    partners: dict[str, Partner],
) -> ContactMoment:
    wijkteam = partners["Sociaal wijkteam Centrum"]
    texts = {
        Domain.PARENT_COMPETENCE: ("Moeder twijfelt over voeding", "Vader neemt veel zorg over", ""),
        Domain.PARTNER_ROLE: ("", "Ouders steunen elkaar", ""),
        Domain.SOCIAL_NETWORK: (
            "Familie woont ver weg",
            "Goed contact met buren",
            "Kennismaking buurtgezinnen",
        ),
        Domain.EVENTS: ("Verhuizing gepland", "Vaste baan", ""),
        Domain.CHILD_WELLBEING: ("", "Groeit goed, slaapt goed", ""),
    }
    assessments = []
    for domain, level in zip(Domain, levels, strict=True):
        risk, protective, plan = texts[domain]
        actions = (PlanActionInput(plan, True, wijkteam),) if plan and level >= 2 else ()
        assessments.append(AssessmentInput(domain, level, risk, protective, actions))
    return contact_moment_record(
        family=family, professional=professional, date=date, kind=kind, assessments=assessments
    )
