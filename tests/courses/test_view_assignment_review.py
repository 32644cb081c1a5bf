import re

import pytest
from django.urls import reverse

from courses import services
from courses.models import Evidence, Requirement
from tests.courses.conftest import requirement_of

Kind = Requirement.Kind


@pytest.fixture
def submitted(dmop_enrolment, professional) -> Evidence:
    return services.assignment_submit(
        enrolment=dmop_enrolment,
        requirement=requirement_of(dmop_enrolment, Kind.ASSIGNMENT),
        actor=professional,
        text="Mijn casus",
    )


@pytest.fixture
def url(submitted) -> str:
    return reverse("courses:assignment_review", args=[submitted.pk])


def test_the_trainer_reads_and_approves_the_assignment(client_for, url, supervisor, submitted):
    client = client_for(supervisor)
    assert "Mijn casus" in client.get(url).content.decode()
    response = client.post(url, {"decision": "approve", "comment": "Helder"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.reviewed_by) == (Evidence.Status.APPROVED, supervisor)


def test_returning_without_a_comment_is_refused_and_the_choice_kept(client_for, url, supervisor, submitted):
    response = client_for(supervisor).post(url, {"decision": "return", "comment": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Leg uit wat er aangepast moet worden als je een opdracht terugstuurt." in body
    assert re.search(r'value="return"[^>]*checked', body)
    submitted.refresh_from_db()
    assert submitted.status == Evidence.Status.SUBMITTED


def test_a_missing_decision_is_refused(client_for, url, supervisor):
    response = client_for(supervisor).post(url, {"comment": "x"})
    assert "Kies of je de opdracht goedkeurt." in response.content.decode()


@pytest.mark.parametrize("persona", ["professional", "coordinator", "administrator"])
def test_the_professional_and_managers_may_not_review(request, client_for, url, persona, submitted):
    assert client_for(request.getfixturevalue(persona)).post(url, {"decision": "approve"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Evidence.Status.SUBMITTED


@pytest.mark.parametrize("persona", ["colleague", "supervisor_unassigned", "coordinator_other_org"])
def test_outsiders_get_404(request, client_for, url, persona):
    assert client_for(request.getfixturevalue(persona)).get(url).status_code == 404


def test_anonymous_is_sent_to_the_login_page(client_for, url):
    assert client_for(None).get(url)["Location"].startswith("/login/")


def test_patch_is_not_allowed(client_for, url, supervisor):
    assert client_for(supervisor).patch(url).status_code == 405
