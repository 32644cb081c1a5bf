"""Staff pages: a coordinator adds people to their organisation, sets their roles and deactivates them.

A coordinator never grants administrator or admin-site rights, never acts outside the organisation, never
changes a national administrator, and the organisation always keeps an active coordinator.
"""

import re

import pytest
from django.urls import reverse

from organisations.models import Organisation, User
from tests.conftest import PASSWORD, make_person

LIST = reverse("organisations:staff_list")
NEW = reverse("organisations:staff_new")


def edit_url(person: User) -> str:
    return reverse("organisations:staff_edit", args=[person.pk])


def deactivate_url(person: User) -> str:
    return reverse("organisations:staff_deactivate", args=[person.pk])


def reactivate_url(person: User) -> str:
    return reverse("organisations:staff_reactivate", args=[person.pk])


NEW_PERSON = {
    "full_name": "Nina de Vries",
    "email": "Nina@Noord.example",
    "job_title": "jeugdverpleegkundige",
    "is_professional": "on",
}


# --- the list -------------------------------------------------------------------------------------------


def test_the_coordinator_sees_the_staff_of_their_own_organisation_only(
    client_for, coordinator, professional, colleague, professional_other_org, supervisor
):
    body = client_for(coordinator).get(LIST).content.decode()
    assert professional.full_name in body and colleague.full_name in body and coordinator.full_name in body
    assert professional_other_org.full_name not in body and supervisor.full_name not in body


def test_the_list_costs_the_same_queries_for_many_people(
    client_for, coordinator, organisation, django_assert_num_queries
):
    client = client_for(coordinator)
    client.get(LIST)
    # session, user, OTP device, organisation, the people; the session's idle-timeout stamp (3)
    with django_assert_num_queries(8):
        client.get(LIST)
    User.objects.bulk_create(
        User(
            email=f"bulk{n}@noord.example",
            full_name=f"Bulk {n}",
            organisation=organisation,
            is_professional=True,
        )
        for n in range(30)
    )
    with django_assert_num_queries(8):
        body = client.get(LIST).content.decode()
    assert body.count('id="person-') == 31


# --- adding ---------------------------------------------------------------------------------------------


def test_the_coordinator_adds_a_professional_to_their_organisation(client_for, coordinator, organisation):
    response = client_for(coordinator).post(NEW, NEW_PERSON)
    assert response.status_code == 302 and response["Location"] == LIST
    person = User.objects.get(email="nina@noord.example")
    assert person.organisation == organisation
    assert (person.is_professional, person.is_coordinator, person.job_title) == (
        True,
        False,
        "jeugdverpleegkundige",
    )
    assert not (person.is_administrator or person.is_staff or person.is_superuser or person.is_supervisor)
    assert not person.has_usable_password()


def test_administrator_fields_in_the_post_are_ignored(client_for, coordinator):
    data = NEW_PERSON | {
        "is_administrator": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "is_supervisor": "on",
    }
    client_for(coordinator).post(NEW, data)
    person = User.objects.get(email="nina@noord.example")
    assert not (person.is_administrator or person.is_staff or person.is_superuser or person.is_supervisor)


def test_an_organisation_field_in_the_post_is_ignored(
    client_for, coordinator, other_organisation, organisation
):
    client_for(coordinator).post(NEW, NEW_PERSON | {"organisation": other_organisation.pk})
    assert User.objects.get(email="nina@noord.example").organisation == organisation


@pytest.mark.parametrize(
    "change, error",
    [
        ({"email": "geen-adres"}, "Vul een geldig e-mailadres in."),
        ({"email": ""}, "Vul het e-mailadres in."),
        ({"full_name": ""}, "Vul de volledige naam in."),
        ({"is_professional": ""}, "Geef de nieuwe medewerker ten minste één rol."),
        ({"email": "petra@noord.example"}, "Met dit e-mailadres bestaat al een account op het platform."),
    ],
)
def test_invalid_input_is_refused_in_dutch_and_keeps_what_was_typed(
    client_for, coordinator, professional, change, error
):
    data = {key: value for key, value in (NEW_PERSON | change).items() if value}
    before = User.objects.count()
    response = client_for(coordinator).post(NEW, data)
    body = response.content.decode()
    assert response.status_code == 200 and error in body
    assert User.objects.count() == before
    if data.get("full_name"):
        assert 'value="Nina de Vries"' in body


# --- roles ----------------------------------------------------------------------------------------------


def test_the_coordinator_makes_a_professional_also_coordinator(client_for, coordinator, professional):
    data = {"job_title": "jeugdverpleegkundige", "is_professional": "on", "is_coordinator": "on"}
    assert client_for(coordinator).post(edit_url(professional), data).status_code == 302
    professional.refresh_from_db()
    assert professional.is_professional and professional.is_coordinator


def test_the_edit_form_shows_the_current_roles(client_for, coordinator, professional):
    body = client_for(coordinator).get(edit_url(professional)).content.decode()
    assert "Rollen van Petra" in body
    assert re.search(r'<input type="checkbox" name="is_professional"[^>]* checked', body)
    assert not re.search(r'<input type="checkbox" name="is_coordinator"[^>]* checked', body)


def test_the_last_coordinator_cannot_drop_the_coordinator_role(client_for, coordinator):
    response = client_for(coordinator).post(edit_url(coordinator), {"is_professional": "on"})
    assert "De organisatie heeft ten minste één actieve coördinator nodig." in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.is_coordinator


def test_with_a_second_coordinator_one_may_step_down_and_stops_being_ncj_contact(
    client_for, coordinator, organisation
):
    make_person("cees@noord.example", organisation=organisation, is_coordinator=True)
    Organisation.objects.filter(pk=organisation.pk).update(ncj_contact=coordinator)
    response = client_for(coordinator).post(edit_url(coordinator), {"is_professional": "on"})
    assert response.status_code == 302
    coordinator.refresh_from_db()
    organisation.refresh_from_db()
    assert not coordinator.is_coordinator and organisation.ncj_contact is None


def test_a_person_without_any_role_is_refused(client_for, coordinator, professional):
    response = client_for(coordinator).post(edit_url(professional), {"job_title": ""})
    assert "Een medewerker houdt ten minste één rol." in response.content.decode()
    professional.refresh_from_db()
    assert professional.is_professional


def test_a_national_administrator_in_the_organisation_cannot_be_changed(
    client_for, coordinator, organisation
):
    admin = make_person("ada@noord.example", organisation=organisation, is_administrator=True, is_staff=True)
    client = client_for(coordinator)
    response = client.post(edit_url(admin), {"is_professional": "on"})
    assert "Alleen een landelijk beheerder kan deze persoon wijzigen." in response.content.decode()
    client.post(deactivate_url(admin))
    admin.refresh_from_db()
    assert admin.is_active and admin.is_administrator and not admin.is_professional


# --- deactivating ---------------------------------------------------------------------------------------


def test_the_coordinator_deactivates_and_reactivates_a_professional(client_for, coordinator, professional):
    client = client_for(coordinator)
    assert client.post(deactivate_url(professional)).status_code == 302
    professional.refresh_from_db()
    assert not professional.is_active
    assert "Gedeactiveerd" in client.get(LIST).content.decode()
    client.post(reactivate_url(professional))
    professional.refresh_from_db()
    assert professional.is_active


def test_a_deactivated_person_can_no_longer_log_in(client, client_for, coordinator, professional):
    client_for(coordinator).post(deactivate_url(professional))
    response = client.post("/login/", {"username": professional.email, "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_a_coordinator_cannot_deactivate_themself(client_for, coordinator, organisation):
    make_person("cees@noord.example", organisation=organisation, is_coordinator=True)
    response = client_for(coordinator).post(deactivate_url(coordinator), follow=True)
    assert "Je kunt jezelf niet deactiveren; vraag een andere coördinator." in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.is_active


def test_another_coordinator_may_be_deactivated_while_one_stays(client_for, coordinator, organisation):
    cees = make_person("cees@noord.example", organisation=organisation, is_coordinator=True)
    client_for(coordinator).post(deactivate_url(cees))
    cees.refresh_from_db()
    assert not cees.is_active


def test_deactivating_twice_says_so(client_for, coordinator, professional):
    client = client_for(coordinator)
    client.post(deactivate_url(professional))
    response = client.post(deactivate_url(professional), follow=True)
    assert "Deze persoon is al gedeactiveerd." in response.content.decode()


# --- who may ---------------------------------------------------------------------------------------------


def test_a_coordinator_of_another_organisation_gets_404_and_changes_nothing(
    client_for, coordinator_other_org, professional
):
    client = client_for(coordinator_other_org)
    assert client.get(edit_url(professional)).status_code == 404
    assert client.post(edit_url(professional), {"is_coordinator": "on"}).status_code == 404
    assert client.post(deactivate_url(professional)).status_code == 404
    professional.refresh_from_db()
    assert professional.is_active and not professional.is_coordinator


def test_people_without_organisation_do_not_exist_here(client_for, coordinator, supervisor, administrator):
    client = client_for(coordinator)
    assert client.get(edit_url(supervisor)).status_code == 404
    assert client.post(deactivate_url(administrator)).status_code == 404


def test_a_colleague_professional_gets_403(client_for, colleague, professional):
    client = client_for(colleague)
    assert client.get(LIST).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.post(deactivate_url(professional)).status_code == 403
    professional.refresh_from_db()
    assert professional.is_active


def test_an_administrator_uses_the_admin_site_instead(client_for, administrator, professional):
    client = client_for(administrator)
    assert client.get(LIST).status_code == 403
    assert client.post(deactivate_url(professional)).status_code == 403


def test_a_deactivated_coordinator_loses_access(client_for, coordinator, organisation, professional):
    User.objects.filter(pk=coordinator.pk).update(is_active=False)
    response = client_for(coordinator).get(LIST)
    assert response.status_code in (302, 403)


def test_anonymous_visitors_go_to_the_login_page(client, professional):
    for response in (client.get(LIST), client.get(NEW), client.post(deactivate_url(professional))):
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_wrong_methods_are_refused(client_for, coordinator, professional):
    client = client_for(coordinator)
    assert client.post(LIST).status_code == 405
    assert client.get(deactivate_url(professional)).status_code == 405
    assert client.get(reactivate_url(professional)).status_code == 405
    assert client.put(edit_url(professional)).status_code == 405


# --- the invitation -------------------------------------------------------------------------------------


def _invitation_path(message) -> str:  # type: ignore[no-untyped-def]
    link = re.search(r"https?://\S+(/welcome/\S+/)", message.body)
    assert link is not None, message.body
    return link.group(1)


def test_a_new_member_of_staff_sets_a_password_through_the_invitation(
    client, client_for, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(coordinator).post(NEW, NEW_PERSON)
    (message,) = mailoutbox
    assert message.to == ["nina@noord.example"]
    assert message.subject == "Je account op het SamenStarten VIB-platform"
    path = _invitation_path(message)
    form_page = client.get(path, follow=True)
    assert "Kies het wachtwoord waarmee je inlogt." in form_page.content.decode()
    new_password = "Zomer-in-Groningen-2026"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302 and response["Location"] == "/login/"
    person = User.objects.get(email="nina@noord.example")
    assert person.check_password(new_password)
    again = client.get(path, follow=True).content.decode()
    assert "Deze link is niet meer geldig" in again


def test_a_made_up_invitation_link_is_not_valid(client, professional):
    body = client.get("/welcome/MQ/abc-def/", follow=True).content.decode()
    assert "Deze link is niet meer geldig" in body
