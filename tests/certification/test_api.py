"""GET /api/certifications/ and /api/certifications/{id}/."""

import pytest

from certification.services import certification_grant
from organisations.models import User
from tests.certification.test_overview import add_professionals

LIST = "/api/certifications/"


def ids(response) -> set[int]:  # type: ignore[no-untyped-def]
    return {item["id"] for item in response.json()["results"]}


@pytest.fixture
def colleague_certificate(colleague, trainer):  # type: ignore[no-untyped-def]
    return certification_grant(
        professional=colleague, course_code="vib", signed_off_by=trainer, motivation=""
    )


@pytest.fixture
def other_org_certificate(professional_other_org, trainer):  # type: ignore[no-untyped-def]
    return certification_grant(
        professional=professional_other_org, course_code="vib", signed_off_by=trainer, motivation=""
    )


def test_a_professional_lists_only_their_own_certificates(
    certified, colleague_certificate, other_org_certificate, professional, client_for
):
    response = client_for(professional).get(LIST)
    assert response.status_code == 200
    assert ids(response) == {certified.pk}
    item = response.json()["results"][0]
    assert item["course_code"] == "dmop" and item["effective_status"] == "certified"
    assert item["professional"]["full_name"] == professional.full_name
    assert "verification_code" not in item


def test_the_coordinator_lists_the_organisation(
    certified, colleague_certificate, other_org_certificate, coordinator, client_for
):
    assert ids(client_for(coordinator).get(LIST)) == {certified.pk, colleague_certificate.pk}


def test_the_supervisor_lists_assigned_trainees_only(
    certified, colleague_certificate, supervisor, client_for
):
    assert ids(client_for(supervisor).get(LIST)) == {certified.pk}


def test_the_administrator_lists_everything_and_filters_by_course(
    certified, colleague_certificate, other_org_certificate, administrator, client_for
):
    client = client_for(administrator)
    assert ids(client.get(LIST)) == {certified.pk, colleague_certificate.pk, other_org_certificate.pk}
    assert ids(client.get(LIST + "?course=dmop")) == {certified.pk}


def test_anonymous_gets_401_or_403(certified, client_for):
    assert client_for(None).get(LIST).status_code in (401, 403)
    assert client_for(None).get(f"{LIST}{certified.pk}/").status_code in (401, 403)


def test_the_list_is_read_only(professional, client_for):
    assert client_for(professional).post(LIST, {}).status_code == 405


def test_detail_for_the_owner_and_404_for_outsiders(
    certified, professional, colleague, coordinator_other_org, supervisor_unassigned, client_for
):
    url = f"{LIST}{certified.pk}/"
    response = client_for(professional).get(url)
    assert response.status_code == 200 and response.json()["id"] == certified.pk
    for outsider in (colleague, coordinator_other_org, supervisor_unassigned):
        assert client_for(outsider).get(url).status_code == 404
    assert client_for(professional).get(f"{LIST}999999/").status_code == 404
    assert client_for(professional).delete(url).status_code == 405


def test_the_list_costs_the_same_queries_for_5_and_300_certificates(
    coordinator, organisation, client_for, django_assert_num_queries
):
    client = client_for(coordinator)
    add_professionals(organisation, 15)  # 5 certificates
    client.get(LIST)
    with django_assert_num_queries(8) as small:
        response = client.get(LIST)
    assert response.json()["count"] == 5
    User.objects.filter(email__endswith="@bulk.example").delete()
    add_professionals(organisation, 900)  # 300 certificates
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(LIST + "?limit=300")
    assert response.json()["count"] == 300 and len(response.json()["results"]) == 300


def test_the_schema_documents_the_endpoints(administrator, client_for):
    response = client_for(administrator).get("/api/schema/")
    assert response.status_code == 200
    assert "/api/certifications/{id}/" in response.content.decode()
