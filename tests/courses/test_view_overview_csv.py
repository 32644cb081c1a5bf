import csv
import io

from django.contrib.auth.hashers import make_password
from django.urls import reverse

from tests.courses.conftest import count_queries, many_professionals

URL = reverse("courses:overview_export")


def _rows(response) -> list[list[str]]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


def test_the_export_opens_in_excel_with_bom_semicolons_and_quoting(
    client_for, coordinator, professional, dmop_enrolment
):
    professional.full_name = 'Petra "P" de Vries; JGZ'
    professional.save()
    response = client_for(coordinator).get(URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="opleidingsoverzicht-')
    assert b"\r\n" in response.content
    rows = _rows(response)
    assert rows[0][:4] == ["Organisatie", "Naam", "E-mailadres", "Functie"]
    assert "DMOP-training: voortgang (%)" in rows[0]
    petra = next(row for row in rows if row[2] == professional.email)
    assert petra[1] == 'Petra "P" de Vries; JGZ'
    assert petra[4:6] == ["Ingeschreven", "0"]
    assert '"Petra ""P"" de Vries; JGZ"' in response.content.decode()


def test_cells_that_excel_would_run_as_a_formula_are_neutralised(client_for, coordinator, colleague):
    colleague.full_name = '=HYPERLINK("http://x")'
    colleague.save()
    rows = _rows(client_for(coordinator).get(URL))
    assert any(row[1] == '\'=HYPERLINK("http://x")' for row in rows)


def test_the_export_applies_the_filters_and_the_organisation_scope(
    client_for, coordinator, professional, colleague, professional_other_org, dmop_enrolment, curricula
):
    emails = [
        row[2] for row in _rows(client_for(coordinator).get(URL, {"course": curricula["dmop"].course_id}))
    ]
    assert emails == ["E-mailadres", professional.email]


def test_people_without_an_organisation_role_get_404(client_for, professional, supervisor):
    assert client_for(professional).get(URL).status_code == 404
    assert client_for(supervisor).get(URL).status_code == 404


def test_anonymous_is_sent_to_the_login_page(client_for):
    assert client_for(None).get(URL)["Location"].startswith("/login/")


def test_post_is_not_allowed(client_for, coordinator):
    assert client_for(coordinator).post(URL).status_code == 405


def test_the_export_runs_the_same_queries_for_5_and_200_professionals(
    client_for, administrator, organisation, curricula
):
    client = client_for(administrator)
    many_professionals(organisation, 5, [curricula["vib"]])
    few, _response = count_queries(lambda: client.get(URL))
    many_professionals(organisation, 195, [curricula["vib"]])
    many, response = count_queries(lambda: client.get(URL))
    assert len(_rows(response)) == 201
    assert few == many
    assert make_password  # the bulk professionals have unusable passwords; nothing else to hash
