import datetime

import pytest
from django.urls import reverse

from dmop.models import ContactMoment, Domain, DomainAssessment, PlanAction
from tests.dmop.conftest import TODAY, record


def url(family) -> str:  # type: ignore[no-untyped-def]
    return reverse("dmop:contact_moment_new", args=[family.pk])


def form_data(
    *, date: str = "", kind: str = "8w_double", levels=(0, 1, 2, 3, 0), **extra: str
) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = {
        "date": date or TODAY().isoformat(),
        "kind": kind,
        "domains-TOTAL_FORMS": "5",
        "domains-INITIAL_FORMS": "5",
        "domains-MIN_NUM_FORMS": "5",
        "domains-MAX_NUM_FORMS": "5",
    }
    for index, (domain, level) in enumerate(zip(Domain.values, levels, strict=True)):
        data[f"domains-{index}-domain"] = domain
        data[f"domains-{index}-risk_factors"] = f"Risico {index}"
        data[f"domains-{index}-protective_factors"] = f"Steun {index}"
        if level is not None:
            data[f"domains-{index}-concern_level"] = str(level)
    data.update(extra)
    return data


def test_the_form_shows_the_five_domains_on_one_page(client_for, family):
    body = client_for(family.registered_by).get(url(family)).content.decode()
    for label in [
        "Competentie van de ouders",
        "Rol van de partner",
        "Sociaal netwerk",
        "Gebeurtenissen en omstandigheden",
        "Welbevinden van het kind",
    ]:
        assert label in body
    assert "Dubbel contactmoment 8 weken" in body


def test_a_certified_professional_records_a_contact_moment_with_a_referral(client_for, family, partner):
    data = form_data(
        **{
            "domains-0-plan_description": "Opvoedondersteuning bij slapen",
            "domains-0-plan_agreed_with_parents": "on",
            "domains-0-referral": str(partner.pk),
        }
    )
    response = client_for(family.registered_by).post(url(family), data)
    moment = ContactMoment.objects.get(family=family)
    assert response.status_code == 302
    assert response["Location"] == reverse("dmop:contact_moment_detail", args=[family.pk, moment.pk])
    levels = dict(
        DomainAssessment.objects.filter(contact_moment=moment).values_list("domain", "concern_level")
    )
    assert levels == dict(zip(Domain.values, [0, 1, 2, 3, 0], strict=True))
    action = PlanAction.objects.get()
    assert (action.description, action.agreed_with_parents, action.referral) == (
        "Opvoedondersteuning bij slapen",
        True,
        partner,
    )
    assert action.assessment.domain == Domain.PARENT_COMPETENCE


def test_a_colleague_of_the_same_organisation_may_record_the_next_contact_moment(
    client_for, family, certified_colleague
):
    response = client_for(certified_colleague).post(url(family), form_data(kind="3m"))
    assert response.status_code == 302
    assert ContactMoment.objects.get().professional == certified_colleague


def test_a_missing_level_of_concern_is_reported_and_everything_typed_is_kept(client_for, family):
    data = form_data(levels=(0, 1, None, 3, 0), **{"domains-2-plan_description": "Buurtgezinnen inschakelen"})
    response = client_for(family.registered_by).post(url(family), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dit veld is vereist." in body
    assert "Risico 4" in body and "Buurtgezinnen inschakelen" in body
    assert not ContactMoment.objects.exists()


def test_a_referral_without_an_agreement_is_refused(client_for, family, partner):
    data = form_data(**{"domains-1-referral": str(partner.pk)})
    response = client_for(family.registered_by).post(url(family), data)
    assert "Beschrijf de afspraak die bij deze verwijzing hoort." in response.content.decode()
    assert not ContactMoment.objects.exists()


def test_a_partner_of_another_organisation_cannot_be_chosen(client_for, family, other_partner):
    data = form_data(**{"domains-0-plan_description": "x", "domains-0-referral": str(other_partner.pk)})
    response = client_for(family.registered_by).post(url(family), data)
    assert response.status_code == 200
    assert other_partner.name not in response.content.decode()
    assert not ContactMoment.objects.exists()


def test_a_date_in_the_future_is_refused(client_for, family):
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    response = client_for(family.registered_by).post(url(family), form_data(date=tomorrow))
    assert "Een contactmoment kan niet in de toekomst liggen." in response.content.decode()


def test_a_second_double_contact_moment_at_8_weeks_is_refused(client_for, family):
    record(family, family.registered_by, kind="8w_double")
    response = client_for(family.registered_by).post(url(family), form_data(kind="8w_double"))
    assert "Dit gezin heeft al een dubbel contactmoment 8 weken" in response.content.decode()
    assert ContactMoment.objects.count() == 1


def test_a_tampered_formset_with_a_domain_twice_is_refused(client_for, family):
    data = form_data(**{"domains-4-domain": Domain.PARENT_COMPETENCE})
    response = client_for(family.registered_by).post(url(family), data)
    assert "Beoordeel elk van de vijf domeinen precies één keer." in response.content.decode()
    assert not ContactMoment.objects.exists()


def test_a_family_of_another_organisation_is_not_found(client_for, certified_professional, other_family):
    assert client_for(certified_professional).post(url(other_family), form_data()).status_code == 404
    assert not ContactMoment.objects.exists()


def test_anonymous_visitors_go_to_the_login_page(client, family):
    assert "/login/" in client.post(url(family), form_data())["Location"]


def test_put_is_not_allowed(client_for, family):
    assert client_for(family.registered_by).put(url(family)).status_code == 405


@pytest.mark.parametrize("partners", [1, 20])
def test_the_form_costs_the_same_number_of_queries_for_few_and_many_partners(
    partners, client_for, family, organisation, django_assert_num_queries
):
    from tests.dmop.conftest import add_partner

    for number in range(partners):
        add_partner(organisation, f"Partner {number}", [Domain.SOCIAL_NETWORK])
    client = client_for(family.registered_by)
    client.get(url(family))
    # session, user, TOTP device, certificate (gate), family, certificate (access), partners, their domains,
    # the family's concerns (extra moment trigger), the factor lists, session save (3)
    with django_assert_num_queries(13):
        client.get(url(family))


def test_recording_a_contact_moment_is_written_to_the_access_log(client_for, family):
    from audit.models import AccessLogEntry

    client_for(family.registered_by).post(url(family), form_data(), REMOTE_ADDR="10.1.2.3")
    entry = AccessLogEntry.objects.get(object_type="dmop.contact_moment")
    assert (entry.action_code, entry.family_code, entry.access_point) == ("C", family.code, "10.1.2.3")


def test_partners_serving_a_domain_are_offered_first_for_that_domain(
    client_for, family, partner, organisation
):
    from tests.dmop.conftest import add_partner

    wijkteam = add_partner(organisation, "Wijkteam Noord", [Domain.SOCIAL_NETWORK])
    response = client_for(family.registered_by).get(url(family))
    forms = response.context["formset"].forms
    parents, network = forms[0].fields["referral"].choices, forms[2].fields["referral"].choices
    assert parents[1] == ("Partners voor dit domein", [(partner.pk, partner.name)])
    assert parents[2] == ("Overige partners", [(wijkteam.pk, wijkteam.name)])
    assert network[1] == ("Partners voor dit domein", [(wijkteam.pk, wijkteam.name)])
