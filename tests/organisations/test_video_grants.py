"""An administrator's video grant: asked for with a reason, approved by a second administrator, at most 7 days."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AccessLogEntry
from organisations.models import VideoGrant
from organisations.rules import Action, check
from tests.conftest import make_person

URL = reverse("organisations:video_grants")


@pytest.fixture
def second_administrator(db):
    return make_person("bea@ncj.example", is_administrator=True, is_staff=True)


def approve(grant: VideoGrant) -> str:
    return reverse("organisations:video_grant_approve", args=[grant.pk])


def test_a_request_approved_by_a_second_administrator_opens_video_for_its_days(
    client_for, administrator, second_administrator, professional
):
    response = client_for(administrator).post(URL, {"reason": "Klacht van ouder, dossier 12", "days": "3"})
    assert response.status_code == 302
    grant = VideoGrant.objects.get()
    assert grant.is_pending and not administrator.has_video_access_grant()
    assert client_for(second_administrator).post(approve(grant)).status_code == 302
    grant.refresh_from_db()
    assert grant.decided_by == second_administrator
    assert grant.ends_at - grant.approved_at == datetime.timedelta(days=3)
    assert check(administrator, professional, Action.PLAY)
    assert not administrator.has_video_access_grant(grant.ends_at)
    steps = AccessLogEntry.objects.filter(object_type="video_grant").order_by("pk")
    assert [(line.user_id, line.action_code, line.outcome["decision"]) for line in steps] == [
        (administrator.pk, "C", "granted"),
        (second_administrator.pk, "U", "granted"),
    ]
    assert steps[1].responsible_user_id == administrator.pk
    assert steps[0].outcome["grounds"] == "Klacht van ouder, dossier 12"


def test_nobody_approves_their_own_request(client_for, administrator):
    client_for(administrator).post(URL, {"reason": "Onderzoek", "days": "1"})
    grant = VideoGrant.objects.get()
    assert client_for(administrator).post(approve(grant)).status_code == 403
    grant.refresh_from_db()
    assert grant.is_pending and not administrator.has_video_access_grant()


def test_a_refusal_is_logged_and_opens_nothing(client_for, administrator, second_administrator):
    client_for(administrator).post(URL, {"reason": "Onderzoek", "days": "1"})
    grant = VideoGrant.objects.get()
    refuse = reverse("organisations:video_grant_refuse", args=[grant.pk])
    assert client_for(second_administrator).post(refuse).status_code == 302
    grant.refresh_from_db()
    assert grant.refused_at and not administrator.has_video_access_grant()
    assert (
        AccessLogEntry.objects.filter(object_type="video_grant").order_by("pk").last().outcome["decision"]
        == "refused"
    )
    # Decided once: a later approval changes nothing.
    client_for(second_administrator).post(approve(grant))
    assert not administrator.has_video_access_grant()


@pytest.mark.parametrize(("reason", "days"), [("", "1"), ("Onderzoek", "8"), ("Onderzoek", "0")])
def test_a_reason_and_at_most_7_days_are_required(client_for, administrator, reason, days):
    response = client_for(administrator).post(URL, {"reason": reason, "days": days})
    assert response.status_code == 200 and response.context["form"].errors
    assert not VideoGrant.objects.exists()


@pytest.mark.parametrize("persona", ["professional", "supervisor", "coordinator"])
def test_only_administrators_reach_the_page(request, client_for, persona):
    assert client_for(request.getfixturevalue(persona)).get(URL).status_code == 403


def test_the_admin_cannot_give_video_access(client_for, administrator):
    form = client_for(administrator).get(reverse("admin:organisations_user_change", args=[administrator.pk]))
    assert "video_access" not in form.content.decode()
    assert reverse("admin:index") + "organisations/videogrant/" not in form.content.decode()


def test_the_list_costs_constant_queries(
    client_for, administrator, second_administrator, django_assert_num_queries
):
    for _ in range(5):
        VideoGrant.objects.create(administrator=second_administrator, reason="x", days=1)
    client = client_for(administrator)
    client.get(URL)
    with django_assert_num_queries(7):
        response = client.get(URL)
    assert len(response.context["grants"]) == 5
