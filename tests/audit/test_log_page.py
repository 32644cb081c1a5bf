"""The access-log page: national administrators with a verified second factor only."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.outcome import ActionCode, Decision, Outcome
from audit.services import access_log_record

URL = reverse("audit:log")


def line(user, family_code: str, object_id: str = "r1", organisation_id: int | None = None):
    return access_log_record(
        request_or_none=None,
        user=user,
        action=ActionCode.READ,
        object_type="recording",
        object_id=object_id,
        organisation_id=organisation_id or user.organisation_id,
        family_code=family_code,
        outcome=Outcome(decision=Decision.GRANTED),
    )


def test_administrator_sees_every_line(client_for, administrator, professional):
    line(professional, "FAM-1")
    line(professional, "FAM-2")
    response = client_for(administrator).get(URL)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 2
    assert "Toegangslog" in response.content.decode()


def test_filter_on_family_code_gives_the_chronological_list(
    client_for, administrator, professional, supervisor
):
    first = line(professional, "FAM-1")
    line(professional, "FAM-2")
    second = line(supervisor, "FAM-1", organisation_id=professional.organisation_id)
    response = client_for(administrator).get(
        URL, {"organisation": professional.organisation_id, "family_code": "FAM-1"}
    )
    assert list(response.context["page"].object_list) == [first, second]


def test_csv_for_a_parents_request(client_for, administrator, professional, supervisor):
    line(professional, "FAM-1")
    line(supervisor, "FAM-1", organisation_id=professional.organisation_id)
    line(supervisor, "FAM-9", organisation_id=professional.organisation_id)
    query = {"organisation": professional.organisation_id, "family_code": "FAM-1", "format": "csv"}
    response = client_for(administrator).get(URL, query)
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert "FAM-1" not in response["Content-Disposition"]
    assert [row["user_name"] for row in rows] == [professional.full_name, supervisor.full_name]
    assert rows[0]["timestamp"] <= rows[1]["timestamp"]
    assert rows[0]["action_code"] == "R"


def test_administrator_without_second_factor_is_sent_to_verify(administrator):
    client = Client()
    client.force_login(administrator)
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("two_factor_verify") in response.url


@pytest.mark.parametrize("persona", ["professional", "supervisor", "coordinator"])
def test_everyone_else_gets_404(request, client_for, persona):
    assert client_for(request.getfixturevalue(persona)).get(URL).status_code == 404


def test_anonymous_is_sent_to_login(client_for):
    assert client_for(None).get(URL).status_code == 302


def test_wrong_method(client_for, administrator):
    assert client_for(administrator).post(URL).status_code == 405


@pytest.mark.parametrize("rows", [1, 40])
def test_query_count_is_constant(client_for, administrator, professional, django_assert_num_queries, rows):
    for number in range(rows):
        line(professional, "FAM-1", object_id=str(number))
    client = client_for(administrator)
    with django_assert_num_queries(10):  # includes the organisation choices
        response = client.get(URL, {"organisation": professional.organisation_id, "family_code": "FAM-1"})
    assert len(response.context["page"].object_list) == rows


def test_django_admin_is_read_only(client_for, administrator, professional):
    entry = line(professional, "FAM-1")
    client = client_for(administrator)
    change_url = reverse("admin:audit_accesslogentry_change", args=[entry.pk])
    assert client.get(reverse("admin:audit_accesslogentry_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_accesslogentry_add")).status_code == 403
    client.post(change_url, {"role": "forged"})
    entry.refresh_from_db()
    assert entry.role == "professional"
    assert client.get(reverse("admin:audit_accesslogentry_delete", args=[entry.pk])).status_code == 403


def test_a_family_code_needs_its_organisation(client_for, administrator, professional):
    line(professional, "FAM-1")
    response = client_for(administrator).get(URL, {"family_code": "FAM-1", "format": "csv"})
    assert response["Content-Type"].startswith("text/html")
    assert "organisation" in response.context["form"].errors
    assert list(response.context["page"].object_list) == []


def test_the_same_code_in_another_organisation_is_another_family(
    client_for, administrator, professional, professional_other_org
):
    ours = line(professional, "FAM-1")
    line(professional_other_org, "FAM-1")
    query = {"organisation": professional.organisation_id, "family_code": "FAM-1", "format": "csv"}
    rows = list(csv.DictReader(io.StringIO(client_for(administrator).get(URL, query).content.decode())))
    assert [row["user_name"] for row in rows] == [ours.user_name]


def test_csv_cells_cannot_run_as_formulas(client_for, administrator, professional):
    professional.full_name = '=HYPERLINK("http://evil.example")'
    professional.save()
    line(professional, "FAM-1")
    query = {"organisation": professional.organisation_id, "family_code": "FAM-1", "format": "csv"}
    rows = list(csv.DictReader(io.StringIO(client_for(administrator).get(URL, query).content.decode())))
    assert rows[0]["user_name"] == '\'=HYPERLINK("http://evil.example")'


def test_times_are_local_to_the_second_and_words_are_dutch(client_for, administrator, professional):
    entry = line(professional, "FAM-1")
    local = timezone.localtime(entry.timestamp)
    query = {"organisation": professional.organisation_id, "family_code": "FAM-1"}
    page = client_for(administrator).get(URL, query).content.decode()
    assert local.strftime("%d-%m-%Y %H:%M:%S") in page
    assert entry.timestamp.isoformat() not in page and str(local.microsecond) not in page.split("<tbody>")[1]
    assert "Toegestaan" in page and "Inzien" in page and "Professional" in page
    rows = list(
        csv.DictReader(
            io.StringIO(client_for(administrator).get(URL, query | {"format": "csv"}).content.decode())
        )
    )
    assert rows[0]["timestamp"] == local.strftime("%Y-%m-%d %H:%M:%S")
