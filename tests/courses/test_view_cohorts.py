"""The coordinator's cohorts: create a group, enrol professionals in it, change cohort, withdraw."""

import pytest
from django.urls import reverse

from courses import cohort_services
from courses.models import Cohort, Enrolment
from tests.conftest import make_person

LIST = reverse("courses:cohort_list")
NEW = reverse("courses:cohort_new")


def detail_url(cohort: Cohort) -> str:
    return reverse("courses:cohort_detail", args=[cohort.pk])


def enrol_url(cohort: Cohort) -> str:
    return reverse("courses:cohort_enrol", args=[cohort.pk])


def withdraw_url(enrolment: Enrolment) -> str:
    return reverse("courses:enrolment_withdraw", args=[enrolment.pk])


def change_url(enrolment: Enrolment) -> str:
    return reverse("courses:enrolment_cohort_change", args=[enrolment.pk])


@pytest.fixture
def cohort(organisation, curricula) -> Cohort:
    return Cohort.objects.create(organisation=organisation, version=curricula["dmop"], name="Noord 2026-1")


@pytest.fixture
def second_cohort(organisation, curricula) -> Cohort:
    return Cohort.objects.create(organisation=organisation, version=curricula["dmop"], name="Noord 2026-2")


@pytest.fixture
def other_cohort(other_organisation, curricula) -> Cohort:
    return Cohort.objects.create(
        organisation=other_organisation, version=curricula["dmop"], name="Zuid 2026-1"
    )


# --- cohorts --------------------------------------------------------------------------------------------


def test_the_coordinator_creates_a_cohort_for_a_course_version(
    client_for, coordinator, organisation, curricula
):
    data = {"version": curricula["vib"].pk, "name": "Noord VIB 2026", "starts_on": "2026-03-01"}
    response = client_for(coordinator).post(NEW, data)
    cohort = Cohort.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(cohort)
    assert (cohort.organisation, cohort.version, cohort.name) == (
        organisation,
        curricula["vib"],
        "Noord VIB 2026",
    )


@pytest.mark.parametrize(
    "data, error",
    [
        ({"name": "Noord 2026-1"}, "Deze opleidingsversie heeft al een groep met die naam."),
        ({"name": ""}, "Geef de groep een naam."),
        ({"starts_on": "morgen"}, "Vul een geldige datum in."),
        ({"version": 999999}, "Kies een opleidingsversie."),
    ],
)
def test_invalid_cohorts_are_refused_in_dutch(client_for, coordinator, cohort, curricula, data, error):
    response = client_for(coordinator).post(NEW, {"version": curricula["dmop"].pk, "name": "Nieuw"} | data)
    assert response.status_code == 200 and error in response.content.decode()
    assert Cohort.objects.count() == 1


def test_the_list_shows_only_the_own_organisations_cohorts_with_counts(
    client_for, coordinator, cohort, other_cohort, professional
):
    cohort_services.cohort_enrol(cohort=cohort, professional=professional)
    response = client_for(coordinator).get(LIST)
    body = response.content.decode()
    assert cohort.name in body and other_cohort.name not in body
    assert [(c.members, c.days) for c in response.context["cohorts"]] == [(1, 0)]


def test_the_list_costs_the_same_queries_for_many_cohorts(
    client_for, coordinator, organisation, curricula, django_assert_num_queries
):
    client = client_for(coordinator)
    Cohort.objects.create(organisation=organisation, version=curricula["dmop"], name="A")
    # session, user, OTP device, cohorts with counts; the session's idle-timeout stamp (3)
    with django_assert_num_queries(7):
        client.get(LIST)
    Cohort.objects.bulk_create(
        Cohort(organisation=organisation, version=curricula["vib"], name=f"G{n}") for n in range(20)
    )
    with django_assert_num_queries(7):
        assert len(client.get(LIST).context["cohorts"]) == 21


# --- enrolling -----------------------------------------------------------------------------------------


def test_the_coordinator_enrols_a_professional_in_a_cohort(client_for, coordinator, cohort, professional):
    response = client_for(coordinator).post(enrol_url(cohort), {"professional": professional.pk})
    assert response.status_code == 302 and response["Location"] == detail_url(cohort)
    enrolment = Enrolment.objects.get(professional=professional)
    assert (enrolment.version, enrolment.group, enrolment.cohort) == (cohort.version, cohort, "Noord 2026-1")
    assert enrolment.status == Enrolment.Status.ENROLLED
    body = client_for(coordinator).get(detail_url(cohort)).content.decode()
    assert professional.full_name in body


def test_the_enrol_form_offers_only_own_professionals_not_yet_enrolled(
    client_for, coordinator, cohort, professional, colleague, professional_other_org, supervisor
):
    cohort_services.cohort_enrol(cohort=cohort, professional=colleague)
    choices = (
        client_for(coordinator).get(detail_url(cohort)).context["enrol_form"].fields["professional"].queryset
    )
    assert list(choices) == [professional]


@pytest.mark.parametrize("who", ["professional_other_org", "supervisor", "coordinator"])
def test_only_own_professionals_can_be_enrolled(request, client_for, coordinator, cohort, who):
    person = request.getfixturevalue(who)
    response = client_for(coordinator).post(enrol_url(cohort), {"professional": person.pk})
    assert response.status_code == 200 and "Kies een professional." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_enrolling_twice_on_the_same_version_points_to_change_cohort(
    coordinator, cohort, second_cohort, professional
):
    cohort_services.cohort_enrol(cohort=cohort, professional=professional)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="wijzig in plaats daarvan de groep"):
        cohort_services.cohort_enrol(cohort=second_cohort, professional=professional)


def test_a_deactivated_professional_cannot_be_enrolled(client_for, coordinator, cohort, professional):
    professional.is_active = False
    professional.save()
    response = client_for(coordinator).post(enrol_url(cohort), {"professional": professional.pk})
    assert "Kies een professional." in response.content.decode()


def test_the_cohort_page_costs_the_same_queries_for_many_members(
    client_for, coordinator, cohort, organisation, django_assert_num_queries
):
    client = client_for(coordinator)
    client.get(detail_url(cohort))
    for n in range(2):
        cohort_services.cohort_enrol(
            cohort=cohort,
            professional=make_person(f"m{n}@noord.example", organisation=organisation, is_professional=True),
        )
    # session, user, OTP, cohort, members, training days, enrol choices; idle-timeout stamp (3)
    with django_assert_num_queries(10):
        client.get(detail_url(cohort))
    for n in range(2, 12):
        cohort_services.cohort_enrol(
            cohort=cohort,
            professional=make_person(f"m{n}@noord.example", organisation=organisation, is_professional=True),
        )
    with django_assert_num_queries(10):
        assert client.get(detail_url(cohort)).content.decode().count('id="enrolment-') == 12


# --- change cohort and withdraw ---------------------------------------------------------------------------


def test_the_coordinator_moves_an_enrolment_to_another_cohort(
    client_for, coordinator, cohort, second_cohort, professional
):
    enrolment = cohort_services.cohort_enrol(cohort=cohort, professional=professional)
    client = client_for(coordinator)
    assert list(client.get(change_url(enrolment)).context["form"].fields["cohort"].queryset) == [
        second_cohort
    ]
    response = client.post(change_url(enrolment), {"cohort": second_cohort.pk})
    assert response.status_code == 302 and response["Location"] == detail_url(second_cohort)
    enrolment.refresh_from_db()
    assert (enrolment.group, enrolment.cohort) == (second_cohort, "Noord 2026-2")


def test_a_cohort_of_another_course_or_organisation_is_refused(
    client_for, coordinator, cohort, other_cohort, organisation, curricula, professional
):
    enrolment = cohort_services.cohort_enrol(cohort=cohort, professional=professional)
    vib_cohort = Cohort.objects.create(organisation=organisation, version=curricula["vib"], name="VIB")
    for target in (vib_cohort, other_cohort):
        response = client_for(coordinator).post(change_url(enrolment), {"cohort": target.pk})
        assert "Kies een groep." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.group == cohort


def test_the_coordinator_withdraws_an_enrolment_and_its_history_stays(
    client_for, coordinator, cohort, professional
):
    enrolment = cohort_services.cohort_enrol(cohort=cohort, professional=professional)
    client = client_for(coordinator)
    response = client.post(withdraw_url(enrolment))
    assert response.status_code == 302 and response["Location"] == detail_url(cohort)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.WITHDRAWN and enrolment.withdrawn_on is not None
    follow = client.post(withdraw_url(enrolment), follow=True)
    assert "Alleen een lopende inschrijving kan worden gestopt." in follow.content.decode()
    response = client.post(change_url(enrolment), {"cohort": cohort.pk})
    assert response.status_code == 200


def test_a_withdrawn_enrolment_cannot_change_cohort(
    client_for, coordinator, cohort, second_cohort, professional
):
    enrolment = cohort_services.cohort_enrol(cohort=cohort, professional=professional)
    client_for(coordinator).post(withdraw_url(enrolment))
    response = client_for(coordinator).post(change_url(enrolment), {"cohort": second_cohort.pk})
    assert "Deze inschrijving is afgesloten; de groep kan niet meer veranderen." in response.content.decode()


# --- who may ---------------------------------------------------------------------------------------------


def test_a_coordinator_of_another_organisation_gets_404_everywhere(
    client_for, coordinator_other_org, cohort, professional, professional_other_org
):
    enrolment = cohort_services.cohort_enrol(cohort=cohort, professional=professional)
    client = client_for(coordinator_other_org)
    assert client.get(detail_url(cohort)).status_code == 404
    assert client.post(enrol_url(cohort), {"professional": professional_other_org.pk}).status_code == 404
    assert client.post(withdraw_url(enrolment)).status_code == 404
    assert client.post(change_url(enrolment), {"cohort": cohort.pk}).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.is_open and Enrolment.objects.count() == 1


def test_the_professional_cannot_withdraw_or_move_their_own_enrolment(
    client_for, professional, cohort, second_cohort
):
    enrolment = cohort_services.cohort_enrol(cohort=cohort, professional=professional)
    client = client_for(professional)
    assert client.post(withdraw_url(enrolment)).status_code == 403
    assert client.post(change_url(enrolment), {"cohort": second_cohort.pk}).status_code == 403
    assert client.get(LIST).status_code == 403
    assert client.get(detail_url(cohort)).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.is_open and enrolment.group == cohort


def test_an_administrator_sees_that_a_cohort_exists_but_manages_it_in_the_admin(
    client_for, administrator, cohort
):
    client = client_for(administrator)
    assert client.get(detail_url(cohort)).status_code == 403
    assert client.get(NEW).status_code == 403


def test_anonymous_visitors_go_to_the_login_page(client, cohort):
    for response in (client.get(LIST), client.get(detail_url(cohort)), client.post(enrol_url(cohort))):
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_wrong_methods_are_refused(client_for, coordinator, cohort, professional):
    enrolment = cohort_services.cohort_enrol(cohort=cohort, professional=professional)
    client = client_for(coordinator)
    assert client.post(LIST).status_code == 405
    assert client.post(detail_url(cohort)).status_code == 405
    assert client.get(enrol_url(cohort)).status_code == 405
    assert client.get(withdraw_url(enrolment)).status_code == 405
