"""DMOP fidelity: contact moments follow the child's age and the schedule, extra moments answer a concern,
saved moments are corrected with their history kept, factors come from lists, plan actions and referrals
carry a status, and records do not outlive the organisation's retention period."""

import datetime

from django.urls import reverse

from audit.models import AccessLogEntry
from dmop.models import ContactMoment, ContactMomentVersion, DmopPolicy, Factor, Family, PlanAction
from dmop.services import dmop_records_expire
from tests.dmop.conftest import TODAY, record, set_birth
from tests.dmop.test_contact_moment_new import form_data


def new_url(family) -> str:  # type: ignore[no-untyped-def]
    return reverse("dmop:contact_moment_new", args=[family.pk])


def correct_url(moment) -> str:  # type: ignore[no-untyped-def]
    return reverse("dmop:contact_moment_correct", args=[moment.family_id, moment.pk])


def test_the_8_week_double_contact_moment_is_refused_for_a_child_born_three_years_ago(client_for, family):
    set_birth(family, 3 * 365)
    response = client_for(family.registered_by).post(new_url(family), form_data(kind="8w_double"))
    assert response.status_code == 200
    assert "6 tot 11 weken" in str(response.context["form"].errors["kind"])
    assert not ContactMoment.objects.exists()


def test_the_8_week_double_contact_moment_is_accepted_around_8_weeks(client_for, family):
    set_birth(family, 56)
    response = client_for(family.registered_by).post(new_url(family), form_data(kind="8w_double"))
    assert response.status_code == 302
    assert ContactMoment.objects.get().kind == "8w_double"


def test_a_family_without_a_month_of_birth_cannot_get_a_scheduled_contact_moment(client_for, family):
    Family.objects.filter(pk=family.pk).update(child_birth_month=None)
    response = client_for(family.registered_by).post(new_url(family), form_data(kind="3m"))
    assert "geboortemaand" in str(response.context["form"].errors["kind"])


def test_a_scheduled_moment_dated_after_a_later_one_of_the_schedule_is_refused(client_for, family):
    born = (TODAY() - datetime.timedelta(days=300)).replace(day=1)
    Family.objects.filter(pk=family.pk).update(child_birth_month=born)
    family.refresh_from_db()
    record(family, family.registered_by, kind="9m", date=born + datetime.timedelta(days=250))
    # Both fit the child's age (only the month of birth is known), but 6 months comes before 9 months.
    late = (born + datetime.timedelta(days=255)).isoformat()
    response = client_for(family.registered_by).post(new_url(family), form_data(kind="6m", date=late))
    assert "volgorde" in str(response.context["form"].errors["kind"])
    assert ContactMoment.objects.count() == 1


def test_an_extra_contact_moment_names_the_concern_that_triggered_it(client_for, family):
    moment = record(family, family.registered_by, (0, 2, 0, 0, 0), kind="3m")
    concern = moment.assessments.get(domain="partner_role")
    calm = moment.assessments.get(domain="parent_competence")
    client = client_for(family.registered_by)
    missing = client.post(new_url(family), form_data(kind="extra"))
    assert "zorg" in str(missing.context["form"].errors["triggered_by"])
    not_a_concern = client.post(new_url(family), form_data(kind="extra", triggered_by=str(calm.pk)))
    assert not_a_concern.context["form"].errors["triggered_by"]  # not offered: no concern in that domain
    assert (
        client.post(new_url(family), form_data(kind="extra", triggered_by=str(concern.pk))).status_code == 302
    )
    assert ContactMoment.objects.get(kind="extra").triggered_by == concern


def test_factors_are_chosen_from_the_list_of_their_own_domain(client_for, family):
    own = Factor.objects.get(domain="parent_competence", label="Onzekerheid in de verzorging")
    foreign = Factor.objects.get(domain="social_network", label="Sociaal isolement")
    client = client_for(family.registered_by)
    response = client.post(
        new_url(family), form_data(kind="3m", **{"domains-0-risk_factor_ids": str(foreign.pk)})
    )
    assert response.status_code == 200 and not ContactMoment.objects.exists()
    client.post(new_url(family), form_data(kind="3m", **{"domains-0-risk_factor_ids": str(own.pk)}))
    assessment = ContactMoment.objects.get().assessments.get(domain="parent_competence")
    assert list(assessment.factors.all()) == [own]


def test_the_author_corrects_a_saved_contact_moment_and_the_previous_version_is_kept(client_for, family):
    moment = record(family, family.registered_by, (0, 0, 0, 0, 0), kind="3m")
    response = client_for(family.registered_by).post(
        correct_url(moment), form_data(kind="3m", levels=(2, 0, 0, 0, 1))
    )
    assert response.status_code == 302
    assert moment.assessments.get(domain="parent_competence").concern_level == 2
    version = ContactMomentVersion.objects.get(contact_moment=moment)
    assert [a["concern_level"] for a in version.snapshot["assessments"]] == [0, 0, 0, 0, 0]
    entry = AccessLogEntry.objects.get(action_code="U", object_type="dmop.contact_moment")
    assert entry.family_code == family.code
    page = client_for(family.registered_by).get(
        reverse("dmop:contact_moment_detail", args=[family.pk, moment.pk])
    )
    assert "Eerdere versies" in page.content.decode()


def test_a_colleague_or_a_late_correction_needs_a_reason(client_for, family, certified_colleague):
    moment = record(family, family.registered_by, kind="3m")
    client = client_for(certified_colleague)
    refused = client.post(correct_url(moment), form_data(kind="3m", levels=(1, 0, 0, 0, 0)))
    assert refused.context["form"].errors["reason"]
    assert not ContactMomentVersion.objects.exists()
    ContactMoment.objects.filter(pk=moment.pk).update(
        created_at=moment.created_at - datetime.timedelta(days=30)
    )
    late = client_for(family.registered_by).post(
        correct_url(moment), form_data(kind="3m", levels=(1, 0, 0, 0, 0))
    )
    assert late.context["form"].errors["reason"]
    done = client.post(
        correct_url(moment), form_data(kind="3m", levels=(1, 0, 0, 0, 0), reason="Verkeerd domein")
    )
    assert done.status_code == 302
    assert ContactMomentVersion.objects.get().reason == "Verkeerd domein"


def test_a_referral_moves_through_its_statuses_with_dates(client_for, family, partner):
    moment = record(family, family.registered_by, kind="3m", referral=partner)
    action = PlanAction.objects.filter(assessment__contact_moment=moment).first()
    assert (action.referral_status, action.referral_proposed_on) == ("proposed", TODAY())
    url = reverse("dmop:plan_action_edit", args=[family.pk, action.pk])
    client = client_for(family.registered_by)
    response = client.post(url, {"status": "done", "evaluation": "Loopt goed", "referral_status": "accepted"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.evaluation, action.referral_status) == ("done", "Loopt goed", "accepted")
    assert action.referral_accepted_on == TODAY()
    assert client.post(url, {"status": "bogus"}).status_code == 200


def test_records_past_the_retention_period_are_deleted(client_for, family, organisation):
    set_birth(family, 5 * 365)
    record(family, family.registered_by, kind="other", date=TODAY() - datetime.timedelta(days=800))
    DmopPolicy.objects.create(organisation=organisation, retention_months=24)
    assert dmop_records_expire() == 1
    assert (
        client_for(family.registered_by).get(reverse("dmop:family_detail", args=[family.pk])).status_code
        == 404
    )
    assert AccessLogEntry.objects.filter(action_code="D", object_type="dmop.family").exists()


def test_records_within_the_retention_period_are_kept(family, organisation):
    record(family, family.registered_by, kind="other", date=TODAY() - datetime.timedelta(days=300))
    DmopPolicy.objects.create(organisation=organisation, retention_months=24)
    assert dmop_records_expire() == 0
    assert Family.objects.filter(pk=family.pk).exists()


def test_a_family_needs_the_childs_month_of_birth(client_for, certified_professional):
    response = client_for(certified_professional).post(reverse("dmop:family_new"), {"code": "NRD-55"})
    assert response.context["form"].errors["child_birth_month"]
    assert not Family.objects.exists()
