import pytest
from django.urls import reverse


@pytest.fixture
def url(dmop_enrolment) -> str:
    return reverse("courses:enrolment_detail", args=[dmop_enrolment.pk])


@pytest.mark.parametrize("persona", ["professional", "supervisor", "coordinator", "administrator"])
def test_people_with_a_relation_to_the_professional_see_the_enrolment(request, client_for, url, persona):
    response = client_for(request.getfixturevalue(persona)).get(url)
    assert response.status_code == 200
    assert "Trainingsdag 1: het DMO-protocol en de vijf domeinen" in response.content.decode()


def test_only_the_assigned_supervisor_gets_the_buttons_to_register(client_for, url, supervisor, coordinator):
    assert "/attendance/" in client_for(supervisor).get(url).content.decode()
    assert "/attendance/" not in client_for(coordinator).get(url).content.decode()


@pytest.mark.parametrize(
    "persona", ["colleague", "professional_other_org", "supervisor_unassigned", "coordinator_other_org"]
)
def test_outsiders_get_404(request, client_for, url, persona):
    assert client_for(request.getfixturevalue(persona)).get(url).status_code == 404


def test_an_unknown_enrolment_is_404(client_for, administrator):
    assert (
        client_for(administrator).get(reverse("courses:enrolment_detail", args=[999999])).status_code == 404
    )


def test_anonymous_is_sent_to_the_login_page(client_for, url):
    response = client_for(None).get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_post_is_not_allowed(client_for, url, professional):
    assert client_for(professional).post(url).status_code == 405
