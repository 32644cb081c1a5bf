"""Training days: the coordinator plans a cohort's day; its trainer registers attendance for the group at
once, which is the same attendance evidence the progress, the overview and certification count."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses import cohort_services
from courses.models import Cohort, Enrolment, Evidence, Requirement, TrainingDay, TrainingDayAttendance
from courses.progress import progress_for
from tests.conftest import make_person

Kind = Requirement.Kind
MINE = reverse("courses:training_days")
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def new_url(cohort: Cohort) -> str:
    return reverse("courses:training_day_new", args=[cohort.pk])


def detail_url(day: TrainingDay) -> str:
    return reverse("courses:training_day_detail", args=[day.pk])


def attendance_url(day: TrainingDay) -> str:
    return reverse("courses:training_day_attendance", args=[day.pk])


@pytest.fixture
def cohort(organisation, curricula) -> Cohort:
    return Cohort.objects.create(organisation=organisation, version=curricula["dmop"], name="Noord 2026-1")


@pytest.fixture
def first_day(cohort) -> Requirement:
    return cohort.version.requirements.filter(kind=Kind.TRAINING_DAY).order_by("order").first()


@pytest.fixture
def members(cohort, professional, colleague) -> list[Enrolment]:
    return [cohort_services.cohort_enrol(cohort=cohort, professional=p) for p in (professional, colleague)]


@pytest.fixture
def day(cohort, first_day, supervisor_unassigned, members) -> TrainingDay:
    """Given by a trainer who is not assigned to any member: the day itself gives the right to register."""
    return cohort_services.training_day_plan(
        cohort=cohort,
        requirement=first_day,
        date=YESTERDAY,
        place="Zaal 3, Groningen",
        trainer=supervisor_unassigned,
    )


# --- planning -------------------------------------------------------------------------------------------


def test_the_coordinator_plans_a_training_day_with_date_place_and_trainer(
    client_for, coordinator, cohort, first_day, supervisor_unassigned
):
    data = {
        "requirement": first_day.pk,
        "date": "2026-04-14",
        "place": "Zaal 3",
        "trainer": supervisor_unassigned.pk,
    }
    response = client_for(coordinator).post(new_url(cohort), data)
    day = TrainingDay.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(day)
    assert (day.cohort, day.requirement, day.date, day.place, day.trainer) == (
        cohort,
        first_day,
        datetime.date(2026, 4, 14),
        "Zaal 3",
        supervisor_unassigned,
    )
    body = client_for(coordinator).get(reverse("courses:cohort_detail", args=[cohort.pk])).content.decode()
    assert "Zaal 3" in body and "Nog niet geregistreerd" in body


def test_the_form_offers_only_training_days_of_the_cohorts_course(client_for, coordinator, cohort):
    requirements = client_for(coordinator).get(new_url(cohort)).context["form"].fields["requirement"].queryset
    assert [r.title for r in requirements] == [
        "Trainingsdag 1: het DMO-protocol en de vijf domeinen",
        "Trainingsdag 2: gespreksvoering vanuit empowerment",
        "Terugkomdag",
    ]


@pytest.mark.parametrize(
    "change, error",
    [
        ({"place": ""}, "Vul in waar de dag plaatsvindt."),
        ({"date": "31-02-2026"}, "Vul een geldige datum in."),
        ({"trainer": "professional"}, "Kies de trainer."),
        ({"requirement": "vib"}, "Kies de trainingsdag."),
    ],
)
def test_invalid_days_are_refused_in_dutch_and_keep_the_place(
    client_for, coordinator, cohort, first_day, supervisor, professional, curricula, change, error
):
    data = {"requirement": first_day.pk, "date": "2026-04-14", "place": "Zaal 3", "trainer": supervisor.pk}
    if change.get("trainer") == "professional":
        change = {"trainer": professional.pk}
    if change.get("requirement") == "vib":
        change = {"requirement": curricula["vib"].requirements.get(kind=Kind.TRAINING_DAY).pk}
    response = client_for(coordinator).post(new_url(cohort), data | change)
    body = response.content.decode()
    assert response.status_code == 200 and error in body
    assert not TrainingDay.objects.exists()
    if "place" not in change:
        assert 'value="Zaal 3"' in body


# --- registering attendance -----------------------------------------------------------------------------


def test_the_trainer_registers_the_whole_group_at_once_and_progress_moves(
    client_for, supervisor_unassigned, day, members, professional, colleague
):
    client = client_for(supervisor_unassigned)
    form = client.get(detail_url(day)).context["form"]
    assert sorted(form.fields["present"].initial) == sorted(m.pk for m in members)
    response = client.post(attendance_url(day), {"present": [m.pk for m in members]})
    assert response.status_code == 302 and response["Location"] == detail_url(day)
    evidence = Evidence.objects.filter(requirement=day.requirement)
    assert {e.enrolment_id for e in evidence} == {m.pk for m in members}
    assert all(e.occurred_on == YESTERDAY and e.recorded_by == supervisor_unassigned for e in evidence)
    for enrolment, progress in zip(members, progress_for(members), strict=True):
        enrolment.refresh_from_db()
        assert enrolment.status == Enrolment.Status.IN_PROGRESS
        assert progress.item_for(day.requirement_id).met
    body = client.get(detail_url(day)).content.decode()
    assert f"{professional.full_name}: aanwezig" in body and f"{colleague.full_name}: aanwezig" in body


def test_who_is_unticked_is_registered_absent_without_evidence(
    client_for, supervisor_unassigned, day, members
):
    present, absent = members
    client_for(supervisor_unassigned).post(attendance_url(day), {"present": [present.pk]})
    rows = {a.enrolment_id: a for a in TrainingDayAttendance.objects.filter(training_day=day)}
    assert rows[present.pk].present and rows[present.pk].evidence is not None
    assert not rows[absent.pk].present and rows[absent.pk].evidence is None
    assert not Evidence.objects.filter(enrolment=absent).exists()
    absent.refresh_from_db()
    assert absent.status == Enrolment.Status.ENROLLED


def test_attendance_is_registered_once(client_for, supervisor_unassigned, day, members):
    client = client_for(supervisor_unassigned)
    client.post(attendance_url(day), {"present": [members[0].pk]})
    response = client.post(attendance_url(day), {"present": [m.pk for m in members]})
    assert "De aanwezigheid bij deze trainingsdag is al geregistreerd." in response.content.decode()
    assert Evidence.objects.count() == 1


def test_a_member_registered_before_gets_no_second_evidence_row(
    supervisor, supervisor_unassigned, day, members
):
    from courses import services

    services.attendance_register(
        enrolment=members[0], requirement=day.requirement, actor=supervisor, occurred_on=YESTERDAY
    )
    cohort_services.training_day_register_attendance(
        day=day, actor=supervisor_unassigned, present=[m.pk for m in members]
    )
    assert Evidence.objects.filter(enrolment=members[0]).count() == 1
    assert Evidence.objects.filter(enrolment=members[1]).count() == 1
    assert TrainingDayAttendance.objects.get(enrolment=members[0]).present


def test_a_day_in_the_future_cannot_be_registered(client_for, supervisor_unassigned, day, members):
    TrainingDay.objects.filter(pk=day.pk).update(date=timezone.localdate() + datetime.timedelta(days=1))
    response = client_for(supervisor_unassigned).post(attendance_url(day), {"present": [members[0].pk]})
    assert (
        "Aanwezigheid kan niet worden geregistreerd voor een datum in de toekomst."
        in response.content.decode()
    )
    assert not Evidence.objects.exists()


def test_someone_outside_the_cohort_cannot_be_ticked(
    client_for, supervisor_unassigned, day, organisation, curricula
):
    stranger = make_person("s@noord.example", organisation=organisation, is_professional=True)
    other = Cohort.objects.create(organisation=organisation, version=curricula["dmop"], name="Ander")
    enrolment = cohort_services.cohort_enrol(cohort=other, professional=stranger)
    response = client_for(supervisor_unassigned).post(attendance_url(day), {"present": [enrolment.pk]})
    assert response.status_code == 200 and "Selecteer een geldige keuze." in response.content.decode()
    assert not Evidence.objects.exists()
    with pytest.raises(ValidationError):
        cohort_services.training_day_register_attendance(
            day=day, actor=supervisor_unassigned, present=[enrolment.pk]
        )


def test_withdrawn_members_are_left_out(client_for, supervisor_unassigned, day, members):
    from courses import services

    services.enrolment_withdraw(enrolment=members[1])
    form = client_for(supervisor_unassigned).get(detail_url(day)).context["form"]
    assert form.fields["present"].initial == [members[0].pk]


# --- who may ---------------------------------------------------------------------------------------------


def test_the_coordinator_sees_the_day_but_cannot_register_attendance(client_for, coordinator, day, members):
    client = client_for(coordinator)
    response = client.get(detail_url(day))
    assert response.status_code == 200 and response.context["form"] is None
    assert client.post(attendance_url(day), {"present": [m.pk for m in members]}).status_code == 403
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    "persona", ["supervisor", "professional", "coordinator_other_org", "professional_other_org"]
)
def test_anyone_else_gets_404(request, client_for, day, members, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(detail_url(day)).status_code == 404
    assert client.post(attendance_url(day), {"present": [m.pk for m in members]}).status_code == 404
    assert not Evidence.objects.exists()


def test_planning_is_for_the_cohorts_coordinator(
    client_for, cohort, coordinator_other_org, supervisor, professional
):
    assert client_for(coordinator_other_org).get(new_url(cohort)).status_code == 404
    assert client_for(supervisor).get(new_url(cohort)).status_code == 404
    assert client_for(professional).post(new_url(cohort), {}).status_code == 404


def test_anonymous_visitors_go_to_the_login_page(client, day):
    for response in (client.get(detail_url(day)), client.post(attendance_url(day)), client.get(MINE)):
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_wrong_methods_are_refused(client_for, supervisor_unassigned, day):
    client = client_for(supervisor_unassigned)
    assert client.get(attendance_url(day)).status_code == 405
    assert client.post(detail_url(day)).status_code == 405
    assert client.post(MINE).status_code == 405


# --- the trainer's list ------------------------------------------------------------------------------------


def test_the_trainer_lists_their_own_training_days_only(client_for, supervisor_unassigned, supervisor, day):
    assert "Zaal 3, Groningen" in client_for(supervisor_unassigned).get(MINE).content.decode()
    assert "Zaal 3, Groningen" not in client_for(supervisor).get(MINE).content.decode()


def test_professionals_and_coordinators_have_no_trainer_list(client_for, professional, coordinator):
    assert client_for(professional).get(MINE).status_code == 403
    assert client_for(coordinator).get(MINE).status_code == 403


def test_the_trainer_list_costs_the_same_queries_for_many_days(
    client_for, supervisor_unassigned, day, cohort, first_day, django_assert_num_queries
):
    client = client_for(supervisor_unassigned)
    # session, user, OTP device, the days with cohort, organisation, course and requirement; idle stamp (3)
    with django_assert_num_queries(7):
        client.get(MINE)
    TrainingDay.objects.bulk_create(
        TrainingDay(
            cohort=cohort,
            requirement=first_day,
            date=YESTERDAY,
            place=f"Zaal {n}",
            trainer=supervisor_unassigned,
        )
        for n in range(15)
    )
    with django_assert_num_queries(7):
        assert len(client.get(MINE).context["days"]) == 16


def test_the_attendance_page_costs_the_same_queries_for_a_larger_group(
    client_for, supervisor_unassigned, day, cohort, organisation, django_assert_num_queries
):
    client = client_for(supervisor_unassigned)
    # session, user, OTP device, the day, the members; idle stamp (3)
    with django_assert_num_queries(8):
        client.get(detail_url(day))
    for n in range(10):
        person = make_person(f"g{n}@noord.example", organisation=organisation, is_professional=True)
        cohort_services.cohort_enrol(cohort=cohort, professional=person)
    with django_assert_num_queries(8):
        assert len(client.get(detail_url(day)).context["form"].fields["present"].choices) == 12
