from django.urls import reverse

from tests.dmop.conftest import new_family, record


def test_the_contact_moment_shows_each_domain_with_its_plan_and_referral(client_for, family, partner):
    moment = record(family, family.registered_by, (0, 1, 2, 3, 0), referral=partner)
    response = client_for(family.registered_by).get(
        reverse("dmop:contact_moment_detail", args=[family.pk, moment.pk])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "3 · ernstige zorg" in body
    assert "Afspraak parent_competence" in body
    assert body.count(partner.name) == 5
    assert [a.domain for a in response.context["assessments"]][0] == "parent_competence"


def test_a_contact_moment_of_another_family_is_not_found(client_for, family, organisation):
    other = new_family(organisation, family.registered_by, code="NRD-2")
    moment = record(other, family.registered_by)
    url = reverse("dmop:contact_moment_detail", args=[family.pk, moment.pk])
    assert client_for(family.registered_by).get(url).status_code == 404


def test_post_is_not_allowed(client_for, family):
    moment = record(family, family.registered_by)
    url = reverse("dmop:contact_moment_detail", args=[family.pk, moment.pk])
    assert client_for(family.registered_by).post(url).status_code == 405
