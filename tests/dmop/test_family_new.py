from django.urls import reverse

from dmop.models import Family
from tests.dmop.conftest import new_family

URL = reverse("dmop:family_new")


def test_a_certified_professional_registers_a_family_and_goes_on_to_the_first_contact_moment(
    client_for, certified_professional, organisation
):
    response = client_for(certified_professional).post(
        URL, {"code": "NRD-77", "child_birth_month": "2026-09"}
    )
    family = Family.objects.get(code="NRD-77")
    assert response.status_code == 302
    assert response["Location"] == reverse("dmop:contact_moment_new", args=[family.pk])
    assert family.organisation == organisation
    assert family.registered_by == certified_professional
    assert family.child_birth_month.isoformat() == "2026-09-01"


def test_a_name_is_refused_as_family_code_with_a_clear_dutch_message(client_for, certified_professional):
    response = client_for(certified_professional).post(URL, {"code": "Jansen, Piet"})
    assert response.status_code == 200
    assert "Gebruik 3 tot 32 letters, cijfers of koppeltekens" in response.content.decode()
    assert not Family.objects.exists()


def test_a_code_already_used_in_the_organisation_is_refused_but_another_organisation_may_use_it(
    client_for, certified_professional, certified_other_org, other_organisation
):
    new_family(other_organisation, certified_other_org, code="DUP-1")
    client = client_for(certified_professional)
    assert client.post(URL, {"code": "DUP-1", "child_birth_month": "2026-01"}).status_code == 302
    response = client.post(URL, {"code": "DUP-1", "child_birth_month": "2026-01"})
    assert "Deze familiecode is in je organisatie al in gebruik." in response.content.decode()
    assert Family.objects.filter(code="DUP-1").count() == 2


def test_a_month_of_birth_in_the_future_is_refused_and_the_code_is_kept(client_for, certified_professional):
    response = client_for(certified_professional).post(URL, {"code": "NRD-9", "child_birth_month": "2999-01"})
    assert "De geboortemaand kan niet in de toekomst liggen." in response.content.decode()
    assert 'value="NRD-9"' in response.content.decode()


def test_anonymous_visitors_go_to_the_login_page(client):
    assert "/login/" in client.get(URL)["Location"]


def test_put_is_not_allowed(client_for, certified_professional):
    assert client_for(certified_professional).put(URL).status_code == 405


def test_a_bsn_is_refused_as_family_code(client_for, certified_professional):
    response = client_for(certified_professional).post(URL, {"code": "111222333"})
    assert "Dit lijkt op een BSN." in response.content.decode()
    assert not Family.objects.exists()


def test_registering_a_family_is_written_to_the_access_log(client_for, certified_professional):
    from audit.models import AccessLogEntry

    client_for(certified_professional).post(URL, {"code": "NRD-78", "child_birth_month": "2026-01"})
    entry = AccessLogEntry.objects.get(object_type="dmop.family")
    assert (entry.action_code, entry.family_code, entry.user) == ("C", "NRD-78", certified_professional)
