import datetime

from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Evidence, Requirement
from recordings.models import Recording, VibCycle
from tests.courses.conftest import count_queries, many_professionals, requirement_of
from tests.families.factories import family_of

Kind = Requirement.Kind
URL = reverse("courses:trainees")


def test_the_supervisor_sees_trainees_and_what_awaits_oldest_first(
    client_for, supervisor, professional, dmop_enrolment, vib_enrolment
):
    Evidence.objects.all().delete()
    submitted = services.assignment_submit(
        enrolment=dmop_enrolment,
        requirement=requirement_of(dmop_enrolment, Kind.ASSIGNMENT),
        actor=professional,
        text="x",
    )
    submitted.recorded_at = timezone.now() - datetime.timedelta(days=400)
    submitted.save()
    today = timezone.localdate()
    family = family_of(
        professional, "GEZIN-1", given_on=today, valid_until=today + datetime.timedelta(days=30)
    )
    cycle = VibCycle.objects.create(professional=professional, family=family, supervisor=supervisor)
    Recording.objects.create(professional=professional, family=family, cycle=cycle, status="ready")
    body = client_for(supervisor).get(URL).content.decode()
    assert body.count(professional.full_name) >= 2
    awaiting = body[body.index("Wacht op jou") : body.index("<h2>Deelnemers")]
    assert awaiting.index("Opdracht beoordelen") < awaiting.index("Trainingsdag 1")
    assert "Opdracht beoordelen" in awaiting
    assert "Opname bespreken" in awaiting
    assert reverse("annotations:cycle", args=[cycle.pk]) in awaiting
    assert "Trainingsdag 1: het DMO-protocol en de vijf domeinen" in awaiting
    assert reverse("courses:assignment_review", args=[submitted.pk]) in awaiting


def test_trainees_of_other_supervisors_are_not_listed(client_for, supervisor_unassigned, dmop_enrolment):
    body = client_for(supervisor_unassigned).get(URL).content.decode()
    assert "Er zijn geen deelnemers aan jou gekoppeld." in body
    assert dmop_enrolment.professional.full_name not in body


def test_people_without_the_supervisor_role_get_403(client_for, professional, coordinator):
    assert client_for(professional).get(URL).status_code == 403
    assert client_for(coordinator).get(URL).status_code == 403


def test_anonymous_is_sent_to_the_login_page(client_for):
    assert client_for(None).get(URL)["Location"].startswith("/login/")


def test_post_is_not_allowed(client_for, supervisor):
    assert client_for(supervisor).post(URL).status_code == 405


def test_the_page_runs_the_same_queries_for_5_and_200_trainees(
    client_for, supervisor_unassigned, organisation, curricula
):
    versions = [curricula["dmop"], curricula["vib"]]
    client = client_for(supervisor_unassigned)
    many_professionals(organisation, 5, versions, supervisor=supervisor_unassigned)
    few, response = count_queries(lambda: client.get(URL))
    assert response.status_code == 200
    many_professionals(organisation, 195, versions, supervisor=supervisor_unassigned)
    many, response = count_queries(lambda: client.get(URL))
    assert response.content.decode().count("/courses/enrolments/") >= 400
    print(f"trainees page: {few} queries for 5 trainees, {many} for 200")
    assert few == many
    assert many <= 15
