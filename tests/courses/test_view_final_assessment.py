import pytest
from django.urls import reverse

from certification.models import Certificate
from courses.models import Enrolment, Evidence, Requirement
from tests.courses.conftest import criteria_data, meet_all_but_final, requirement_of

Kind = Requirement.Kind


@pytest.fixture
def final(vib_enrolment) -> Requirement:
    return requirement_of(vib_enrolment, Kind.FINAL_ASSESSMENT)


@pytest.fixture
def url(vib_enrolment, final) -> str:
    return reverse("courses:final_assessment", args=[vib_enrolment.pk, final.pk])


def test_the_trainer_passes_the_trainee_who_then_is_certified(
    client_for, url, vib_enrolment, professional, supervisor, supervisor_unassigned, final
):
    meet_all_but_final(vib_enrolment, supervisor, supervisor_unassigned)
    response = client_for(supervisor).post(
        url, {"passed": "yes", "motivation": "Werkt zelfstandig met VIB"} | criteria_data(final)
    )
    assert response.status_code == 302
    vib_enrolment.refresh_from_db()
    assert vib_enrolment.status == Enrolment.Status.COMPLETED
    certificate = Certificate.objects.get(professional=professional)
    assert certificate.status == "certified"


def test_passing_before_everything_is_met_is_refused_and_the_motivation_kept(
    client_for, url, supervisor, final
):
    response = client_for(supervisor).post(
        url, {"passed": "yes", "motivation": "Prima gedaan"} | criteria_data(final)
    )
    body = response.content.decode()
    assert "Nog niet alle onderdelen zijn behaald" in body and "Prima gedaan" in body
    assert not Evidence.objects.filter(requirement=final).exists()


def test_a_judgement_without_motivation_is_refused(client_for, url, supervisor, final):
    response = client_for(supervisor).post(url, {"passed": "no", "motivation": ""} | criteria_data(final))
    assert "Geef een korte motivering bij je oordeel." in response.content.decode()


@pytest.mark.parametrize("persona", ["professional", "coordinator", "administrator"])
def test_nobody_but_the_trainer_signs_off(request, client_for, url, persona, final):
    response = client_for(request.getfixturevalue(persona)).post(
        url, {"passed": "yes", "motivation": "x"} | criteria_data(final)
    )
    assert response.status_code == 403
    assert not Evidence.objects.filter(requirement=final).exists()


@pytest.mark.parametrize("persona", ["supervisor_unassigned", "coordinator_other_org", "colleague"])
def test_outsiders_get_404(request, client_for, url, persona):
    assert client_for(request.getfixturevalue(persona)).get(url).status_code == 404


def test_anonymous_is_sent_to_the_login_page(client_for, url):
    assert client_for(None).get(url)["Location"].startswith("/login/")


def test_put_is_not_allowed(client_for, url, supervisor):
    assert client_for(supervisor).put(url).status_code == 405
