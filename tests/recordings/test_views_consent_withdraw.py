"""Withdrawing consent deletes every recording made under it, leaving tombstones."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from audit.models import AccessLogEntry
from recordings.models import Recording, Rendition
from tests.recordings.conftest import add_files, create_recording


def url(consent) -> str:
    return reverse("recordings:consent_withdraw", args=[consent.pk])


def test_confirmation_page_names_the_family_code_and_count(client_for, professional, stored_recording):
    response = client_for(professional).get(url(stored_recording.consent))
    content = response.content.decode()
    assert response.status_code == 200
    assert stored_recording.consent.family_code in content
    assert "Opnames gemaakt onder deze toestemming: 1" in content
    assert Recording.objects.get().status == "ready"


def test_withdrawing_deletes_every_object_and_leaves_a_tombstone(client_for, professional, stored_recording):
    conversation = add_files(
        create_recording(professional, consent=stored_recording.consent, kind="review_conversation")
    )
    keys = [
        stored_recording.original_key,
        conversation.original_key,
        *Rendition.objects.values_list("key", flat=True),
    ]
    response = client_for(professional).post(url(stored_recording.consent))
    assert response.status_code == 302
    assert not any(default_storage.exists(key) for key in keys)
    for recording in Recording.objects.all():
        assert recording.status == Recording.Status.DELETED
        assert recording.deleted_by == professional
        assert recording.deletion_reason == "consent_withdrawn"
        assert recording.deleted_at is not None
        assert recording.original_key == ""
    assert not Rendition.objects.exists()
    stored_recording.consent.refresh_from_db()
    assert stored_recording.consent.withdrawn_at is not None
    assert list(AccessLogEntry.objects.values_list("action_code", flat=True)) == ["D", "D"]


def test_tombstone_page_shows_when_and_why(client_for, professional, stored_recording):
    client = client_for(professional)
    client.post(url(stored_recording.consent))
    content = client.get(reverse("recordings:detail", args=[stored_recording.pk])).content.decode()
    assert "Toestemming is ingetrokken" in content
    assert "<video" not in content


def test_other_consents_recordings_are_kept(client_for, professional, stored_recording):
    other = add_files(create_recording(professional))
    client_for(professional).post(url(stored_recording.consent))
    other.refresh_from_db()
    assert other.status == Recording.Status.READY
    assert default_storage.exists(other.original_key)


@pytest.mark.parametrize("persona", ["supervisor", "coordinator"])
def test_supervisor_and_coordinator_may_not_withdraw(request, client_for, stored_recording, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(url(stored_recording.consent)).status_code == 403
    assert Recording.objects.get().status == "ready"


@pytest.mark.parametrize("persona", ["colleague", "professional_other_org", "supervisor_unassigned"])
def test_outsiders_get_404(request, client_for, stored_recording, persona):
    assert client_for(request.getfixturevalue(persona)).post(url(stored_recording.consent)).status_code == 404
    assert Recording.objects.get().status == "ready"


def test_anonymous_and_wrong_method(client_for, professional, stored_recording):
    assert client_for(None).post(url(stored_recording.consent)).status_code == 302
    assert client_for(professional).put(url(stored_recording.consent)).status_code == 405
    assert Recording.objects.get().status == "ready"
