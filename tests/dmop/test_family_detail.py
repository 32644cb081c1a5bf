import datetime

import pytest
from django.urls import reverse

from audit.models import AccessLogEntry
from tests.dmop.conftest import TODAY, record, set_birth


def url(family) -> str:  # type: ignore[no-untyped-def]
    return reverse("dmop:family_detail", args=[family.pk])


def test_the_timeline_shows_each_domain_per_contact_moment_and_flags_rising_concern(
    client_for, family, certified_colleague
):
    set_birth(family, 130)
    earlier = TODAY() - datetime.timedelta(days=60)
    record(family, family.registered_by, (1, 0, 0, 2, 0), kind="8w_double", date=earlier)
    record(family, certified_colleague, (1, 2, 0, 1, 0))
    response = client_for(certified_colleague).get(url(family))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dubbel contactmoment 8 weken" in body
    assert body.count("zorg gestegen") == 1
    assert response.context["timeline"].rising_domains == ["partner_role"]


def test_opening_a_family_is_written_to_the_access_log(client_for, family):
    client_for(family.registered_by).get(url(family))
    entry = AccessLogEntry.objects.get(object_type="dmop.family", action_code="R")
    assert (entry.family_code, entry.user) == (family.code, family.registered_by)


def test_a_family_of_another_organisation_is_not_found(client_for, other_family, certified_professional):
    assert client_for(certified_professional).get(url(other_family)).status_code == 404


def test_a_family_that_does_not_exist_is_not_found(client_for, certified_professional):
    assert client_for(certified_professional).get("/dmop/families/999999/").status_code == 404


def test_anonymous_visitors_go_to_the_login_page(client, family):
    assert "/login/" in client.get(url(family))["Location"]


def test_post_is_not_allowed(client_for, family):
    assert client_for(family.registered_by).post(url(family)).status_code == 405


@pytest.mark.parametrize("moments", [1, 12])
def test_the_timeline_costs_the_same_number_of_queries_for_few_and_many_contact_moments(
    moments, client_for, family, django_assert_num_queries
):
    for number in range(moments):
        record(
            family,
            family.registered_by,
            (number % 4, 0, 1, 2, 3),
            kind="other",
            date=TODAY() - datetime.timedelta(days=number),
        )
    client = client_for(family.registered_by)
    client.get(url(family))
    # session, user, TOTP device, certificate (gate), family, certificate (access), audit line (3: lock
    # chain head, insert, move head), timeline rows, contact moments with professional, session save (3)
    with django_assert_num_queries(14):
        response = client.get(url(family))
    assert len(response.context["timeline"].columns) == moments
