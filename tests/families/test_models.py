"""One family, one consent ledger: validity per purpose, codes unique only within an organisation."""

import datetime

import pytest
from django.db import IntegrityError

from families.models import Consent, ConsentPurpose, Family
from tests.families.factories import family_of, family_with_consent

JAN = datetime.date(2026, 1, 1)
MAR = datetime.date(2026, 3, 31)


def test_a_consent_is_valid_between_its_dates_unless_withdrawn(professional):
    consent = family_of(professional, given_on=JAN, valid_until=MAR).consents.get()
    assert consent.is_valid_on(MAR)
    assert not consent.is_valid_on(MAR + datetime.timedelta(days=1))
    assert not consent.is_valid_on(JAN - datetime.timedelta(days=1))
    consent.withdrawn_at = datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)
    assert not consent.is_valid_on(datetime.date(2026, 2, 2))


def test_a_consent_cannot_end_before_it_was_given(professional):
    with pytest.raises(IntegrityError):
        family_of(professional, given_on=datetime.date(2026, 2, 1), valid_until=JAN)


def test_ended_consents_queryset(professional):
    ended = family_of(professional, "FAM-1", given_on=JAN, valid_until=datetime.date(2026, 1, 31))
    family_of(professional, "FAM-2", given_on=JAN, valid_until=MAR)
    assert list(Consent.objects.ended(datetime.date(2026, 2, 1))) == [ended.consents.get()]


def test_the_consent_state_is_per_purpose(professional):
    family = family_of(professional, purposes=(ConsentPurpose.VIB_SUPERVISION, ConsentPurpose.TEACHING))
    family.consents.filter(purpose=ConsentPurpose.TEACHING).update(
        withdrawn_at=datetime.datetime.now(datetime.UTC)
    )
    today = datetime.date.today()
    assert family.consent_state(ConsentPurpose.VIB_SUPERVISION, today) == "valid"
    assert family.consent_state(ConsentPurpose.TEACHING, today) == "withdrawn"
    assert family.consent_state(ConsentPurpose.ASSESSMENT, today) == "ended"
    assert list(Family.objects.with_consent(ConsentPurpose.TEACHING, today)) == []


def test_the_same_code_may_exist_once_per_organisation(professional, professional_other_org):
    mine = family_of(professional, "GEZIN-7")
    theirs = family_of(professional_other_org, "GEZIN-7")
    assert mine.pk != theirs.pk
    with pytest.raises(IntegrityError):
        Family.objects.create(organisation=professional.organisation, code="GEZIN-7")


def test_the_factory_adds_consents_to_an_existing_family(professional):
    first = family_with_consent(professional.organisation, "GEZIN-8", recorded_by=professional)
    again = family_with_consent(professional.organisation, "GEZIN-8", recorded_by=professional)
    assert first.pk == again.pk
    assert again.consents.count() == 2
