import pytest
from django.urls import reverse

from courses.models import Evidence, Requirement
from tests.courses.conftest import requirement_of

Kind = Requirement.Kind


@pytest.fixture
def assignment(dmop_enrolment) -> Requirement:
    return requirement_of(dmop_enrolment, Kind.ASSIGNMENT)


@pytest.fixture
def url(dmop_enrolment, assignment) -> str:
    return reverse("courses:assignment_submit", args=[dmop_enrolment.pk, assignment.pk])


def test_the_professional_submits_an_assignment_for_review(client_for, url, professional, assignment):
    client = client_for(professional)
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "Casus: netwerk in kaart gebracht"})
    assert response["Location"] == reverse("courses:my_training")
    evidence = Evidence.objects.get(requirement=assignment)
    assert (evidence.status, evidence.text) == (Evidence.Status.SUBMITTED, "Casus: netwerk in kaart gebracht")
    assert "Wacht op beoordeling" in client.get(reverse("courses:my_training")).content.decode()


def test_an_empty_assignment_is_refused_with_a_clear_message(client_for, url, professional, assignment):
    response = client_for(professional).post(url, {"text": "  "})
    assert response.status_code == 200
    assert "Schrijf je opdracht voordat je die inlevert." in response.content.decode()
    assert not Evidence.objects.filter(requirement=assignment).exists()


def test_a_second_submission_while_one_awaits_review_is_refused_and_the_text_kept(
    client_for, url, professional
):
    client = client_for(professional)
    client.post(url, {"text": "eerste versie"})
    response = client.post(url, {"text": "tweede versie"})
    body = response.content.decode()
    assert "Deze opdracht is al ingeleverd of goedgekeurd." in body and "tweede versie" in body


@pytest.mark.parametrize("persona", ["supervisor", "coordinator", "administrator"])
def test_nobody_else_may_submit_for_the_professional(request, client_for, url, persona):
    assert client_for(request.getfixturevalue(persona)).post(url, {"text": "x"}).status_code == 403


@pytest.mark.parametrize("persona", ["colleague", "supervisor_unassigned", "coordinator_other_org"])
def test_outsiders_get_404(request, client_for, url, persona):
    assert client_for(request.getfixturevalue(persona)).get(url).status_code == 404


def test_anonymous_is_sent_to_the_login_page(client_for, url):
    assert client_for(None).get(url)["Location"].startswith("/login/")


def test_delete_is_not_allowed(client_for, url, professional):
    assert client_for(professional).delete(url).status_code == 405
