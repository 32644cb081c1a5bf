"""Coordinators and administrators assign supervisors and trainers per enrolment; the kind is enforced."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Enrolment
from organisations.models import SupervisorAssignment, User
from organisations.rules import Relation, relation_to
from tests.conftest import make_person


@pytest.fixture
def vib_only(db) -> User:
    return make_person("vic@ait.example", is_supervisor=True, supervisor_kind=User.SupervisorKind.VIB)


@pytest.fixture
def dmop_only(db) -> User:
    return make_person("dora@dmop.example", is_supervisor=True, supervisor_kind=User.SupervisorKind.DMOP)


@pytest.fixture
def open_vib(professional, curricula) -> Enrolment:
    return services.enrolment_create(professional=professional, version=curricula["vib"])


@pytest.fixture
def open_dmop(professional, curricula) -> Enrolment:
    return services.enrolment_create(professional=professional, version=curricula["dmop"])


def _url(enrolment: Enrolment) -> str:
    return reverse("courses:enrolment_supervisors", args=[enrolment.pk])


def test_a_coordinator_assigns_an_external_vib_supervisor(client_for, coordinator, open_vib, vib_only):
    response = client_for(coordinator).post(
        _url(open_vib), {"supervisor": vib_only.pk, "starts_on": timezone.localdate().isoformat()}
    )

    assert response.status_code == 302
    assignment = SupervisorAssignment.objects.get(enrolment=open_vib)
    assert assignment.supervisor == vib_only and assignment.trainee == open_vib.professional
    assert relation_to(vib_only, open_vib.professional) is Relation.SUPERVISOR


def test_an_administrator_sees_the_page_with_its_assignments(
    client_for, administrator, open_vib, vib_only, django_assert_max_num_queries
):
    services.assignment_create(enrolment=open_vib, supervisor=vib_only)
    client = client_for(administrator)

    with django_assert_max_num_queries(12):
        response = client.get(_url(open_vib))

    assert response.status_code == 200
    assert "Vic" in response.content.decode()


def test_a_dmop_trainer_cannot_be_assigned_to_a_vib_enrolment(client_for, coordinator, open_vib, dmop_only):
    response = client_for(coordinator).post(
        _url(open_vib), {"supervisor": dmop_only.pk, "starts_on": timezone.localdate().isoformat()}
    )

    assert response.status_code == 400
    assert "DMOP-trainer" in response.content.decode()
    assert not SupervisorAssignment.objects.filter(enrolment=open_vib).exists()


def test_a_vib_supervisor_cannot_be_assigned_to_a_dmop_enrolment(open_dmop, vib_only):
    with pytest.raises(Exception, match="VIB-supervisor kan DMOP niet"):
        services.assignment_create(enrolment=open_dmop, supervisor=vib_only)


def test_a_vib_supervisor_cannot_sign_off_dmop_parts(client_for, open_dmop, vib_only, professional):
    SupervisorAssignment.objects.create(supervisor=vib_only, trainee=professional)
    requirement = open_dmop.version.requirements.get(kind="training_day", order=1)
    url = reverse("courses:attendance_register", args=[open_dmop.pk, requirement.pk])

    response = client_for(vib_only).post(url, {"occurred_on": timezone.localdate().isoformat()})

    assert response.status_code == 403
    assert not open_dmop.evidence.exists()


def test_the_assignment_ends_when_the_enrolment_is_withdrawn(open_vib, vib_only, professional):
    services.assignment_create(enrolment=open_vib, supervisor=vib_only)
    assert relation_to(vib_only, professional) is Relation.SUPERVISOR

    services.enrolment_withdraw(enrolment=open_vib)

    assert relation_to(vib_only, professional) is Relation.NONE


def test_ending_an_assignment_on_the_page_stops_access(
    client_for, coordinator, open_vib, vib_only, professional
):
    assignment = services.assignment_create(
        enrolment=open_vib, supervisor=vib_only, starts_on=timezone.localdate() - datetime.timedelta(days=5)
    )

    response = client_for(coordinator).post(
        reverse("courses:supervisor_assignment_end", args=[assignment.pk])
    )

    assert response.status_code == 302
    assert relation_to(vib_only, professional) is Relation.NONE


def test_an_end_date_before_the_start_is_refused(client_for, coordinator, open_vib, vib_only):
    response = client_for(coordinator).post(
        _url(open_vib), {"supervisor": vib_only.pk, "starts_on": "2026-05-01", "ends_on": "2026-04-01"}
    )

    assert response.status_code == 400
    assert not SupervisorAssignment.objects.filter(enrolment=open_vib).exists()


def test_others_cannot_assign(
    client_for, open_vib, vib_only, coordinator_other_org, professional, colleague, supervisor
):
    data = {"supervisor": vib_only.pk, "starts_on": timezone.localdate().isoformat()}
    assert client_for(coordinator_other_org).post(_url(open_vib), data).status_code == 404
    assert client_for(colleague).get(_url(open_vib)).status_code == 404
    assert client_for(professional).post(_url(open_vib), data).status_code == 403
    assert client_for(supervisor).get(_url(open_vib)).status_code == 403
    assert client_for(None).get(_url(open_vib)).status_code == 302
    assert not SupervisorAssignment.objects.filter(enrolment=open_vib).exists()


def test_others_cannot_end_an_assignment(client_for, open_vib, vib_only, coordinator_other_org, professional):
    assignment = services.assignment_create(enrolment=open_vib, supervisor=vib_only)
    url = reverse("courses:supervisor_assignment_end", args=[assignment.pk])

    assert client_for(coordinator_other_org).post(url).status_code == 404
    assert client_for(professional).post(url).status_code == 403
    assert client_for(vib_only).get(url).status_code == 405
    assignment.refresh_from_db()
    assert assignment.ends_on is None
