import pytest
from django.urls import reverse

from tests.dmop.conftest import new_family, record

URL = reverse("dmop:family_list")


def test_a_certified_professional_sees_the_families_of_their_organisation(client_for, family, other_family):
    response = client_for(family.registered_by).get(URL)
    assert response.status_code == 200
    assert family.code in response.content.decode()
    assert other_family.code not in response.content.decode()


def test_the_list_shows_the_number_of_contact_moments_and_the_last_date(client_for, family):
    record(family, family.registered_by)
    response = client_for(family.registered_by).get(URL)
    assert response.context["families"][0].moment_count == 1


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_coordinator_is_refused_with_the_explanation(client_for, coordinator, family):
    response = client_for(coordinator).get(URL)
    assert response.status_code == 403
    assert family.code not in response.content.decode()


def test_post_is_not_allowed(client_for, certified_professional):
    assert client_for(certified_professional).post(URL).status_code == 405


@pytest.mark.parametrize("count", [2, 30])
def test_the_list_costs_the_same_number_of_queries_for_few_and_many_families(
    count, client_for, organisation, certified_professional, django_assert_num_queries
):
    for number in range(count):
        family = new_family(organisation, certified_professional, code=f"F-{number:03}")
        record(family, certified_professional)
    client = client_for(certified_professional)
    client.get(URL)  # warm the session
    # session, user, TOTP device, certificate (gate), certificate (list scope), families, session save (3)
    with django_assert_num_queries(9):
        response = client.get(URL)
    assert len(response.context["families"]) == count
