import datetime

import pytest
from django.urls import reverse

from dmop.models import ContactMoment, Domain, Family, PlanAction
from tests.dmop.conftest import TODAY, add_partner, new_family, record, set_birth

FAMILIES = reverse("dmop-api-family-list")
PARTNERS = reverse("dmop-api-partner-list")


def detail_url(family) -> str:  # type: ignore[no-untyped-def]
    return reverse("dmop-api-family-detail", args=[family.pk])


def moments_url(family) -> str:  # type: ignore[no-untyped-def]
    return reverse("dmop-api-contact-moment-create", args=[family.pk])


def payload(*, kind: str = "8w_double", levels=(0, 1, 2, 3, 0), referral=None, date=None) -> dict:  # type: ignore[no-untyped-def]
    return {
        "date": (date or TODAY()).isoformat(),
        "type": kind,
        "assessments": [
            {
                "domain": domain,
                "concern_level": level,
                "risk_factors": "Weinig slaap",
                "protective_factors": "Betrokken grootouders",
                "plan_actions": [
                    {"description": "Slaapadvies", "agreed_with_parents": True, "referral": referral}
                ],
            }
            for domain, level in zip(Domain.values, levels, strict=True)
        ],
    }


def test_the_family_list_shows_our_families_only(client_for, family, other_family):
    record(family, family.registered_by)
    response = client_for(family.registered_by).get(FAMILIES)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["code"], r["contact_moment_count"]) for r in results] == [(family.code, 1)]


def test_a_family_is_registered_through_the_api(client_for, certified_professional, organisation):
    response = client_for(certified_professional).post(
        FAMILIES, {"code": "API-1", "child_birth_month": "2026-08"}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["child_birth_month"] == "2026-08"
    assert Family.objects.get(code="API-1").organisation == organisation


def test_an_invalid_family_code_gives_a_field_level_dutch_message(client_for, certified_professional):
    response = client_for(certified_professional).post(
        FAMILIES, {"code": "Piet Jansen", "child_birth_month": "2026-01"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": ["Gebruik 3 tot 32 letters, cijfers of koppeltekens; nooit een naam of BSN."]
    }


def test_a_duplicate_family_code_gives_a_field_level_message(client_for, family):
    response = client_for(family.registered_by).post(
        FAMILIES, {"code": family.code, "child_birth_month": "2026-01"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"code": ["Deze familiecode is in je organisatie al in gebruik."]}


def test_the_family_detail_includes_the_timeline_with_rising_domains(client_for, family):
    set_birth(family, 150)
    record(
        family,
        family.registered_by,
        (1, 1, 1, 1, 1),
        kind="8w_double",
        date=TODAY() - datetime.timedelta(days=90),
    )
    record(family, family.registered_by, (1, 2, 0, 1, 3), date=TODAY() - datetime.timedelta(days=40))
    data = client_for(family.registered_by).get(detail_url(family)).json()
    assert data["code"] == family.code
    assert [m["type"] for m in data["contact_moments"]] == ["8w_double", "3m"]
    assert data["timeline"]["rising_domains"] == ["partner_role", "child_wellbeing"]
    wellbeing = data["timeline"]["rows"][4]
    assert wellbeing["label"] == "Welbevinden van het kind"
    assert wellbeing["cells"] == [{"concern_level": 1, "rose": False}, {"concern_level": 3, "rose": True}]


def test_a_contact_moment_is_recorded_through_the_api(client_for, family, partner):
    response = client_for(family.registered_by).post(
        moments_url(family), payload(referral=partner.pk), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    moment = ContactMoment.objects.get()
    assert response.json()["id"] == moment.pk
    assert moment.assessments.count() == 5
    assert PlanAction.objects.filter(referral=partner).count() == 5


def test_a_contact_moment_in_the_future_is_refused_by_the_service_rule(client_for, family):
    data = payload(date=TODAY() + datetime.timedelta(days=1))
    response = client_for(family.registered_by).post(
        moments_url(family), data, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["date"] == ["Een contactmoment kan niet in de toekomst liggen."]
    assert not ContactMoment.objects.exists()


def test_invalid_contact_moments_give_field_level_messages(client_for, family, other_partner):
    data = payload(referral=other_partner.pk)
    data["assessments"][1]["concern_level"] = 7
    data["assessments"].pop()
    response = client_for(family.registered_by).post(
        moments_url(family), data, content_type="application/json"
    )
    assert response.status_code == 400
    errors = response.json()
    # DRF keys the errors of list items by their index.
    assert errors["assessments"]["1"]["concern_level"] == ['"7" is een ongeldige keuze.']
    assert errors["assessments"]["0"]["plan_actions"]["0"]["referral"] == [
        "Verwijs alleen naar partners op de sociale kaart van je organisatie."
    ]
    assert not ContactMoment.objects.exists()


def test_a_contact_moment_missing_a_domain_is_refused(client_for, family):
    data = payload()
    data["assessments"].pop()
    response = client_for(family.registered_by).post(
        moments_url(family), data, content_type="application/json"
    )
    assert response.json() == {"assessments": ["Beoordeel elk van de vijf domeinen precies één keer."]}


def test_a_second_8_week_contact_moment_is_refused(client_for, family):
    record(family, family.registered_by, kind="8w_double")
    response = client_for(family.registered_by).post(
        moments_url(family), payload(), content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["type"]


def test_other_organisations_get_404_for_our_families(client_for, family, certified_other_org):
    client = client_for(certified_other_org)
    assert client.get(detail_url(family)).status_code == 404
    assert client.post(moments_url(family), payload(), content_type="application/json").status_code == 404


def test_the_partner_list_serves_professionals_and_coordinators(
    client_for, certified_professional, coordinator, partner, other_partner
):
    for user in (certified_professional, coordinator):
        results = client_for(user).get(PARTNERS).json()["results"]
        assert results == [
            {
                "id": partner.pk,
                "name": partner.name,
                "contact": "",
                "domains": ["parent_competence", "child_wellbeing"],
            }
        ]


def test_anonymous_callers_are_refused(client, family):
    assert client.get(FAMILIES).status_code in (401, 403)
    assert client.get(PARTNERS).status_code in (401, 403)


def test_wrong_methods_are_not_allowed(client_for, family):
    client = client_for(family.registered_by)
    assert client.delete(detail_url(family)).status_code == 405
    assert client.get(moments_url(family)).status_code == 405
    assert client.post(PARTNERS).status_code == 405


def test_the_schema_documents_the_dmop_api(client_for, certified_professional):
    schema = client_for(certified_professional).get("/api/schema/", {"format": "json"}).json()
    for path in [
        "/api/dmop/families/",
        "/api/dmop/families/{id}/",
        "/api/dmop/families/{id}/contact-moments/",
        "/api/dmop/partners/",
        "/api/dmop/families/{id}/export.csv",
        "/api/dmop/organisation/export.json",
    ]:
        assert path in schema["paths"], path


@pytest.mark.parametrize("count", [2, 25])
def test_the_api_lists_cost_the_same_number_of_queries_for_few_and_many_rows(
    count, client_for, organisation, certified_professional, django_assert_num_queries
):
    for number in range(count):
        record(
            new_family(organisation, certified_professional, code=f"F-{number:03}"), certified_professional
        )
        add_partner(organisation, f"Partner {number}", [Domain.EVENTS])
    client = client_for(certified_professional)
    client.get(FAMILIES)
    # session, user, TOTP device, certificate (permission), certificate (scope), count, page, session save (3)
    with django_assert_num_queries(10):
        assert len(client.get(FAMILIES).json()["results"]) == count
    # session, user, TOTP device, certificate (permission), count, page, domains, session save (3)
    with django_assert_num_queries(10):
        assert len(client.get(PARTNERS).json()["results"]) == count


@pytest.mark.parametrize("moments", [1, 10])
def test_the_family_detail_costs_the_same_number_of_queries_for_few_and_many_contact_moments(
    moments, client_for, family, django_assert_num_queries
):
    for number in range(moments):
        record(family, family.registered_by, date=TODAY() - datetime.timedelta(days=number))
    client = client_for(family.registered_by)
    client.get(detail_url(family))
    # the access-log line costs 3 (lock the chain head, insert, move the head)
    with django_assert_num_queries(14):
        assert len(client.get(detail_url(family)).json()["contact_moments"]) == moments
