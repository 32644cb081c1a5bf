"""The interim evaluation and the final assessment are scored on criteria kept as data per version."""

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import AssessmentCriterion, CriterionScore, Evidence, Requirement
from tests.courses.conftest import criteria_data, hold_sessions, requirement_of

Kind = Requirement.Kind


@pytest.fixture
def milestone(vib_enrolment, supervisor) -> Requirement:
    hold_sessions(vib_enrolment, supervisor, count=8)
    return requirement_of(vib_enrolment, Kind.MILESTONE)


def _post(client, enrolment, milestone, second, **changes):  # type: ignore[no-untyped-def]
    data = (
        {
            "occurred_on": timezone.localdate().isoformat(),
            "second_assessor": str(second.pk),
            "text": "Tussentijdse evaluatie",
            "passed": "yes",
        }
        | criteria_data(milestone)
        | changes
    )
    return client.post(reverse("courses:milestone_record", args=[enrolment.pk, milestone.pk]), data)


def test_the_vib_assessments_ship_a_marked_draft_set_of_criteria(vib_enrolment):
    for kind in (Kind.MILESTONE, Kind.FINAL_ASSESSMENT):
        titles = list(requirement_of(vib_enrolment, kind).criteria.values_list("title", flat=True))
        assert len(titles) == 5 and all("(concept)" in title for title in titles)


def test_the_interim_evaluation_is_scored_per_criterion_and_the_trainee_sees_it(
    client_for, vib_enrolment, milestone, supervisor, supervisor_unassigned, professional
):
    response = _post(client_for(supervisor), vib_enrolment, milestone, supervisor_unassigned)

    assert response.status_code == 302
    evidence = Evidence.objects.get(requirement=milestone)
    assert evidence.scores.count() == milestone.criteria.count()
    page = client_for(professional).get(reverse("courses:my_training")).content.decode()
    assert "3 - voldoende" in page and "Motivatie bij Initiatieven zien en volgen (concept)" in page


def test_a_missing_criterion_score_is_refused_and_nothing_is_stored(
    client_for, vib_enrolment, milestone, supervisor, supervisor_unassigned
):
    first = milestone.criteria.first()
    response = _post(
        client_for(supervisor), vib_enrolment, milestone, supervisor_unassigned, **{f"score_{first.pk}": ""}
    )

    assert response.status_code == 200
    assert "Geef een score voor dit criterium." in response.content.decode()
    assert not Evidence.objects.filter(requirement=milestone).exists()


def test_a_negative_result_leaves_the_route_open_and_the_history_is_kept(
    client_for, vib_enrolment, milestone, supervisor, supervisor_unassigned
):
    client = client_for(supervisor)
    _post(client, vib_enrolment, milestone, supervisor_unassigned, passed="no", **criteria_data(milestone, 1))
    again = _post(client, vib_enrolment, milestone, supervisor_unassigned)

    assert again.status_code == 302
    statuses = list(Evidence.objects.filter(requirement=milestone).values_list("status", flat=True))
    assert statuses == [Evidence.Status.FAILED, Evidence.Status.DONE]
    assert (
        CriterionScore.objects.filter(evidence__requirement=milestone).count()
        == 2 * milestone.criteria.count()
    )


def test_copying_a_version_copies_its_criteria(vib_enrolment):
    copy = services.course_version_copy(version=vib_enrolment.version, label="2026-criteria")
    assert AssessmentCriterion.objects.filter(requirement__version=copy).count() == 10
