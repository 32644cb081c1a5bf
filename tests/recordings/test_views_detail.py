"""The recording page: status, per-rendition state, polling endpoint, player for whoever may play."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry
from recordings.models import Recording, Rendition


def detail(recording):
    return reverse("recordings:detail", args=[recording.pk])


def status_url(recording):
    return reverse("recordings:status", args=[recording.pk])


def test_owner_sees_the_player_with_both_renditions(client_for, professional, stored_recording):
    response = client_for(professional).get(detail(stored_recording))
    content = response.content.decode()
    assert response.status_code == 200
    assert set(response.context["links"]) == {"high", "low", "poster"}
    assert "<video" in content
    assert "recordings/detail.js" in content
    assert AccessLogEntry.objects.count() == 1


def test_awaiting_upload_links_to_the_upload_page(client_for, professional, recording):
    content = client_for(professional).get(detail(recording)).content.decode()
    assert reverse("uploads:page", args=[recording.pk]) in content
    assert "<video" not in content
    assert not AccessLogEntry.objects.exists()


def test_supervisor_sees_the_player_but_no_upload_or_withdraw_links(client_for, supervisor, stored_recording):
    response = client_for(supervisor).get(detail(stored_recording))
    content = response.content.decode()
    assert "<video" in content
    assert reverse("families:withdraw", args=[stored_recording.family_id]) not in content
    assert AccessLogEntry.objects.get().role == "supervisor"


def test_coordinator_sees_status_but_never_the_film(client_for, coordinator, stored_recording):
    response = client_for(coordinator).get(detail(stored_recording))
    assert response.status_code == 200
    assert response.context["links"] == {}
    assert "<video" not in response.content.decode()
    assert not AccessLogEntry.objects.exists()


def test_rejected_recording_shows_the_reason(client_for, professional, make_recording):
    recording = make_recording(
        professional, status=Recording.Status.REJECTED, rejection_reason="Geen videobeeld."
    )
    assert "Geen videobeeld." in client_for(professional).get(detail(recording)).content.decode()


def test_no_player_once_consent_has_ended(client_for, professional, stored_recording):
    stored_recording.family.consents.update(
        given_on=timezone.localdate() - datetime.timedelta(days=30),
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    response = client_for(professional).get(detail(stored_recording))
    assert response.context["links"] == {}
    assert AccessLogEntry.objects.get().outcome["consent"] == "ended"


@pytest.mark.parametrize(
    "persona", ["colleague", "professional_other_org", "supervisor_unassigned", "coordinator_other_org"]
)
def test_outsiders_get_404(request, client_for, recording, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(detail(recording)).status_code == 404
    assert client.get(status_url(recording)).status_code == 404


def test_anonymous_is_sent_to_login(client_for, recording):
    assert client_for(None).get(detail(recording)).status_code == 302
    assert client_for(None).get(status_url(recording)).status_code == 302


def test_wrong_method(client_for, professional, recording):
    assert client_for(professional).post(detail(recording)).status_code == 405
    assert client_for(professional).post(status_url(recording)).status_code == 405


def test_status_endpoint_reports_progress_and_renditions_without_logging(
    client_for, professional, make_recording
):
    recording = make_recording(professional, status=Recording.Status.PROCESSING, progress=37)
    Rendition.objects.create(recording=recording, kind="high", status="done", key="x")
    Rendition.objects.create(recording=recording, kind="low", status="pending")
    data = client_for(professional).get(status_url(recording)).json()
    assert data["status"] == "processing"
    assert data["progress"] == 37
    assert {r["kind"]: r["status"] for r in data["renditions"]} == {"high": "done", "low": "pending"}
    assert not AccessLogEntry.objects.exists()


def test_unknown_recording_is_404(client_for, professional):
    import uuid

    assert client_for(professional).get(reverse("recordings:detail", args=[uuid.uuid4()])).status_code == 404


def test_playable_with_only_the_high_rendition_done_shows_the_player(
    client_for, professional, stored_recording
):
    stored_recording.renditions.filter(kind="low").delete()
    stored_recording.status = Recording.Status.PLAYABLE
    stored_recording.save()
    response = client_for(professional).get(detail(stored_recording))
    assert response.status_code == 200
    assert set(response.context["links"]) == {"high", "poster"}
    assert "<video" in response.content.decode()
