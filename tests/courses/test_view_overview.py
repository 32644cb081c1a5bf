import datetime

from django.urls import reverse
from django.utils import timezone

from courses.models import Enrolment, Evidence
from tests.courses.conftest import count_queries, many_professionals

URL = reverse("courses:overview")


def test_the_coordinator_sees_every_professional_of_the_organisation_with_progress_per_course(
    client_for, coordinator, professional, colleague, professional_other_org, dmop_enrolment
):
    body = client_for(coordinator).get(URL).content.decode()
    assert professional.full_name in body and colleague.full_name in body
    assert professional_other_org.full_name not in body
    assert "DMOP-training" in body and "VIB-SamenStarten" in body
    assert "Niet ingeschreven" in body
    assert reverse("courses:enrolment_detail", args=[dmop_enrolment.pk]) in body


def test_filters_by_course_and_status(
    client_for, coordinator, professional, colleague, dmop_enrolment, curricula
):
    client = client_for(coordinator)
    body = client.get(URL, {"course": curricula["dmop"].course_id}).content.decode()
    assert professional.full_name in body and colleague.full_name not in body
    body = client.get(URL, {"course": curricula["dmop"].course_id, "status": "not_enrolled"}).content.decode()
    assert professional.full_name not in body and colleague.full_name in body
    body = client.get(URL, {"status": "completed"}).content.decode()
    assert professional.full_name not in body


def test_filters_enrolments_without_evidence_for_n_weeks(
    client_for, coordinator, professional, supervisor, dmop_enrolment
):
    Enrolment.objects.filter(pk=dmop_enrolment.pk).update(
        started_on=timezone.localdate() - datetime.timedelta(weeks=20)
    )
    Evidence.objects.create(
        enrolment=dmop_enrolment,
        requirement=dmop_enrolment.version.requirements.first(),
        status="done",
        recorded_by=supervisor,
        recorded_at=timezone.now() - datetime.timedelta(weeks=9),
    )
    client = client_for(coordinator)
    assert professional.full_name in client.get(URL, {"stale_weeks": 8}).content.decode()
    assert professional.full_name not in client.get(URL, {"stale_weeks": 10}).content.decode()


def test_an_invalid_filter_is_explained(client_for, coordinator):
    response = client_for(coordinator).get(URL, {"stale_weeks": "nul"})
    assert response.status_code == 200
    assert "Voer een geheel getal in." in response.content.decode()


def test_a_coordinator_cannot_pick_another_organisation(
    client_for, coordinator, other_organisation, professional_other_org
):
    body = client_for(coordinator).get(URL, {"organisation": other_organisation.pk}).content.decode()
    assert professional_other_org.full_name not in body


def test_a_national_administrator_sees_all_organisations_and_can_filter_one(
    client_for, administrator, professional, professional_other_org, other_organisation
):
    client = client_for(administrator)
    body = client.get(URL).content.decode()
    assert professional.full_name in body and professional_other_org.full_name in body
    body = client.get(URL, {"organisation": other_organisation.pk}).content.decode()
    assert professional.full_name not in body and professional_other_org.full_name in body


def test_people_without_an_organisation_role_get_404(client_for, professional, supervisor):
    assert client_for(professional).get(URL).status_code == 404
    assert client_for(supervisor).get(URL).status_code == 404


def test_anonymous_is_sent_to_the_login_page(client_for):
    assert client_for(None).get(URL)["Location"].startswith("/login/")


def test_post_is_not_allowed(client_for, coordinator):
    assert client_for(coordinator).post(URL).status_code == 405


def test_the_page_runs_the_same_queries_for_5_and_200_professionals(
    client_for, coordinator, organisation, curricula
):
    client = client_for(coordinator)
    versions = [curricula["dmop"], curricula["vib"]]
    many_professionals(organisation, 5, versions)
    few, response = count_queries(lambda: client.get(URL, {"stale_weeks": 1}))
    assert response.status_code == 200
    many_professionals(organisation, 195, versions)
    many, response = count_queries(lambda: client.get(URL))
    assert response.content.decode().count("<progress") == 400
    print(f"overview page: {few} queries for 5 professionals, {many} for 200")
    assert few == many
    assert many <= 16
