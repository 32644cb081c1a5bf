import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import login
from tests.courses.conftest import count_queries, many_professionals

LIST = reverse("api_enrolments")


@pytest.fixture
def api_for():
    def _api_for(user):
        client = APIClient()
        return login(client, user) if user is not None else client

    return _api_for


def test_a_professional_lists_their_own_enrolments_with_progress(
    api_for, professional, dmop_enrolment, vib_enrolment, colleague, curricula
):
    from courses import services

    services.enrolment_create(professional=colleague, version=curricula["dmop"])
    data = api_for(professional).get(LIST).json()
    assert data["count"] == 2
    first = data["results"][0]
    assert first["course"] == "dmop" and first["professional"]["id"] == professional.pk
    assert first["percent"] == 0 and first["requirements_met"] is False
    assert first["next_step"] == "Trainingsdag 1: het DMO-protocol en de vijf domeinen"


def test_the_list_is_scoped_by_the_central_rules(
    api_for, supervisor_unassigned, coordinator_other_org, administrator, dmop_enrolment
):
    assert api_for(supervisor_unassigned).get(LIST).json()["count"] == 0
    assert api_for(coordinator_other_org).get(LIST).json()["count"] == 0
    assert api_for(administrator).get(LIST).json()["count"] == 1


def test_the_list_filters_by_course_and_status(api_for, professional, dmop_enrolment, vib_enrolment):
    client = api_for(professional)
    assert [row["course"] for row in client.get(LIST, {"course": "vib"}).json()["results"]] == ["vib"]
    assert client.get(LIST, {"status": "completed"}).json()["count"] == 0


def test_the_detail_shows_each_requirement_state(api_for, supervisor, vib_enrolment):
    data = api_for(supervisor).get(reverse("api_enrolment_detail", args=[vib_enrolment.pk])).json()
    states = {row["kind"]: row["state"] for row in data["requirements"]}
    assert states["milestone"] == "locked" and states["training_day"] == "open"


@pytest.mark.parametrize("persona", ["colleague", "supervisor_unassigned", "coordinator_other_org"])
def test_outsiders_get_404_on_the_detail(request, api_for, persona, dmop_enrolment):
    url = reverse("api_enrolment_detail", args=[dmop_enrolment.pk])
    assert api_for(request.getfixturevalue(persona)).get(url).status_code == 404


def test_anonymous_gets_401(api_for, dmop_enrolment):
    assert api_for(None).get(LIST).status_code == 401
    assert api_for(None).get(reverse("api_enrolment_detail", args=[dmop_enrolment.pk])).status_code == 401


def test_writing_is_not_allowed(api_for, professional):
    assert api_for(professional).post(LIST, {}).status_code == 405


def test_the_list_runs_the_same_queries_for_5_and_200_professionals(
    api_for, administrator, organisation, curricula
):
    client = api_for(administrator)
    versions = [curricula["dmop"], curricula["vib"]]
    many_professionals(organisation, 5, versions)
    few, _response = count_queries(lambda: client.get(LIST))
    many_professionals(organisation, 195, versions)
    many, response = count_queries(lambda: client.get(LIST, {"limit": 400}))
    assert len(response.json()["results"]) == 400
    print(f"enrolments API: {few} queries for 5 professionals, {many} for 200")
    assert few == many


def test_the_schema_documents_the_endpoints(client):
    schema = client.get(reverse("api_schema")).content.decode()
    assert "/api/enrolments/" in schema and "/api/enrolments/{id}/" in schema
