"""The monitoring summaries equal a from-scratch recomputation after every kind of write.

The recomputation here is the test's own (straight from contact moments, assessments and plan actions), not
the code that keeps the summaries, so a write path that forgets to refresh them, or a refresh that
computes something else, fails.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from courses.cohort_services import enrolment_cohort_change
from courses.models import Cohort, Course, CourseVersion, Enrolment
from dmop.models import (
    ContactMoment,
    ContactMomentSummary,
    DmopPolicy,
    Domain,
    Family,
    PlanAction,
    ReferralSummary,
)
from dmop.services import dmop_records_expire, family_delete, plan_action_update
from tests.dmop.conftest import TODAY, record
from tests.dmop.test_contact_moment_new import form_data

pytestmark = pytest.mark.django_db


def expected_moment_rows() -> list[dict[str, Any]]:
    rows = []
    firsts: set[int] = set()
    for moment in ContactMoment.objects.select_related("family").order_by("family_id", "date", "pk"):
        born = moment.family.child_birth_month
        row: dict[str, Any] = {
            "contact_moment_id": moment.pk,
            "family_id": moment.family_id,
            "organisation_id": moment.family.organisation_id,
            "professional_id": moment.professional_id,
            "date": moment.date,
            "kind": moment.kind,
            "is_first": moment.family_id not in firsts,
            "birth_year": born.year if born else None,
            "age_days": (moment.date - born - datetime.timedelta(days=14)).days if born else None,
        }
        firsts.add(moment.family_id)
        for domain in Domain.values:
            assessment = moment.assessments.filter(domain=domain).first()
            row[f"concern_{domain}"] = assessment.concern_level if assessment else 0
            row[f"open_actions_{domain}"] = PlanAction.objects.filter(
                assessment__contact_moment=moment, assessment__domain=domain, status="open"
            ).count()
        rows.append(row)
    return rows


def expected_referral_rows() -> list[dict[str, Any]]:
    return [
        {
            "plan_action_id": action.pk,
            "family_id": action.assessment.contact_moment.family_id,
            "organisation_id": action.assessment.contact_moment.family.organisation_id,
            "date": action.assessment.contact_moment.date,
            "domain": action.assessment.domain,
            "partner_id": action.referral_id,
            "status": action.referral_status,
            "proposed_on": action.referral_proposed_on,
        }
        for action in PlanAction.objects.filter(referral__isnull=False).order_by("pk")
    ]


def assert_summaries_match() -> None:
    moment_fields = list(expected_moment_rows()[0]) if ContactMoment.objects.exists() else ["pk"]
    stored = list(ContactMomentSummary.objects.order_by("family_id", "date", "pk").values(*moment_fields))
    assert stored == expected_moment_rows()
    referral_fields = [
        "plan_action_id",
        "family_id",
        "organisation_id",
        "date",
        "domain",
        "partner_id",
        "status",
        "proposed_on",
    ]
    assert list(ReferralSummary.objects.order_by("pk").values(*referral_fields)) == expected_referral_rows()


@pytest.fixture
def recorded(family, certified_professional, partner) -> tuple[Family, ContactMoment]:
    """A family with an 8-week moment, a later one with a referral in one domain and concern in another."""
    eight_weeks = record(
        family,
        certified_professional,
        kind=ContactMoment.Kind.EIGHT_WEEKS_DOUBLE,
        date=TODAY() - datetime.timedelta(days=10),
    )
    later = record(family, certified_professional, (0, 0, 0, 0, 2), referral=partner)
    assert ContactMomentSummary.objects.filter(contact_moment=eight_weeks, is_first=True).exists()
    return family, later


def test_saving_contact_moments_fills_the_summaries(recorded):
    assert ContactMomentSummary.objects.count() == 2
    assert ReferralSummary.objects.count() == 5  # one referral in every domain
    assert_summaries_match()


def test_a_correction_through_the_page_refreshes_the_summaries(client_for, certified_professional, recorded):
    family, later = recorded
    data = form_data(kind=later.kind, levels=(3, 3, 3, 3, 3), reason="Verkeerd domein.")
    url = reverse("dmop:contact_moment_correct", args=[family.pk, later.pk])
    response = client_for(certified_professional).post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert ContactMomentSummary.objects.get(contact_moment=later).concern_parent_competence == 3
    assert_summaries_match()


def test_an_earlier_moment_recorded_later_becomes_the_first(recorded, certified_professional):
    family, _later = recorded
    earliest = record(
        family,
        certified_professional,
        kind=ContactMoment.Kind.OTHER,
        date=TODAY() - datetime.timedelta(days=30),
    )
    assert ContactMomentSummary.objects.get(contact_moment=earliest).is_first
    assert ContactMomentSummary.objects.filter(family=family, is_first=True).count() == 1
    assert_summaries_match()


def test_evaluating_a_plan_action_refreshes_the_summaries(recorded, certified_professional):
    _family, later = recorded
    action = PlanAction.objects.filter(assessment__contact_moment=later).first()
    plan_action_update(
        action=action, updated_by=certified_professional, status="done", referral_status="started"
    )
    assert_summaries_match()


def test_erasing_a_family_removes_its_summaries(recorded, other_family, certified_other_org):
    record(other_family, certified_other_org)
    family, _later = recorded
    family_delete(family=family)
    assert not ContactMomentSummary.objects.filter(family_id=family.pk).exists()
    assert ContactMomentSummary.objects.filter(family=other_family).count() == 1
    assert_summaries_match()


def test_the_retention_run_removes_the_summaries_of_expired_families(recorded, organisation):
    DmopPolicy.objects.create(organisation=organisation, retention_months=0)
    assert dmop_records_expire(today=TODAY() + datetime.timedelta(days=1)) == 1
    assert not ContactMomentSummary.objects.exists() and not ReferralSummary.objects.exists()
    assert_summaries_match()


def test_a_cohort_change_leaves_the_summaries_as_they_are(recorded, organisation, certified_professional):
    version = CourseVersion.objects.create(
        course=Course.objects.get_or_create(code="dmop", defaults={"name": "DMOP"})[0], label="2026-sum"
    )
    noord, zuid = (Cohort.objects.create(organisation=organisation, version=version, name=n) for n in "NZ")
    enrolment = Enrolment.objects.create(professional=certified_professional, version=version, group=noord)
    enrolment_cohort_change(enrolment=enrolment, cohort=zuid)
    assert_summaries_match()  # the cohort is looked up when the page asks, never stored
