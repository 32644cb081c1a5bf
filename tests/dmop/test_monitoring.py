"""The monitoring page: aggregates with known answers, computed again independently in this test.

A seeded set of families with designed ages: every family's concern in "welbevinden van het kind" rises
at a known age (a signal) or never (censored at the last contact moment). The test computes the
Kaplan-Meier estimate and the log-rank and Tarone-Ware statistics itself (textbook formulas, not the
library the page uses) and compares them with the page.
"""

from __future__ import annotations

import csv
import io
import math
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Cohort, Course, CourseVersion, Enrolment
from dmop.models import Domain, Partner, PlanAction
from dmop.services import plan_action_update
from organisations.models import Organisation
from tests.dmop.conftest import GROUPS, TODAY, WELLBEING, seed

URL = reverse("dmop:monitoring")
CSV_URL = reverse("dmop:monitoring_curve_csv")
PERIOD = {"period_from": "2023-01-01", "period_to": TODAY().isoformat()}


# --- Independent computation -----------------------------------------------------------------------------


def kaplan_meier(signals: list[int], censored: list[int]) -> dict[int, float]:
    """S(t) at every signal age: the product of (1 - d/n) over signal ages up to t."""
    data = [(a, True) for a in signals] + [(a, False) for a in censored]
    share, result = 1.0, {}
    for age in sorted(set(signals)):
        at_risk = sum(1 for a, _s in data if a >= age)
        events = sum(1 for a, s in data if a == age and s)
        share *= 1 - events / at_risk
        result[age] = share
    return result


def weighted_logrank(first: tuple[list[int], list[int]], second: tuple[list[int], list[int]], tarone: bool):  # type: ignore[no-untyped-def]
    """Two-group (weighted) log-rank chi-square and p-value; Tarone-Ware weighs each time by sqrt(n)."""
    a = [(t, True) for t in first[0]] + [(t, False) for t in first[1]]
    b = [(t, True) for t in second[0]] + [(t, False) for t in second[1]]
    difference = variance = 0.0
    for time in sorted({t for t, s in a + b if s}):
        n1, n2 = sum(1 for t, _s in a if t >= time), sum(1 for t, _s in b if t >= time)
        d1, d2 = sum(1 for t, s in a if t == time and s), sum(1 for t, s in b if t == time and s)
        n, d = n1 + n2, d1 + d2
        weight = math.sqrt(n) if tarone else 1.0
        difference += weight * (d1 - d * n1 / n)
        if n > 1:
            variance += weight**2 * d * (n1 / n) * (n2 / n) * (n - d) / (n - 1)
    chi2 = difference**2 / variance
    return chi2, math.erfc(math.sqrt(chi2 / 2))  # chi-square with one degree of freedom


def figure(body: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">(.*?)</dd>', body, re.S)
    assert match, (name, body[body.find("dmop-figures") : body.find("dmop-figures") + 800])
    return match.group(1).strip()


def domain_cell(body: str, domain: str, name: str) -> str:
    row = re.search(rf'<tr data-domain="{domain}">(.*?)</tr>', body, re.S)
    assert row, body[body.find("<table") : body.find("<table") + 1500]
    cell = re.search(rf'data-figure="{name}">([^<]*)</td>', row.group(1))
    assert cell, (name, row.group(1))
    return cell.group(1).strip()


# --- The page --------------------------------------------------------------------------------------------


def test_the_page_shows_the_known_figures_and_suppresses_small_cells(client_for, coordinator, seeded):
    response = client_for(coordinator).get(URL, PERIOD)
    assert response.status_code == 200
    body = response.content.decode()
    assert figure(body, "families_followed") == "27"
    assert figure(body, "eight_week_in_time") == "12 (44,4%)"  # 12 of 27, Dutch decimal comma
    assert figure(body, "extra_moments") == "&lt;10"  # none at all is suppressed too
    assert domain_cell(body, WELLBEING, "concern") == "21"
    assert domain_cell(body, Domain.SOCIAL_NETWORK, "concern") == "&lt;10"
    assert domain_cell(body, WELLBEING, "open_actions") == "10"
    assert domain_cell(body, WELLBEING, "long_waits") == "10"
    assert "Welbevinden van het kind" in figure_gaps(body)
    referral = response.context["figures"].referrals
    assert [(r.partner, r.status, r.referrals, r.families) for r in referral] == [
        ("Wijkteam Noord", "proposed", 10, 10)
    ]
    assert "M-001" not in body and "M-0" not in body  # never a family


def figure_gaps(body: str) -> str:
    match = re.search(r'data-figure="gaps">([^<]*)</p>', body)
    assert match
    return match.group(1)


def test_kaplan_meier_and_the_tests_match_an_independent_computation(client_for, coordinator, seeded):
    response = client_for(coordinator).get(URL, PERIOD)
    result = response.context["survival"]
    assert [c.group for c in result.curves] == ["2024", "2025"]
    assert result.suppressed_groups == ["2023"]
    for curve, year in zip(result.curves, (2024, 2025), strict=True):
        expected = kaplan_meier(*GROUPS[year])
        shown = dict(curve.points)
        assert curve.families == 12
        # The curve stops where fewer than ten children remain at risk; up to there it must match.
        assert shown, year
        for age, share in shown.items():
            if age in expected:
                assert share == pytest.approx(expected[age]), (year, age)
        assert curve.at_risk[0] == 12
    logrank = weighted_logrank(GROUPS[2024], GROUPS[2025], tarone=False)
    tarone = weighted_logrank(GROUPS[2024], GROUPS[2025], tarone=True)
    assert result.logrank_statistic == pytest.approx(logrank[0])
    assert result.logrank_p == pytest.approx(logrank[1])
    assert result.tarone_ware_statistic == pytest.approx(tarone[0])
    assert result.tarone_ware_p == pytest.approx(tarone[1])
    body = response.content.decode()
    assert f"p = {tarone[1]:.4f}".replace(".", ",") in figure(body, "tarone_ware")
    assert "<svg" in body and "<path" in body


def test_the_curve_downloads_as_csv(client_for, coordinator, seeded):
    response = client_for(coordinator).get(CSV_URL, PERIOD)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0] == ["group", "age_days", "share_without_signal"]
    expected = kaplan_meier(*GROUPS[2025])
    first_signal = [r for r in rows[1:] if r[0] == "2025" and int(r[1]) == 20]
    assert float(first_signal[0][2]) == pytest.approx(expected[20], abs=1e-4)
    assert not [r for r in rows if r[0] == "2023"]


def test_compare_certified_and_in_training_and_filter_by_year_of_birth(client_for, coordinator, seeded):
    client = client_for(coordinator)
    by_certificate = client.get(URL, {**PERIOD, "group_by": "certification"}).context["survival"]
    # The professional was certified today, after every first contact: all 27 count as "in training",
    # one group, so nothing to compare.
    assert [(c.group, c.families) for c in by_certificate.curves] == [("Eerste contact in opleiding", 27)]
    assert by_certificate.tarone_ware_p is None
    certified = client.get(URL, {**PERIOD, "professional_status": "certified"})
    assert figure(certified.content.decode(), "families_followed") == "&lt;10"
    in_training = client.get(URL, {**PERIOD, "professional_status": "in_training"})
    assert figure(in_training.content.decode(), "families_followed") == "27"
    born_2025 = client.get(URL, {**PERIOD, "birth_year": "2025"})
    assert figure(born_2025.content.decode(), "families_followed") == "12"


def test_the_query_count_does_not_grow_with_the_number_of_families(
    client_for, coordinator, seeded, organisation, certified_professional
):
    client = client_for(coordinator)
    client.get(URL, PERIOD)
    cache.clear()  # measure the requests that compute the figures, not the ones served from the cache
    with CaptureQueriesContext(connection) as few:
        client.get(URL, PERIOD)
    seed(organisation, certified_professional, seeded, prefix="N")  # twice as many families
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert figure(client.get(URL, PERIOD).content.decode(), "families_followed") == "54"
    # session, user, TOTP device, cohorts, 8-week window, data version, the per-family totals, referrals,
    # long waits, partners' domains, the survival counts, session save (3)
    assert len(few) == len(many) == 14


def test_a_repeated_request_is_served_from_the_cache(client_for, coordinator, seeded):
    client = client_for(coordinator)
    first = client.get(URL, PERIOD)
    with CaptureQueriesContext(connection) as cached:
        again = client.get(URL, PERIOD)
    # session, user, TOTP device, cohorts, 8-week window, data version, session save (3): no figure is
    # computed again
    assert len(cached) == 9
    assert again.context["figures"] == first.context["figures"]
    assert again.context["survival"] == first.context["survival"]
    assert figure(again.content.decode(), "families_followed") == "27"


def test_new_records_show_at_once_despite_the_cache(
    client_for, coordinator, seeded, organisation, certified_professional
):
    client = client_for(coordinator)
    assert figure(client.get(URL, PERIOD).content.decode(), "families_followed") == "27"
    seed(organisation, certified_professional, seeded, prefix="N")
    assert figure(client.get(URL, PERIOD).content.decode(), "families_followed") == "54"


def test_an_evaluated_plan_action_shows_at_once_despite_the_cache(
    client_for, coordinator, seeded, certified_professional
):
    client = client_for(coordinator)
    assert domain_cell(client.get(URL, PERIOD).content.decode(), WELLBEING, "open_actions") == "10"
    action = PlanAction.objects.filter(status=PlanAction.Status.OPEN).first()
    plan_action_update(
        action=action,
        updated_by=certified_professional,
        status=PlanAction.Status.DONE,
        referral_status="started",
    )
    assert domain_cell(client.get(URL, PERIOD).content.decode(), WELLBEING, "open_actions") == "&lt;10"


def test_filter_by_the_cohort_of_the_professional_of_the_first_contact_moment(
    client_for, coordinator, seeded, organisation, other_organisation, certified_professional
):
    version = CourseVersion.objects.create(
        course=Course.objects.get_or_create(code="dmop", defaults={"name": "DMOP"})[0], label="2026-mon"
    )
    noord, zuid = (Cohort.objects.create(organisation=organisation, version=version, name=n) for n in "NZ")
    elsewhere = Cohort.objects.create(organisation=other_organisation, version=version, name="Elders")
    Enrolment.objects.create(professional=certified_professional, version=version, group=noord)
    client = client_for(coordinator)
    assert (
        figure(client.get(URL, {**PERIOD, "cohort": noord.pk}).content.decode(), "families_followed") == "27"
    )
    assert figure(client.get(URL, {**PERIOD, "cohort": zuid.pk}).content.decode(), "families_followed") == (
        "&lt;10"
    )
    # Another organisation's cohort is no choice for this coordinator: the filters fall back to the defaults.
    response = client.get(URL, {**PERIOD, "cohort": elsewhere.pk})
    assert response.status_code == 200
    assert "cohort" in response.context["form"].errors
    assert response.context["filter"].cohort_id is None


def test_a_coordinator_sees_only_their_own_organisation(
    client_for, coordinator_other_org, coordinator, seeded, other_organisation
):
    body = client_for(coordinator_other_org).get(URL, PERIOD).content.decode()
    assert figure(body, "families_followed") == "&lt;10"
    asked = client_for(coordinator).get(URL, {**PERIOD, "organisation": other_organisation.pk})
    assert figure(asked.content.decode(), "families_followed") == "27"  # the parameter is ignored


def test_national_administrators_see_across_organisations(
    client_for, administrator, seeded, other_organisation, certified_other_org
):
    seed(
        other_organisation,
        certified_other_org,
        Partner.objects.create(organisation=other_organisation, name="Z"),
        prefix="Z",
    )
    client = client_for(administrator)
    assert figure(client.get(URL, PERIOD).content.decode(), "families_followed") == "54"
    one = client.get(URL, {**PERIOD, "organisation": other_organisation.pk})
    assert figure(one.content.decode(), "families_followed") == "27"
    compared = client.get(URL, {**PERIOD, "group_by": "organisation", "birth_year": "2025"}).context[
        "survival"
    ]
    assert sorted(c.group for c in compared.curves) == sorted(
        Organisation.objects.values_list("name", flat=True)
    )


@pytest.mark.parametrize("persona", ["certified_professional", "supervisor", "professional_other_org"])
def test_professionals_and_supervisors_get_404(persona, client_for, request):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(URL).status_code == 404
    assert client_for(user).get(CSV_URL).status_code == 404


def test_anonymous_visitors_go_to_the_login_page(client):
    assert "/login/" in client.get(URL)["Location"]


def test_post_is_not_allowed(client_for, coordinator):
    assert client_for(coordinator).post(URL).status_code == 405


def test_invalid_filters_fall_back_to_the_defaults(client_for, coordinator, seeded):
    response = client_for(coordinator).get(URL, {"period_from": "gisteren", "birth_year": "1800"})
    assert response.status_code == 200
    assert response.context["form"].errors
