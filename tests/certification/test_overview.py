"""The coordinator's certification overview and its CSV export."""

import datetime

import pytest
from django.utils import timezone

from certification.models import Certificate, new_verification_code, verification_hash
from certification.services import certification_start_training
from courses.models import CourseVersion, Enrolment
from organisations.models import Licence, Organisation, User
from tests.certification.conftest import set_dates

URL = "/certification/overview/"
EXPORT = "/certification/overview/export.csv"
DAY = datetime.timedelta(days=1)


def add_professionals(organisation: Organisation, count: int) -> None:
    """``count`` professionals in bulk: a third certified, a third in training (DMOP enrolment), a third none."""
    today = timezone.localdate()
    users = User.objects.bulk_create(
        User(
            email=f"p{i}@bulk.example",
            full_name=f"Prof {i:03d}",
            organisation=organisation,
            is_professional=True,
        )
        for i in range(count)
    )
    certificates = []
    for index, user in enumerate(users[::3]):
        code = new_verification_code()
        certificates.append(
            Certificate(
                professional=user,
                course_code="vib",
                status="certified",
                certified_on=today - 100 * DAY,
                period_starts_on=today - 100 * DAY,
                valid_until=today + (30 if index % 2 else 500) * DAY,
                verification_code=code,
                verification_code_sha256=verification_hash(code),
            )
        )
    Certificate.objects.bulk_create(certificates)
    version = CourseVersion.objects.current().get(course__code="dmop")
    Enrolment.objects.bulk_create(
        Enrolment(professional=user, version=version, started_on=today - 70 * DAY) for user in users[1::3]
    )


def test_the_coordinator_sees_the_organisations_professionals_with_status_per_course(
    certified, professional, colleague, professional_other_org, coordinator, client_for
):
    certification_start_training(professional=colleague, course_code="vib")
    response = client_for(coordinator).get(URL)
    assert response.status_code == 200
    rows = {row.professional: row for row in response.context["overview"].rows}
    assert set(rows) == {professional, colleague}
    assert [cell.status for cell in rows[professional].cells] == ["certified", "none"]
    assert [cell.status for cell in rows[colleague].cells] == ["none", "in_training"]
    text = response.content.decode()
    assert "Gecertificeerd" in text and "In opleiding" in text
    assert professional_other_org.full_name not in text
    assert response.context["licences"] is None
    assert "Licenties per organisatie" not in text


def test_the_chart_counts_per_status_as_svg_bars_without_inline_styles(
    certified, colleague, coordinator, client_for
):
    response = client_for(coordinator).get(URL)
    counts = {status: count for status, _, count in response.context["overview"].counts}
    # Two professionals x two courses: one certified, three not started.
    assert counts["certified"] == 1 and counts["none"] == 3
    text = response.content.decode()
    assert '<svg class="status-chart"' in text and 'class="bar bar-certified"' in text
    assert "style=" not in text


def test_filters_expiring_in_training_and_stalled(
    certified, professional, colleague, coordinator, client_for
):
    today = timezone.localdate()
    set_dates(certified, certified_on=today - 1000 * DAY, valid_until=today + 60 * DAY)
    version = CourseVersion.objects.current().get(course__code="vib")
    Enrolment.objects.create(professional=colleague, version=version, started_on=today - 10 * 7 * DAY)
    client = client_for(coordinator)

    def names(query: str) -> set[str]:
        response = client.get(URL + query)
        assert response.status_code == 200
        return {row.professional.full_name for row in response.context["overview"].rows}

    assert names("?status=expiring") == {professional.full_name}
    assert names("?status=in_training") == {colleague.full_name}
    assert names("?status=stalled&stalled_weeks=8") == {colleague.full_name}
    assert names("?status=stalled&stalled_weeks=12") == set()
    assert names("?course=vib&status=certified") == set()
    assert names("?course=dmop&status=certified") == {professional.full_name}


def test_invalid_filters_are_explained_and_the_page_still_renders(coordinator, client_for):
    response = client_for(coordinator).get(URL + "?stalled_weeks=zero&status=bogus")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Geef een geheel getal op" in text or "geheel getal" in text
    assert "Selecteer een geldige keuze" in text


def test_the_administrator_sees_all_organisations_and_their_licence_state(
    certified,
    professional,
    professional_other_org,
    administrator,
    organisation,
    other_organisation,
    client_for,
):
    today = timezone.localdate()
    Licence.objects.create(
        organisation=other_organisation,
        starts_on=today - 400 * DAY,
        ends_on=today + 20 * DAY,
        size_class=Licence.SizeClass.SMALL,
    )
    response = client_for(administrator).get(URL)
    assert response.status_code == 200
    names = {row.professional for row in response.context["overview"].rows}
    assert names == {professional, professional_other_org}
    states = {state.organisation: state.state for state in response.context["licences"]}
    assert states == {organisation: "active", other_organisation: "ending"}
    assert "Loopt af" in response.content.decode()
    only_zuid = client_for(administrator).get(URL + f"?organisation={other_organisation.pk}")
    assert {row.professional for row in only_zuid.context["overview"].rows} == {professional_other_org}


def test_an_expired_licence_is_shown_as_expired(administrator, other_organisation, client_for):
    today = timezone.localdate()
    Licence.objects.create(
        organisation=other_organisation,
        starts_on=today - 800 * DAY,
        ends_on=today - DAY,
        size_class=Licence.SizeClass.SMALL,
    )
    response = client_for(administrator).get(URL)
    states = {state.organisation: state.state for state in response.context["licences"]}
    assert states[other_organisation] == "expired"


def test_a_coordinator_cannot_pick_another_organisation(
    professional_other_org, coordinator, other_organisation, client_for
):
    response = client_for(coordinator).get(URL + f"?organisation={other_organisation.pk}")
    assert professional_other_org not in {row.professional for row in response.context["overview"].rows}


def test_professionals_and_supervisors_may_not_open_the_overview(professional, supervisor, client_for):
    assert client_for(professional).get(URL).status_code == 403
    assert client_for(supervisor).get(URL).status_code == 403
    assert client_for(professional).get(EXPORT).status_code == 403


def test_anonymous_is_sent_to_login(db, client_for):
    response = client_for(None).get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_overview_accepts_only_get(coordinator, client_for):
    assert client_for(coordinator).post(URL).status_code == 405
    assert client_for(coordinator).post(EXPORT).status_code == 405


def test_the_csv_opens_in_dutch_excel(certified, professional, colleague, coordinator, client_for):
    User.objects.filter(pk=colleague.pk).update(full_name="=HYPERLINK(evil)")
    response = client_for(coordinator).get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0].split(";")[:5] == ["Organisatie", "Professional", "E-mail", "Opleiding", "Status"]
    assert len(lines) == 1 + 2 * 2  # two professionals x two courses
    dmop_line = next(line for line in lines if professional.email in line and ";DMOP;" in line)
    assert ";Gecertificeerd;" in dmop_line and certified.valid_until.isoformat() in dmop_line
    assert "'=HYPERLINK(evil)" in body  # formula injection neutralised


def test_the_csv_follows_the_filters(certified, professional, colleague, coordinator, client_for):
    response = client_for(coordinator).get(EXPORT + "?course=dmop&status=certified")
    lines = response.content.decode("utf-8").lstrip("\ufeff").splitlines()
    assert len(lines) == 2 and professional.email in lines[1]


@pytest.mark.parametrize("url", [URL, URL + "?status=stalled", EXPORT])
def test_the_overview_costs_the_same_queries_for_5_and_300_professionals(
    url, coordinator, organisation, client_for, django_assert_num_queries
):
    client = client_for(coordinator)
    add_professionals(organisation, 5)
    client.get(url)  # warm up: session, sites, translations
    with django_assert_num_queries(9) as small:
        assert client.get(url).status_code == 200
    User.objects.filter(email__endswith="@bulk.example").delete()
    add_professionals(organisation, 300)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    if url == URL:
        assert len(response.context["overview"].rows) == 300


def test_the_administrator_overview_costs_the_same_queries_for_5_and_300_professionals(
    administrator, organisation, other_organisation, client_for, django_assert_num_queries
):
    client = client_for(administrator)
    add_professionals(organisation, 5)
    client.get(URL)
    with django_assert_num_queries(12) as small:
        client.get(URL)
    User.objects.filter(email__endswith="@bulk.example").delete()
    add_professionals(organisation, 300)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(URL)
