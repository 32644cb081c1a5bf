import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Evidence, Requirement
from tests.courses.conftest import criteria_data, hold_sessions, requirement_of

Kind = Requirement.Kind


@pytest.fixture
def milestone(vib_enrolment) -> Requirement:
    return requirement_of(vib_enrolment, Kind.MILESTONE)


@pytest.fixture
def url(vib_enrolment, milestone) -> str:
    return reverse("courses:milestone_record", args=[vib_enrolment.pk, milestone.pk])


def _data(second, milestone: Requirement | None = None) -> dict[str, str]:
    return {
        "occurred_on": timezone.localdate().isoformat(),
        "second_assessor": str(second.pk),
        "text": "Goed op weg",
        "passed": "yes",
    } | (criteria_data(milestone) if milestone is not None else {})


def test_after_eight_supervisions_the_trainer_records_the_interim_evaluation_with_a_second_trainer(
    client_for, url, vib_enrolment, supervisor, supervisor_unassigned, milestone
):
    hold_sessions(vib_enrolment, supervisor, count=8)
    response = client_for(supervisor).post(url, _data(supervisor_unassigned, milestone))
    assert response.status_code == 302
    assert Evidence.objects.get(requirement=milestone).second_assessor == supervisor_unassigned


def test_before_the_eighth_supervision_the_evaluation_is_refused(
    client_for, url, supervisor, supervisor_unassigned, milestone
):
    response = client_for(supervisor).post(url, _data(supervisor_unassigned, milestone))
    assert "Mogelijk na 8 supervisies." in response.content.decode()
    assert not Evidence.objects.filter(requirement=milestone).exists()


def test_the_evaluation_needs_a_second_trainer(client_for, url, vib_enrolment, supervisor, milestone):
    hold_sessions(vib_enrolment, supervisor, count=8)
    response = client_for(supervisor).post(
        url,
        {"occurred_on": timezone.localdate().isoformat(), "text": "x", "passed": "yes"}
        | criteria_data(milestone),
    )
    assert "kies die trainer" in response.content.decode()


@pytest.mark.parametrize("persona", ["professional", "coordinator"])
def test_the_professional_and_the_coordinator_get_403(
    request, client_for, url, persona, supervisor_unassigned
):
    assert (
        client_for(request.getfixturevalue(persona)).post(url, _data(supervisor_unassigned)).status_code
        == 403
    )


def test_an_unassigned_supervisor_gets_404(client_for, url, supervisor_unassigned, supervisor):
    assert client_for(supervisor_unassigned).get(url).status_code == 404


def test_anonymous_is_sent_to_the_login_page(client_for, url):
    assert client_for(None).get(url)["Location"].startswith("/login/")


def test_put_is_not_allowed(client_for, url, supervisor):
    assert client_for(supervisor).put(url).status_code == 405
