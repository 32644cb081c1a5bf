"""Enrolling, registering evidence, the final sign-off and versioning."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from certification.models import Certificate
from courses import services
from courses.models import Enrolment, Evidence, Requirement
from courses.progress import progress_for
from notifications.models import Notification
from organisations.models import SupervisorAssignment
from tests.courses.conftest import hold_sessions, meet_all_but_final, requirement_of

Kind = Requirement.Kind


def test_enrolling_with_a_supervisor_creates_the_assignment_the_rules_need(
    colleague, supervisor_unassigned, curricula
):
    assert not SupervisorAssignment.objects.filter(
        supervisor=supervisor_unassigned, trainee=colleague
    ).exists()
    services.enrolment_create(
        professional=colleague, version=curricula["vib"], supervisor=supervisor_unassigned
    )
    assert (
        SupervisorAssignment.objects.active()
        .filter(supervisor=supervisor_unassigned, trainee=colleague)
        .count()
        == 1
    )


def test_enrolling_with_a_supervisor_assigns_them_to_that_enrolment_once(professional, supervisor, curricula):
    enrolment = services.enrolment_create(
        professional=professional, version=curricula["vib"], supervisor=supervisor
    )
    assert SupervisorAssignment.objects.filter(supervisor=supervisor, enrolment=enrolment).count() == 1
    with pytest.raises(ValidationError):
        services.assignment_create(enrolment=enrolment, supervisor=supervisor)


def test_a_professional_cannot_be_enrolled_twice_on_one_version(dmop_enrolment, professional, curricula):
    with pytest.raises(ValidationError):
        services.enrolment_create(professional=professional, version=curricula["dmop"])


def test_only_professionals_can_be_enrolled(coordinator, curricula):
    with pytest.raises(ValidationError):
        services.enrolment_create(professional=coordinator, version=curricula["dmop"])


def test_the_first_evidence_puts_the_enrolment_in_progress(dmop_enrolment, supervisor):
    assert dmop_enrolment.status == Enrolment.Status.ENROLLED
    services.attendance_register(
        enrolment=dmop_enrolment,
        requirement=requirement_of(dmop_enrolment, Kind.TRAINING_DAY),
        actor=supervisor,
        occurred_on=timezone.localdate(),
    )
    dmop_enrolment.refresh_from_db()
    assert dmop_enrolment.status == Enrolment.Status.IN_PROGRESS


def test_attendance_cannot_be_registered_in_the_future_or_twice(dmop_enrolment, supervisor):
    day = requirement_of(dmop_enrolment, Kind.TRAINING_DAY)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.attendance_register(
            enrolment=dmop_enrolment, requirement=day, actor=supervisor, occurred_on=tomorrow
        )
    services.attendance_register(
        enrolment=dmop_enrolment, requirement=day, actor=supervisor, occurred_on=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        services.attendance_register(
            enrolment=dmop_enrolment, requirement=day, actor=supervisor, occurred_on=timezone.localdate()
        )


def test_evidence_for_a_requirement_of_another_version_is_refused(dmop_enrolment, vib_enrolment, supervisor):
    with pytest.raises(ValidationError):
        services.attendance_register(
            enrolment=dmop_enrolment,
            requirement=requirement_of(vib_enrolment, Kind.TRAINING_DAY),
            actor=supervisor,
            occurred_on=timezone.localdate(),
        )


def test_submitting_an_assignment_notifies_the_trainer(dmop_enrolment, professional, supervisor):
    services.assignment_submit(
        enrolment=dmop_enrolment,
        requirement=requirement_of(dmop_enrolment, Kind.ASSIGNMENT),
        actor=professional,
        text="Casus",
    )
    assert Notification.objects.filter(user=supervisor).count() == 1


def test_a_returned_assignment_needs_a_comment_and_can_be_resubmitted(
    dmop_enrolment, professional, supervisor
):
    assignment = requirement_of(dmop_enrolment, Kind.ASSIGNMENT)
    evidence = services.assignment_submit(
        enrolment=dmop_enrolment, requirement=assignment, actor=professional, text="v1"
    )
    with pytest.raises(ValidationError):
        services.assignment_review(evidence=evidence, reviewer=supervisor, approved=False, comment=" ")
    services.assignment_review(
        evidence=evidence, reviewer=supervisor, approved=False, comment="Meer over het netwerk"
    )
    again = services.assignment_submit(
        enrolment=dmop_enrolment, requirement=assignment, actor=professional, text="v2"
    )
    services.assignment_review(evidence=again, reviewer=supervisor, approved=True, comment="")
    statuses = list(Evidence.objects.filter(requirement=assignment).values_list("status", flat=True))
    assert statuses == [Evidence.Status.RETURNED, Evidence.Status.APPROVED]


def test_the_interim_evaluation_needs_eight_supervisions_and_a_second_trainer(
    vib_enrolment, supervisor, supervisor_unassigned
):
    milestone = requirement_of(vib_enrolment, Kind.MILESTONE)
    meetings = requirement_of(vib_enrolment, Kind.SUPERVISION_MEETINGS)
    record = {
        "enrolment": vib_enrolment,
        "requirement": milestone,
        "actor": supervisor,
        "occurred_on": timezone.localdate(),
        "text": "Goed op weg",
    }
    with pytest.raises(ValidationError):
        services.milestone_record(second_assessor=supervisor_unassigned, **record)
    with pytest.raises(ValidationError, match="Leg een supervisiesessie vast"):
        services.attendance_register(
            enrolment=vib_enrolment, requirement=meetings, actor=supervisor, occurred_on=timezone.localdate()
        )
    hold_sessions(vib_enrolment, supervisor, count=8)
    with pytest.raises(ValidationError):
        services.milestone_record(second_assessor=None, **record)
    with pytest.raises(ValidationError):
        services.milestone_record(second_assessor=supervisor, **record)
    evidence = services.milestone_record(second_assessor=supervisor_unassigned, **record)
    assert evidence.second_assessor == supervisor_unassigned


def test_passing_the_final_assessment_needs_every_other_requirement(vib_enrolment, supervisor):
    final = requirement_of(vib_enrolment, Kind.FINAL_ASSESSMENT)
    with pytest.raises(ValidationError):
        services.final_assessment_record(
            enrolment=vib_enrolment, requirement=final, actor=supervisor, passed=True, motivation="Goed"
        )
    assert not Certificate.objects.filter(
        professional=vib_enrolment.professional, status="certified"
    ).exists()


def test_passing_the_final_assessment_completes_the_enrolment_and_grants_the_certificate(
    vib_enrolment, professional, supervisor, supervisor_unassigned
):
    meet_all_but_final(vib_enrolment, supervisor, supervisor_unassigned)
    final = requirement_of(vib_enrolment, Kind.FINAL_ASSESSMENT)
    services.final_assessment_record(
        enrolment=vib_enrolment,
        requirement=final,
        actor=supervisor,
        passed=True,
        motivation="Zelfstandig en sensitief",
    )
    vib_enrolment.refresh_from_db()
    assert vib_enrolment.status == Enrolment.Status.COMPLETED
    assert vib_enrolment.completed_on == timezone.localdate()
    certificate = Certificate.objects.get(professional=professional)
    assert certificate.status == "certified"
    assert progress_for([vib_enrolment])[0].percent == 100
    with pytest.raises(ValidationError):
        services.final_assessment_record(
            enrolment=vib_enrolment, requirement=final, actor=supervisor, passed=True, motivation="Nog eens"
        )


def test_a_failed_final_assessment_is_recorded_and_keeps_the_enrolment_open(
    vib_enrolment, supervisor, supervisor_unassigned
):
    meet_all_but_final(vib_enrolment, supervisor, supervisor_unassigned)
    final = requirement_of(vib_enrolment, Kind.FINAL_ASSESSMENT)
    services.final_assessment_record(
        enrolment=vib_enrolment, requirement=final, actor=supervisor, passed=False, motivation="Nog niet"
    )
    vib_enrolment.refresh_from_db()
    assert vib_enrolment.is_open
    assert Evidence.objects.get(requirement=final).status == Evidence.Status.FAILED


def test_a_new_version_leaves_enrolments_on_the_old_version_untouched(
    dmop_enrolment, supervisor, curricula, colleague
):
    old = curricula["dmop"]
    day = requirement_of(dmop_enrolment, Kind.TRAINING_DAY)
    services.attendance_register(
        enrolment=dmop_enrolment, requirement=day, actor=supervisor, occurred_on=timezone.localdate()
    )
    new = services.course_version_copy(version=old, label="2026")
    new.requirements.filter(kind=Kind.TRAINING_DAY).update(title="Nieuwe trainingsdag")
    new.requirements.create(order=99, kind=Kind.STUDY_MODULE, title="Extra module")
    services.course_version_make_current(version=new)
    old.refresh_from_db()
    assert not old.is_current and new.is_current
    progress = progress_for([dmop_enrolment], with_evidence=True)[0]
    assert [item.requirement.version_id for item in progress.requirements] == [old.pk] * 7
    assert progress.item_for(day.pk).met and day.title.startswith("Trainingsdag 1")
    newcomer = services.enrolment_create(professional=colleague, version=new)
    assert len(progress_for([newcomer])[0].requirements) == 8
