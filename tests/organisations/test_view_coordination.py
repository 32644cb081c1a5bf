"""The coordinator's page: the NCJ licence (administrators' data), the NCJ contact and the checklist."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import ImplementationCheck, Licence, Organisation
from tests.conftest import make_person

PAGE = reverse("organisations:coordination")
CONTACT = reverse("organisations:ncj_contact")


def check_url(item: str) -> str:
    return reverse("organisations:implementation_check", args=[item])


def test_the_coordinator_sees_the_licence_with_period_size_class_and_contribution(client_for, coordinator):
    body = client_for(coordinator).get(PAGE).content.decode()
    assert "NCJ-licentie" in body
    assert "1 januari 2025" in body and "geen einddatum" in body
    assert "Groot" in body
    assert "€ 6000" in body


def test_an_agreed_contribution_overrides_the_size_class_standard(client_for, coordinator, organisation):
    Licence.objects.filter(organisation=organisation).update(contribution_eur=5200)
    assert "€ 5200" in client_for(coordinator).get(PAGE).content.decode()


def test_without_a_licence_the_page_says_whom_to_ask(client_for, coordinator, organisation):
    Licence.objects.filter(organisation=organisation).delete()
    body = client_for(coordinator).get(PAGE).content.decode()
    assert "Voor deze organisatie is geen NCJ-licentie geregistreerd." in body


def test_the_current_licence_is_shown_rather_than_a_later_one(client_for, coordinator, organisation):
    Licence.objects.create(
        organisation=organisation,
        starts_on=timezone.localdate() + datetime.timedelta(days=400),
        size_class=Licence.SizeClass.SMALL,
    )
    assert client_for(coordinator).get(PAGE).context["licence"].size_class == Licence.SizeClass.LARGE


def test_every_condition_of_the_seed_is_listed_as_not_started_at_first(client_for, coordinator):
    response = client_for(coordinator).get(PAGE)
    items = [check.item for check in response.context["checklist"]]
    assert items == ImplementationCheck.Item.values and len(items) == 6
    body = response.content.decode()
    assert "Ruimte voor het dubbel contactmoment tijdens het 8 weken consult" in body
    assert "Eenduidige registratie in het DD-JGZ volgens het registratieprotocol van het NCJ" in body
    assert body.count("Niet gestart") == 6


def test_the_page_counts_professionals_with_both_valid_certificates(
    client_for, coordinator, professional, colleague, supervisor
):
    from certification.services import certification_grant

    for course in ("dmop", "vib"):
        certification_grant(
            professional=professional, course_code=course, signed_off_by=supervisor, motivation="x"
        )
    certification_grant(professional=colleague, course_code="dmop", signed_off_by=supervisor, motivation="x")
    response = client_for(coordinator).get(PAGE)
    assert response.context["training"] == {"professionals": 2, "trained": 1}
    assert "1 van 2 professionals hebben een geldig DMOP- en VIB-certificaat" in response.content.decode()


def test_the_page_costs_a_fixed_number_of_queries(
    client_for, coordinator, organisation, django_assert_num_queries
):
    client = client_for(coordinator)
    client.get(PAGE)
    ImplementationCheck.objects.create(organisation=organisation, item="cameras", status="done")
    for n in range(5):
        make_person(f"p{n}@noord.example", organisation=organisation, is_professional=True)
    # session, user, OTP device, organisation, licences, checklist, professionals, NCJ contact choices,
    # and the idle-timeout stamp saved in the session (savepoint, update, release)
    with django_assert_num_queries(11):
        assert client.get(PAGE).status_code == 200


def test_the_coordinator_records_a_condition_with_status_date_and_note(client_for, coordinator, organisation):
    data = {"status": "done", "checked_on": "2026-01-15", "note": "Acht camera's in de uitleen"}
    response = client_for(coordinator).post(check_url("cameras"), data)
    assert response.status_code == 302 and response["Location"] == PAGE
    check = ImplementationCheck.objects.get(organisation=organisation, item="cameras")
    assert (check.status, check.checked_on, check.note) == ("done", datetime.date(2026, 1, 15), data["note"])
    assert check.updated_by == coordinator
    body = client_for(coordinator).get(PAGE).content.decode()
    assert "Acht camera&#x27;s in de uitleen" in body and "Voldaan" in body


def test_saving_again_updates_the_same_row(client_for, coordinator, organisation):
    client = client_for(coordinator)
    client.post(check_url("cameras"), {"status": "in_progress", "note": "besteld"})
    client.post(check_url("cameras"), {"status": "done", "checked_on": "2026-02-01", "note": "geleverd"})
    assert ImplementationCheck.objects.get(organisation=organisation).note == "geleverd"


def test_the_form_shows_the_saved_values(client_for, coordinator, organisation):
    ImplementationCheck.objects.create(
        organisation=organisation, item="cameras", status="in_progress", note="besteld"
    )
    body = client_for(coordinator).get(check_url("cameras")).content.decode()
    assert "besteld" in body and 'value="in_progress" selected' in body


@pytest.mark.parametrize(
    "data, error",
    [
        ({"status": "done", "note": "klaar"}, "Geef de datum waarop aan deze randvoorwaarde is voldaan."),
        ({"status": "done", "checked_on": "2999-01-01"}, "De datum kan niet in de toekomst liggen."),
        ({"status": "done", "checked_on": "15-15-2026"}, "Vul een geldige datum in."),
        ({"status": "perhaps"}, "Selecteer een geldige keuze."),
    ],
)
def test_invalid_input_is_refused_in_dutch_and_keeps_the_note(client_for, coordinator, data, error):
    response = client_for(coordinator).post(check_url("cameras"), data)
    body = response.content.decode()
    assert response.status_code == 200 and error in body
    assert not ImplementationCheck.objects.exists()
    if "note" in data:
        assert data["note"] in body


def test_an_unknown_condition_does_not_exist(client_for, coordinator):
    assert client_for(coordinator).get(check_url("swimming_pool")).status_code == 404


def test_another_coordinator_writes_only_their_own_checklist(
    client_for, coordinator_other_org, organisation, other_organisation
):
    client_for(coordinator_other_org).post(check_url("cameras"), {"status": "in_progress"})
    assert ImplementationCheck.objects.get().organisation == other_organisation
    assert not organisation.implementation_checks.exists()


@pytest.mark.parametrize("persona", ["professional", "supervisor", "administrator"])
def test_other_roles_get_403(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(PAGE).status_code == 403
    assert (
        client.post(check_url("cameras"), {"status": "done", "checked_on": "2026-01-01"}).status_code == 403
    )
    assert client.post(CONTACT).status_code == 403
    assert not ImplementationCheck.objects.exists()


def test_anonymous_visitors_go_to_the_login_page(client, organisation):
    for response in (client.get(PAGE), client.get(check_url("cameras")), client.post(CONTACT)):
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_wrong_methods_are_refused(client_for, coordinator):
    client = client_for(coordinator)
    assert client.post(PAGE).status_code == 405
    assert client.get(CONTACT).status_code == 405
    assert client.delete(check_url("cameras")).status_code == 405


def test_the_coordinator_names_a_coordinator_as_ncj_contact(client_for, coordinator, organisation):
    response = client_for(coordinator).post(CONTACT, {"contact": coordinator.pk})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.ncj_contact == coordinator
    body = client_for(coordinator).get(PAGE).content.decode()
    assert f"{coordinator.full_name} ({coordinator.email})" in body


@pytest.mark.parametrize("who", ["professional", "coordinator_other_org"])
def test_only_a_coordinator_of_the_organisation_can_be_the_ncj_contact(request, client_for, coordinator, who):
    candidate = request.getfixturevalue(who)
    client = client_for(coordinator)
    response = client.post(CONTACT, {"contact": candidate.pk}, follow=True)
    assert "Kies een coördinator." in response.content.decode()
    assert Organisation.objects.get(pk=coordinator.organisation_id).ncj_contact is None
