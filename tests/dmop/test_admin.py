"""National administrators keep the DMOP's data in the admin site: the contact moment schedule, the factor
lists and each organisation's policy (retention, correction period, designated exporters)."""

import pytest
from django.urls import reverse

from dmop.models import DmopPolicy, Factor
from tests.dmop.test_monitoring_cache import admin_change

ORG_CSV = reverse("dmop-api-organisation-export-csv")
CHANGELISTS = ["/admin/dmop/scheduledmoment/", "/admin/dmop/factor/", "/admin/dmop/dmoppolicy/"]


@pytest.mark.parametrize("url", CHANGELISTS)
def test_administrators_keep_the_schedule_factors_and_policies(client_for, administrator, url):
    assert client_for(administrator).get(url).status_code == 200


@pytest.mark.parametrize("persona", ["coordinator", "certified_professional", "supervisor"])
def test_other_roles_are_kept_out(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    for url in CHANGELISTS:
        assert "/admin/login/" in client.get(url)["Location"]


def test_families_and_contact_moments_are_not_in_the_admin(client_for, administrator):
    client = client_for(administrator)
    for model in ("family", "contactmoment", "planaction", "contactmomentsummary"):
        assert client.get(f"/admin/dmop/{model}/").status_code == 404


def test_a_professional_designated_in_the_admin_exports_the_whole_organisation(
    client_for, administrator, organisation, certified_professional, family
):
    exporter = client_for(certified_professional)
    assert exporter.get(ORG_CSV).status_code == 403
    policy = DmopPolicy.objects.create(organisation=organisation)
    admin_change(
        client_for(administrator),
        f"/admin/dmop/dmoppolicy/{policy.pk}/change/",
        exporters=[certified_professional.pk],
    )
    assert exporter.get(ORG_CSV).status_code == 200


def test_a_factor_is_deactivated_never_deleted(client_for, administrator):
    factor = Factor.objects.first()
    client = client_for(administrator)
    assert client.get(f"/admin/dmop/factor/{factor.pk}/delete/").status_code == 403
    admin_change(client, f"/admin/dmop/factor/{factor.pk}/change/", is_active="")
    factor.refresh_from_db()
    assert not factor.is_active
