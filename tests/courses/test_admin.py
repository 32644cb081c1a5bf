"""Administrators edit curricula in the admin; a version with enrolments is frozen."""

import pytest
from django.urls import reverse

from courses.models import CourseVersion, Requirement


@pytest.fixture
def administrator(administrator):
    # The admin site checks Django model permissions; the national administrators hold all of them.
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    return administrator


def test_the_administrator_edits_a_version_without_enrolments(client_for, administrator, curricula):
    url = reverse("admin:courses_courseversion_change", args=[curricula["vib"].pk])
    body = client_for(administrator).get(url).content.decode()
    assert 'name="requirements-0-title"' in body


def test_a_version_with_enrolments_shows_its_requirements_read_only(
    client_for, administrator, dmop_enrolment
):
    url = reverse("admin:courses_courseversion_change", args=[dmop_enrolment.version_id])
    body = client_for(administrator).get(url).content.decode()
    assert "Trainingsdag 1" in body
    assert 'name="requirements-0-title"' not in body


def test_copying_a_version_lets_the_administrator_change_the_curriculum(
    client_for, administrator, dmop_enrolment
):
    version = dmop_enrolment.version
    response = client_for(administrator).post(
        reverse("admin:courses_courseversion_changelist"),
        {"action": "copy_version", "_selected_action": [version.pk]},
    )
    assert response.status_code == 302
    copy = CourseVersion.objects.exclude(pk=version.pk).get(course=version.course)
    assert not copy.is_current
    assert Requirement.objects.filter(version=copy).count() == version.requirements.count()


def test_making_a_version_current_leaves_one_current_version(client_for, administrator, curricula):
    from courses.services import course_version_copy

    copy = course_version_copy(version=curricula["vib"], label="2026")
    client_for(administrator).post(
        reverse("admin:courses_courseversion_changelist"),
        {"action": "make_current", "_selected_action": [copy.pk]},
    )
    assert list(CourseVersion.objects.filter(course=copy.course, is_current=True)) == [copy]


def test_people_without_admin_rights_cannot_open_the_curricula(client_for, coordinator, curricula):
    url = reverse("admin:courses_courseversion_change", args=[curricula["vib"].pk])
    assert client_for(coordinator).get(url).status_code == 302


def test_enrolling_in_the_admin_with_a_trainer_assigns_the_trainer(
    client_for, administrator, colleague, supervisor_unassigned, curricula
):
    from organisations.models import SupervisorAssignment

    response = client_for(administrator).post(
        reverse("admin:courses_enrolment_add"),
        {
            "professional": colleague.pk,
            "version": curricula["vib"].pk,
            "cohort": "2026-1",
            "started_on": "2026-01-05",
            "supervisor": supervisor_unassigned.pk,
            "status": "enrolled",
            "created_at_0": "2026-01-05",
            "created_at_1": "09:00:00",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert (
        SupervisorAssignment.objects.active()
        .filter(supervisor=supervisor_unassigned, trainee=colleague)
        .exists()
    )


@pytest.mark.parametrize("kind", [Requirement.Kind.SUPERVISION_MEETINGS, Requirement.Kind.TRAINING_DAY])
def test_a_cohorts_training_day_in_the_admin_can_only_be_a_training_day_requirement(
    client_for, administrator, professional, supervisor, curricula, kind
):
    # Attendance at a training day writes evidence for its requirement: pointed at supervision, a trainer's
    # attendance list would tick supervision meetings that no supervisor held.
    from courses.models import Cohort, TrainingDay

    version = curricula["vib"]
    cohort = Cohort.objects.create(
        organisation=professional.organisation, version=version, name="Noord 2026-1"
    )
    requirement = version.requirements.filter(kind=kind).first()
    assert requirement is not None
    response = client_for(administrator).post(
        reverse("admin:courses_cohort_change", args=[cohort.pk]),
        {
            "organisation": cohort.organisation_id,
            "version": version.pk,
            "name": cohort.name,
            "starts_on": "",
            "created_at_0": "2026-12-01",
            "created_at_1": "09:00:00",
            "training_days-TOTAL_FORMS": "1",
            "training_days-INITIAL_FORMS": "0",
            "training_days-MIN_NUM_FORMS": "0",
            "training_days-MAX_NUM_FORMS": "1000",
            "training_days-0-requirement": requirement.pk,
            "training_days-0-date": "2026-12-10",
            "training_days-0-place": "Zwolle",
            "training_days-0-trainer": supervisor.pk,
        },
    )
    created = TrainingDay.objects.filter(cohort=cohort).exists()
    if kind == Requirement.Kind.TRAINING_DAY:
        assert response.status_code == 302 and created
    else:
        assert response.status_code == 200 and not created
        assert "training_days-0-requirement" in response.content.decode()
