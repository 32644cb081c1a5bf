import pytest
from django.urls import reverse

from courses.models import Evidence, Requirement
from tests.courses.conftest import requirement_of

Kind = Requirement.Kind


@pytest.fixture
def module(dmop_enrolment) -> Requirement:
    return requirement_of(dmop_enrolment, Kind.STUDY_MODULE)


@pytest.fixture
def url(dmop_enrolment, module) -> str:
    return reverse("courses:study_module_done", args=[dmop_enrolment.pk, module.pk])


def test_the_professional_marks_a_study_module_done(client_for, url, professional, module):
    response = client_for(professional).post(url)
    assert response["Location"] == reverse("courses:my_training")
    assert Evidence.objects.get(requirement=module).recorded_by == professional


def test_marking_it_twice_says_so_and_adds_nothing(client_for, url, professional, module):
    client = client_for(professional)
    client.post(url)
    response = client.post(url, follow=True)
    assert "Deze studiemodule is al afgerond." in response.content.decode()
    assert Evidence.objects.filter(requirement=module).count() == 1


@pytest.mark.parametrize("persona", ["supervisor", "coordinator", "administrator"])
def test_nobody_else_may_mark_it_done_for_the_professional(request, client_for, url, persona, module):
    assert client_for(request.getfixturevalue(persona)).post(url).status_code == 403
    assert not Evidence.objects.filter(requirement=module).exists()


@pytest.mark.parametrize(
    "persona", ["colleague", "professional_other_org", "supervisor_unassigned", "coordinator_other_org"]
)
def test_outsiders_get_404(request, client_for, url, persona):
    assert client_for(request.getfixturevalue(persona)).post(url).status_code == 404


def test_a_training_day_cannot_be_marked_done_by_the_professional(client_for, professional, dmop_enrolment):
    day = requirement_of(dmop_enrolment, Kind.TRAINING_DAY)
    url = reverse("courses:study_module_done", args=[dmop_enrolment.pk, day.pk])
    assert client_for(professional).post(url).status_code == 404


def test_get_is_not_allowed(client_for, url, professional):
    assert client_for(professional).get(url).status_code == 405


def test_anonymous_is_sent_to_the_login_page(client_for, url):
    assert client_for(None).post(url)["Location"].startswith("/login/")
