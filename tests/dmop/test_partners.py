import datetime

import pytest
from django.urls import reverse

from dmop.models import ContactMoment, Domain, Partner
from tests.dmop.conftest import TODAY, add_partner, new_family, record

LIST = reverse("dmop:partner_list")
NEW = reverse("dmop:partner_new")


def edit_url(partner) -> str:  # type: ignore[no-untyped-def]
    return reverse("dmop:partner_edit", args=[partner.pk])


def delete_url(partner) -> str:  # type: ignore[no-untyped-def]
    return reverse("dmop:partner_delete", args=[partner.pk])


def test_the_coordinator_sees_the_partners_and_the_domains_without_a_partner(
    client_for, coordinator, partner, other_partner
):
    response = client_for(coordinator).get(LIST)
    body = response.content.decode()
    assert response.status_code == 200
    assert partner.name in body and other_partner.name not in body
    assert [d.value for d in response.context["gaps"]] == [
        Domain.PARTNER_ROLE,
        Domain.SOCIAL_NETWORK,
        Domain.EVENTS,
    ]
    assert response.context["coverage"][0] == (Domain.PARENT_COMPETENCE, 1)
    assert body.count("lacune in het zorgaanbod") == 3
    assert "Partner toevoegen" in body


def test_no_gaps_when_every_domain_is_served(client_for, coordinator, organisation):
    add_partner(organisation, "Alles-in-een", Domain.values)
    response = client_for(coordinator).get(LIST)
    assert response.context["gaps"] == []
    assert "Elk domein heeft ten minste één partner." in response.content.decode()


def test_a_certified_professional_sees_the_sociale_kaart_but_cannot_manage_it(
    client_for, certified_professional, partner
):
    response = client_for(certified_professional).get(LIST)
    assert partner.name in response.content.decode()
    assert "Partner toevoegen" not in response.content.decode()
    assert client_for(certified_professional).get(NEW).status_code == 403
    assert client_for(certified_professional).post(edit_url(partner), {"name": "X"}).status_code == 403


def test_the_coordinator_adds_a_partner_with_the_domains_it_serves(client_for, coordinator, organisation):
    data = {
        "name": "Wijkteam Noord",
        "contact": "wijkteam@noord.example",
        "domains": ["social_network", "events_circumstances"],
    }
    response = client_for(coordinator).post(NEW, data)
    assert response.status_code == 302
    partner = Partner.objects.get(name="Wijkteam Noord")
    assert partner.organisation == organisation
    assert partner.domain_values == ["social_network", "events_circumstances"]


def test_a_partner_without_domains_is_refused_and_the_name_is_kept(client_for, coordinator):
    response = client_for(coordinator).post(NEW, {"name": "Wijkteam Noord"})
    body = response.content.decode()
    assert "Kies ten minste één van de vijf domeinen." in body
    assert 'value="Wijkteam Noord"' in body
    assert not Partner.objects.exists()


def test_the_coordinator_edits_a_partner(client_for, coordinator, partner):
    data = {"name": "Opvoedpoli", "contact": "", "domains": ["partner_role"]}
    assert client_for(coordinator).post(edit_url(partner), data).status_code == 302
    partner.refresh_from_db()
    assert (partner.name, partner.domain_values) == ("Opvoedpoli", ["partner_role"])


def test_the_edit_form_shows_the_current_values(client_for, coordinator, partner):
    body = client_for(coordinator).get(edit_url(partner)).content.decode()
    assert 'value="Opvoedpoli Noord"' in body
    assert body.count("checked") == 2


def test_deleting_a_partner_without_referrals_removes_it(client_for, coordinator, partner):
    assert client_for(coordinator).post(delete_url(partner)).status_code == 302
    assert not Partner.objects.exists()


def test_deleting_a_partner_with_referrals_archives_it_and_keeps_the_referrals(
    client_for, coordinator, family, partner
):
    record(family, family.registered_by, referral=partner)
    client = client_for(coordinator)
    client.post(delete_url(partner))
    partner.refresh_from_db()
    assert partner.archived_at is not None
    assert partner.referrals.count() == 5
    assert partner.name not in client.get(LIST).content.decode()
    assert client.get(edit_url(partner)).status_code == 404


def test_the_delete_page_asks_for_confirmation(client_for, coordinator, partner):
    response = client_for(coordinator).get(delete_url(partner))
    assert response.status_code == 200
    assert Partner.objects.filter(pk=partner.pk).exists()


def test_another_organisations_coordinator_cannot_reach_our_partners(
    client_for, coordinator_other_org, partner
):
    client = client_for(coordinator_other_org)
    assert client.get(edit_url(partner)).status_code == 404
    assert client.post(delete_url(partner)).status_code == 404
    assert Partner.objects.filter(pk=partner.pk).exists()


def test_anonymous_visitors_go_to_the_login_page(client, partner):
    assert "/login/" in client.get(LIST)["Location"]


def test_wrong_methods_are_not_allowed(client_for, coordinator, partner):
    client = client_for(coordinator)
    assert client.post(LIST).status_code == 405
    assert client.put(edit_url(partner)).status_code == 405


@pytest.mark.parametrize("count", [2, 25])
def test_the_list_costs_the_same_number_of_queries_for_few_and_many_partners(
    count, client_for, coordinator, organisation, django_assert_num_queries
):
    for number in range(count):
        add_partner(organisation, f"Partner {number}", [Domain.SOCIAL_NETWORK, Domain.EVENTS])
    client = client_for(coordinator)
    client.get(LIST)
    # session, user, TOTP device, partners, their domains, the demand (8-week window and data version:
    # served from the cache), session save (3)
    with django_assert_num_queries(10):
        response = client.get(LIST)
    assert len(response.context["partners"]) == count


def demand_cell(body: str, domain: str, name: str) -> str:
    row = body.split(f'<tr data-domain="{domain}">', 1)[1].split("</tr>", 1)[0]
    return row.split(f'data-figure="{name}">', 1)[1].split("</td>", 1)[0].strip()


def test_the_sociale_kaart_shows_demand_concern_without_a_partner_and_long_waits(
    client_for, coordinator, organisation, certified_professional, partner
):
    """Ten families with concern about their social network, which no partner serves, each referred (in
    every domain) seven weeks ago and still waiting."""
    seven_weeks_ago = TODAY() - datetime.timedelta(weeks=7)
    for number in range(10):
        family = new_family(organisation, certified_professional, code=f"VRAAG-{number:02}")
        record(
            family,
            certified_professional,
            (0, 0, 2, 0, 0),
            kind=ContactMoment.Kind.OTHER,
            date=seven_weeks_ago,
            referral=partner,
        )
    body = client_for(coordinator).get(LIST).content.decode()
    assert demand_cell(body, Domain.SOCIAL_NETWORK, "concern") == "10"
    assert demand_cell(body, Domain.CHILD_WELLBEING, "concern") == "&lt;10"
    assert demand_cell(body, Domain.CHILD_WELLBEING, "long_waits") == "10"
    gaps = body.split('data-figure="demand-gaps">', 1)[1].split("</p>", 1)[0]
    assert "Sociaal netwerk" in gaps and "Welbevinden" not in gaps
    assert "VRAAG-" not in body  # aggregates only
