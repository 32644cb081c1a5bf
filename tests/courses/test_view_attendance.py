import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Evidence, Requirement
from courses.progress import progress_for
from tests.courses.conftest import requirement_of

Kind = Requirement.Kind


@pytest.fixture
def training_day(dmop_enrolment) -> Requirement:
    return requirement_of(dmop_enrolment, Kind.TRAINING_DAY)


@pytest.fixture
def url(dmop_enrolment, training_day) -> str:
    return reverse("courses:attendance_register", args=[dmop_enrolment.pk, training_day.pk])


def test_the_trainer_registers_attendance_and_progress_follows(
    client_for, url, supervisor, dmop_enrolment, training_day
):
    client = client_for(supervisor)
    assert client.get(url).status_code == 200
    response = client.post(url, {"occurred_on": timezone.localdate().isoformat(), "note": "Actief meegedaan"})
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:enrolment_detail", args=[dmop_enrolment.pk])
    evidence = Evidence.objects.get(requirement=training_day)
    assert (evidence.recorded_by, evidence.text) == (supervisor, "Actief meegedaan")
    assert progress_for([dmop_enrolment])[0].percent == 14


def test_supervision_meetings_cannot_be_ticked_only_recorded_as_sessions(
    client_for, supervisor, vib_enrolment
):
    # The supervision requirements follow from supervision sessions; a bare tick would count a meeting
    # that names no date of discussion, no cycles and no report.
    meetings = requirement_of(vib_enrolment, Kind.SUPERVISION_MEETINGS)
    url = reverse("courses:attendance_register", args=[vib_enrolment.pk, meetings.pk])
    response = client_for(supervisor).post(url, {"occurred_on": timezone.localdate().isoformat()})
    assert response.status_code == 200
    assert "Leg een supervisiesessie vast" in response.content.decode()
    assert reverse("courses:supervision_session_new", args=[vib_enrolment.pk]) in response.content.decode()
    assert not Evidence.objects.filter(requirement=meetings).exists()


@pytest.mark.parametrize("persona", ["professional", "coordinator", "administrator"])
def test_people_who_may_not_give_feedback_get_403(request, client_for, url, persona, training_day):
    # Notably the professional may not register their own attendance.
    response = client_for(request.getfixturevalue(persona)).post(
        url, {"occurred_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 403
    assert not Evidence.objects.filter(requirement=training_day).exists()


@pytest.mark.parametrize(
    "persona", ["colleague", "supervisor_unassigned", "coordinator_other_org", "professional_other_org"]
)
def test_outsiders_get_404(request, client_for, url, persona):
    assert (
        client_for(request.getfixturevalue(persona)).post(url, {"occurred_on": "2025-01-01"}).status_code
        == 404
    )


def test_a_requirement_of_another_kind_or_version_is_404(
    client_for, supervisor, dmop_enrolment, vib_enrolment
):
    module = requirement_of(dmop_enrolment, Kind.STUDY_MODULE)
    other_version = requirement_of(vib_enrolment, Kind.TRAINING_DAY)
    for requirement in (module, other_version):
        url = reverse("courses:attendance_register", args=[dmop_enrolment.pk, requirement.pk])
        assert client_for(supervisor).get(url).status_code == 404


def test_anonymous_is_sent_to_the_login_page(client_for, url):
    assert client_for(None).post(url)["Location"].startswith("/login/")


def test_put_is_not_allowed(client_for, url, supervisor):
    assert client_for(supervisor).put(url).status_code == 405


def test_a_future_date_is_refused_with_a_clear_message(client_for, url, supervisor, training_day):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(supervisor).post(url, {"occurred_on": tomorrow.isoformat(), "note": "bewaard"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Aanwezigheid kan niet worden geregistreerd voor een datum in de toekomst." in body
    assert "bewaard" in body
    assert not Evidence.objects.filter(requirement=training_day).exists()


def test_a_missing_date_is_refused(client_for, url, supervisor):
    response = client_for(supervisor).post(url, {"occurred_on": ""})
    assert response.status_code == 200
    assert "Dit veld is vereist." in response.content.decode()
