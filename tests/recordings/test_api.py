"""POST/GET /api/recordings/ and GET /api/recordings/{id}/."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AccessLogEntry
from families.models import Consent, GivenBy
from recordings.models import Recording
from tests.conftest import api_token_for

LIST = "/api/recordings/"


def api_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    return client


def payload(**changes: object) -> dict[str, object]:
    today = timezone.localdate()
    return {
        "family_code": "GEZIN-7",
        "given_by": "parents_and_child",
        "scope": "training_supervision",
        "given_on": today.isoformat(),
        "valid_until": (today + datetime.timedelta(days=200)).isoformat(),
        "kind": "home_visit",
        "purpose": "training",
    } | changes


def detail_url(recording) -> str:
    return f"/api/recordings/{recording.pk}/"


def test_create_returns_id_and_tus_upload_url(professional):
    response = api_for(professional).post(LIST, payload(), format="json")
    assert response.status_code == 201
    recording = Recording.objects.get()
    assert response.json()["id"] == str(recording.pk)
    assert response.json()["status"] == "awaiting_upload"
    assert (
        response.json()["upload_url"] == f"http://testserver{reverse('uploads:create', args=[recording.pk])}"
    )
    assert recording.family.consents.get().given_by == GivenBy.PARENTS_AND_CHILD
    assert recording.cycle is not None


def test_create_review_conversation_in_own_cycle(professional, recording):
    response = api_for(professional).post(
        LIST,
        payload(kind="review_conversation", cycle=recording.cycle_id, family_code=recording.family.code),
        format="json",
    )
    assert response.status_code == 201
    assert Recording.objects.get(pk=response.json()["id"]).cycle == recording.cycle


def test_another_professionals_cycle_is_unknown(professional, colleague, make_recording):
    theirs = make_recording(colleague)
    response = api_for(professional).post(
        LIST, payload(kind="review_conversation", cycle=theirs.cycle_id), format="json"
    )
    assert response.status_code == 400
    assert response.json()["cycle"] == ["Onbekende VIB-cyclus."]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"family_code": "Piet Jansen"}, "family_code", "pseudonieme code"),
        ({"family_code": "123456782"}, "family_code", "burgerservicenummer"),
        ({"valid_until": "2000-01-01"}, "valid_until", "al afgelopen"),
        ({"given_by": "neighbour"}, "given_by", "geldige keuze"),
        ({"given_on": "yesterday"}, "given_on", "verkeerde formaat"),
        ({"purpose": "practice"}, "purpose", "VIB-certificaat"),
        ({"kind": "review_conversation"}, "cycle", "VIB-cyclus"),
    ],
)
def test_invalid_input_gets_400_with_dutch_field_messages(professional, changes, field, message):
    response = api_for(professional).post(LIST, payload(**changes), format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert not Recording.objects.exists()
    assert not Consent.objects.exists()


def test_missing_fields_are_named(professional):
    response = api_for(professional).post(LIST, {}, format="json")
    assert response.status_code == 400
    assert {"family_code", "kind"} <= set(response.json())


@pytest.mark.parametrize("persona", ["supervisor", "coordinator", "administrator"])
def test_only_professionals_create(request, persona):
    response = api_for(request.getfixturevalue(persona)).post(LIST, payload(), format="json")
    assert response.status_code == 403
    assert "professionals" in response.json()["detail"]


def test_anonymous_is_refused(recording):
    assert api_for(None).post(LIST, payload(), format="json").status_code in (401, 403)
    assert api_for(None).get(LIST).status_code in (401, 403)
    assert api_for(None).get(detail_url(recording)).status_code in (401, 403)


def test_wrong_methods(professional, recording):
    assert api_for(professional).delete(LIST).status_code == 405
    assert api_for(professional).post(detail_url(recording), {}).status_code == 405


def test_list_is_scoped_to_what_the_user_may_see(professional, colleague, supervisor, make_recording):
    mine = make_recording(professional)
    make_recording(colleague)
    ids = [row["id"] for row in api_for(professional).get(LIST).json()["results"]]
    assert ids == [str(mine.pk)]
    assert [row["id"] for row in api_for(supervisor).get(LIST).json()["results"]] == [str(mine.pk)]
    assert api_for(colleague).get(LIST).json()["count"] == 1


@pytest.mark.parametrize("rows", [1, 25])
def test_list_query_count_is_constant(professional, make_recording, django_assert_num_queries, rows):
    for _ in range(rows):
        make_recording(professional)
    client = api_for(professional)
    # token with user, count, rows with consent joined.
    with django_assert_num_queries(3):
        response = client.get(LIST)
    assert response.json()["count"] == rows


def test_detail_returns_status_progress_renditions_and_playback_links(professional, stored_recording):
    data = api_for(professional).get(detail_url(stored_recording)).json()
    assert data["status"] == "ready"
    assert data["progress"] == 100
    assert data["rejection_reason"] == ""
    assert {r["kind"]: r["status"] for r in data["renditions"]} == {
        "high": "done",
        "low": "done",
        "poster": "done",
    }
    assert set(data["playback"]) == {"high", "low", "poster"}
    assert data["playback"]["high"].startswith("http://testserver/recordings/stream/")
    assert data["upload_url"] == ""
    assert AccessLogEntry.objects.count() == 1


def test_detail_of_a_film_awaiting_upload_has_its_upload_url_and_no_links(professional, recording):
    data = api_for(professional).get(detail_url(recording)).json()
    assert data["status"] == "awaiting_upload"
    assert data["playback"] == {}
    assert data["upload_url"].endswith(reverse("uploads:create", args=[recording.pk]))
    assert not AccessLogEntry.objects.exists()


def test_rejected_detail_has_the_reason(professional, make_recording):
    recording = make_recording(
        professional, status="rejected", rejection_reason="Dit is een foto, geen video."
    )
    assert (
        api_for(professional).get(detail_url(recording)).json()["rejection_reason"]
        == "Dit is een foto, geen video."
    )


def test_coordinator_sees_the_state_but_gets_no_links(coordinator, stored_recording):
    response = api_for(coordinator).get(detail_url(stored_recording))
    assert response.status_code == 200
    assert response.json()["playback"] == {}
    assert not AccessLogEntry.objects.exists()


def test_supervisor_gets_links_and_no_upload_url(supervisor, recording, stored_recording):
    data = api_for(supervisor).get(detail_url(stored_recording)).json()
    assert set(data["playback"]) == {"high", "low", "poster"}
    assert api_for(supervisor).get(detail_url(recording)).json()["upload_url"] == ""


@pytest.mark.parametrize(
    "persona", ["colleague", "professional_other_org", "supervisor_unassigned", "coordinator_other_org"]
)
def test_outsiders_get_404(request, stored_recording, persona):
    assert api_for(request.getfixturevalue(persona)).get(detail_url(stored_recording)).status_code == 404


def test_schema_documents_the_endpoints(client_for, professional):
    schema = client_for(professional).get("/api/schema/").content.decode()
    assert "/api/recordings/{id}/" in schema
    assert "upload_url" in schema
