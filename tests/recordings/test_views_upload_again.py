"""A rejected film is no dead end: upload again on the same recording, consent and cycle kept."""

from django.urls import reverse

from recordings.models import Recording, Rendition, VibCycle
from tests.recordings.conftest import create_recording


def _rejected(professional) -> Recording:  # type: ignore[no-untyped-def]
    cycle = VibCycle.objects.create(professional=professional)
    recording = create_recording(
        professional,
        cycle=cycle,
        status=Recording.Status.REJECTED,
        rejection_reason="De film duurt 95 minuten; er mag ten hoogste 60 minuten worden geüpload.",
        duration_ms=95 * 60_000,
    )
    Rendition.objects.create(recording=recording, kind=Rendition.Kind.HIGH, status=Rendition.Status.FAILED)
    return recording


def test_the_rejected_film_page_offers_to_upload_again(client_for, professional):
    recording = _rejected(professional)
    page = client_for(professional).get(reverse("recordings:detail", args=[recording.pk])).content.decode()
    assert "Film opnieuw uploaden" in page
    assert reverse("recordings:upload_again", args=[recording.pk]) in page


def test_uploading_again_keeps_consent_and_cycle_and_adds_no_row(client_for, professional):
    recording = _rejected(professional)
    client = client_for(professional)

    response = client.post(reverse("recordings:upload_again", args=[recording.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("uploads:page", args=[recording.pk])
    again = Recording.objects.get()  # still one row
    assert (again.pk, again.family_id, again.cycle_id) == (
        recording.pk,
        recording.family_id,
        recording.cycle_id,
    )
    assert again.status == Recording.Status.AWAITING_UPLOAD
    assert again.duration_ms is None and not again.renditions.exists()
    upload_page = client.get(response["Location"])
    assert upload_page.status_code == 200
    detail = client.get(reverse("recordings:detail", args=[recording.pk])).content.decode()
    assert "Eerdere poging" in detail and "95 minuten" in detail


def test_a_film_that_was_not_rejected_is_left_alone(client_for, professional):
    recording = create_recording(professional, status=Recording.Status.READY)

    response = client_for(professional).post(
        reverse("recordings:upload_again", args=[recording.pk]), follow=True
    )

    assert "Alleen een film die niet gebruikt kon worden" in response.content.decode()
    recording.refresh_from_db()
    assert recording.status == Recording.Status.READY


def test_only_the_owner_may_upload_again(client_for, professional, colleague, supervisor):
    recording = _rejected(professional)
    url = reverse("recordings:upload_again", args=[recording.pk])
    assert client_for(colleague).post(url).status_code == 404
    assert client_for(supervisor).post(url).status_code == 403
    assert client_for(professional).get(url).status_code == 405
    recording.refresh_from_db()
    assert recording.status == Recording.Status.REJECTED
