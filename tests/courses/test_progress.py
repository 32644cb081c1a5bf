"""Progress is derived from evidence and reviewed VIB cycles, never typed."""

import pytest

from courses.models import Evidence, Requirement
from courses.progress import State, progress_for
from courses.services import enrolment_requirements_met
from recordings.models import VibCycle
from tests.courses.conftest import (
    add_evidence,
    hold_sessions,
    meet_all_but_final,
    requirement_of,
    reviewed_cycles,
)

Kind = Requirement.Kind


def _item(enrolment, kind, nth=0):
    progress = progress_for([enrolment], with_evidence=True)[0]
    return progress.item_for(requirement_of(enrolment, kind, nth).pk)


def test_a_new_enrolment_has_no_progress_and_the_first_requirement_as_next_step(dmop_enrolment):
    progress = progress_for([dmop_enrolment])[0]
    assert progress.percent == 0
    assert progress.next_step.requirement == requirement_of(dmop_enrolment, Kind.TRAINING_DAY)
    assert not progress.requirements_met


def test_registered_attendance_meets_the_training_day(dmop_enrolment, supervisor):
    add_evidence(dmop_enrolment, requirement_of(dmop_enrolment, Kind.TRAINING_DAY), supervisor)
    assert _item(dmop_enrolment, Kind.TRAINING_DAY).state == State.MET


def test_supervision_meetings_count_up_to_their_target(vib_enrolment, supervisor):
    hold_sessions(vib_enrolment, supervisor, count=15)
    item = _item(vib_enrolment, Kind.SUPERVISION_MEETINGS)
    assert (item.done, item.target, item.met) == (15, 16, False)
    hold_sessions(vib_enrolment, supervisor)
    assert _item(vib_enrolment, Kind.SUPERVISION_MEETINGS).met


@pytest.mark.parametrize("with_evidence", [True, False])
def test_a_supervision_tick_the_trainee_recorded_never_counts(vib_enrolment, supervisor, with_evidence):
    # Supervision is the supervisor's record (sessions). Ticks from before sessions existed still count as
    # history, but only those a supervisor registered: one the trainee wrote down themself proves nothing.
    meetings = requirement_of(vib_enrolment, Kind.SUPERVISION_MEETINGS)
    add_evidence(vib_enrolment, meetings, vib_enrolment.professional, count=3)
    add_evidence(vib_enrolment, meetings, supervisor, count=2)
    hold_sessions(vib_enrolment, supervisor)
    progress = progress_for([vib_enrolment], with_evidence=with_evidence)[0]
    item = progress.item_for(meetings.pk)
    assert item.done == 3
    if with_evidence:
        assert len(item.evidence) == 5  # still shown, as history


def test_the_interim_evaluation_is_locked_until_the_eighth_supervision(vib_enrolment, supervisor):
    hold_sessions(vib_enrolment, supervisor, count=7)
    assert _item(vib_enrolment, Kind.MILESTONE).state == State.LOCKED
    hold_sessions(vib_enrolment, supervisor)
    assert _item(vib_enrolment, Kind.MILESTONE).state == State.OPEN


def test_an_assignment_moves_from_submitted_to_returned_to_approved(dmop_enrolment, professional, supervisor):
    assignment = requirement_of(dmop_enrolment, Kind.ASSIGNMENT)
    add_evidence(dmop_enrolment, assignment, professional, status=Evidence.Status.SUBMITTED)
    assert _item(dmop_enrolment, Kind.ASSIGNMENT).state == State.AWAITING_REVIEW
    Evidence.objects.filter(requirement=assignment).update(status=Evidence.Status.RETURNED)
    assert _item(dmop_enrolment, Kind.ASSIGNMENT).state == State.RETURNED
    add_evidence(dmop_enrolment, assignment, professional, status=Evidence.Status.APPROVED)
    assert _item(dmop_enrolment, Kind.ASSIGNMENT).state == State.MET


def test_vib_cycles_count_only_reviewed_cycles_of_the_professional(
    vib_enrolment, professional, supervisor, colleague
):
    reviewed_cycles(professional, supervisor, ["GEZIN-1", "GEZIN-1", "GEZIN-2"])
    VibCycle.objects.create(professional=professional, supervisor=supervisor)  # not reviewed yet
    reviewed_cycles(colleague, supervisor, ["GEZIN-9"])
    assert _item(vib_enrolment, Kind.VIB_CYCLES).done == 3
    assert _item(vib_enrolment, Kind.DISTINCT_FAMILIES).done == 2


def test_the_final_assessment_opens_only_when_everything_else_is_met(
    vib_enrolment, supervisor, supervisor_unassigned
):
    assert _item(vib_enrolment, Kind.FINAL_ASSESSMENT).state == State.LOCKED
    meet_all_but_final(vib_enrolment, supervisor, supervisor_unassigned)
    assert enrolment_requirements_met(vib_enrolment)
    assert _item(vib_enrolment, Kind.FINAL_ASSESSMENT).state == State.OPEN
    assert progress_for([vib_enrolment])[0].percent < 100


def test_progress_of_many_enrolments_takes_a_fixed_number_of_queries(
    dmop_enrolment, vib_enrolment, django_assert_num_queries
):
    # requirements, evidence counts, reviewed cycles, distinct families, supervision session dates
    with django_assert_num_queries(5):
        progress_for([dmop_enrolment, vib_enrolment])
