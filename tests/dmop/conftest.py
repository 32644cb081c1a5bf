"""DMOP fixtures: certificate states made through the certification services, families and partners."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence

import pytest
from django.utils import timezone

from certification.models import Certificate
from certification.services import certification_grant, certification_revoke, certification_start_training
from dmop.models import ContactMoment, Domain, Family, Partner, PartnerDomain
from dmop.services import AssessmentInput, PlanActionInput, contact_moment_record, family_create, partner_save
from organisations.models import Organisation, User
from tests.conftest import make_person

TODAY = timezone.localdate


def certify(professional: User, trainer: User) -> Certificate:
    return certification_grant(
        professional=professional, course_code="dmop", signed_off_by=trainer, motivation="Eindtoets behaald."
    )


@pytest.fixture
def trainer(db) -> User:
    return make_person(
        "tom@dmop-trainer.example", is_supervisor=True, supervisor_kind=User.SupervisorKind.DMOP
    )


@pytest.fixture
def certified_professional(professional, trainer) -> User:
    certify(professional, trainer)
    return professional


@pytest.fixture
def certified_colleague(colleague, trainer) -> User:
    certify(colleague, trainer)
    return colleague


@pytest.fixture
def certified_other_org(professional_other_org, trainer) -> User:
    certify(professional_other_org, trainer)
    return professional_other_org


@pytest.fixture
def uncertified_professional(organisation) -> User:
    """Still in training for the DMOP: a certificate row without a sign-off."""
    user = make_person("ilse@noord.example", organisation=organisation, is_professional=True)
    certification_start_training(professional=user, course_code="dmop")
    return user


@pytest.fixture
def expired_professional(organisation, trainer) -> User:
    """Last valid day was yesterday, and the nightly expiry task has not run yet (status still certified)."""
    user = make_person("eva@noord.example", organisation=organisation, is_professional=True)
    certificate = certify(user, trainer)
    yesterday = TODAY() - datetime.timedelta(days=1)
    Certificate.objects.filter(pk=certificate.pk).update(
        certified_on=yesterday - datetime.timedelta(days=1000), valid_until=yesterday
    )
    return user


@pytest.fixture
def revoked_professional(organisation, trainer, administrator) -> User:
    user = make_person("rob@noord.example", organisation=organisation, is_professional=True)
    certification_revoke(
        certificate=certify(user, trainer), revoked_by=administrator, reason="Fraude bij toets."
    )
    return user


def add_partner(organisation: Organisation, name: str, domains: Sequence[str]) -> Partner:
    return partner_save(partner=Partner(organisation=organisation), name=name, contact="", domains=domains)


@pytest.fixture
def partner(organisation) -> Partner:
    return add_partner(organisation, "Opvoedpoli Noord", [Domain.PARENT_COMPETENCE, Domain.CHILD_WELLBEING])


@pytest.fixture
def other_partner(other_organisation) -> Partner:
    return add_partner(other_organisation, "Wijkteam Zuid", [Domain.SOCIAL_NETWORK])


def default_birth_month() -> datetime.date:
    """A child about 11 weeks old today: both the 8-week and the 3-month contact moment fit today."""
    return (TODAY() - datetime.timedelta(days=77)).replace(day=1)


def new_family(
    organisation: Organisation, by: User, code: str = "NRD-0001", birth_month: datetime.date | None = None
) -> Family:
    return family_create(
        organisation_id=organisation.pk,
        registered_by=by,
        code=code,
        child_birth_month=birth_month or default_birth_month(),
    )


@pytest.fixture
def family(organisation, certified_professional) -> Family:
    return new_family(organisation, certified_professional)


@pytest.fixture
def other_family(other_organisation, certified_other_org) -> Family:
    return new_family(other_organisation, certified_other_org, code="ZUID-1")


def record(
    family: Family,
    by: User,
    levels: Sequence[int] = (0, 0, 0, 0, 0),
    *,
    kind: str = ContactMoment.Kind.THREE_MONTHS,
    date: datetime.date | None = None,
    referral: Partner | None = None,
) -> ContactMoment:
    """A contact moment with the five domains at ``levels`` (protocol order) and one plan action each."""
    assessments = [
        AssessmentInput(
            domain=domain,
            concern_level=level,
            risk_factors=f"Risico {domain}",
            protective_factors=f"Steun {domain}",
            plan_actions=(PlanActionInput(f"Afspraak {domain}", True, referral),),
        )
        for domain, level in zip(Domain.values, levels, strict=True)
    ]
    return contact_moment_record(
        family=family, professional=by, date=date or TODAY(), kind=kind, assessments=assessments
    )


def set_birth(family: Family, days_ago: int) -> Family:
    """Move the child's month of birth to the month of ``days_ago`` days before today."""
    family.child_birth_month = (TODAY() - datetime.timedelta(days=days_ago)).replace(day=1)
    family.save(update_fields=["child_birth_month"])
    return family


@pytest.fixture
def recorder() -> Callable[..., ContactMoment]:
    return record


# --- The monitoring page's seeded families with known answers (tests/dmop/test_monitoring.py) ----------

WELLBEING = Domain.CHILD_WELLBEING
# (signal ages, censoring ages) in days per year of birth; 2023 has too few families to be shown.
GROUPS = {
    2024: ([30, 60, 60, 90, 120, 150, 200, 250], [100, 300, 365, 400]),
    2025: ([20, 30, 45, 45, 60, 75, 90, 100, 120, 130], [200, 250]),
    2023: ([50, 50, 50], []),
}


def moment(
    family: Family, by: User, age: int, kind: str, wellbeing: int, referral: Partner | None = None
) -> ContactMoment:
    """A contact moment recorded through the service, with concern only in "welbevinden van het kind"."""
    born = family.child_birth_month + datetime.timedelta(days=14)  # the page's mid-month rule
    referrals = (PlanActionInput("Huilspreekuur", True, referral),) if referral else ()
    return contact_moment_record(
        family=family,
        professional=by,
        date=born + datetime.timedelta(days=age),
        kind=kind,
        assessments=[
            AssessmentInput(
                domain=d,
                concern_level=wellbeing if d == WELLBEING else 0,
                plan_actions=referrals if d == WELLBEING else (),
            )
            for d in Domain.values
        ],
    )


def seed(organisation: Organisation, by: User, partner: Partner, prefix: str = "M") -> None:
    """27 families: 2024 with the 8-week moment in time; 2025 with a referral still proposed."""
    number = 0
    for year, (signals, censored) in GROUPS.items():
        for age, signal in [(a, True) for a in signals] + [(a, False) for a in censored]:
            number += 1
            family = family_create(
                organisation_id=organisation.pk,
                registered_by=by,
                code=f"{prefix}-{number:03}",
                child_birth_month=datetime.date(year, 3, 1),
            )
            if year == 2024:
                moment(family, by, 56, ContactMoment.Kind.EIGHT_WEEKS_DOUBLE, 0)
            else:
                moment(family, by, 10, ContactMoment.Kind.OTHER, 0)
            referral = partner if year == 2025 and signal else None
            moment(family, by, age, ContactMoment.Kind.OTHER, 2 if signal else 0, referral)


@pytest.fixture
def seeded(organisation, certified_professional) -> Partner:
    partner = Partner.objects.create(organisation=organisation, name="Wijkteam Noord")
    PartnerDomain.objects.create(partner=partner, domain=Domain.SOCIAL_NETWORK)  # nobody for welbevinden
    seed(organisation, certified_professional, partner)
    return partner
