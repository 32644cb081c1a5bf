"""Withdrawing a family's consent erases every recording of the family (home visit and nabespreking)."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from audit.models import AccessLogEntry
from families.models import ConsentPurpose
from recordings.models import Recording, Rendition
from tests.recordings.conftest import add_files, create_recording, make_family


def url(family) -> str:
    return reverse("families:withdraw", args=[family.pk])


def test_confirmation_page_names_the_family_code_and_count(client_for, professional, stored_recording):
    response = client_for(professional).get(url(stored_recording.family))
    content = response.content.decode()
    assert response.status_code == 200
    assert stored_recording.family.code in content
    assert "Opnames van dit gezin: 1" in content
    assert Recording.objects.get().status == "ready"


def test_withdrawing_erases_the_home_visit_and_the_nabespreking(client_for, professional, stored_recording):
    # The nabespreking has no consent of its own: it belongs to the family of its cycle.
    conversation = add_files(
        create_recording(
            professional,
            family=stored_recording.family,
            cycle=stored_recording.cycle,
            kind="review_conversation",
        )
    )
    keys = [
        stored_recording.original_key,
        conversation.original_key,
        *Rendition.objects.values_list("key", flat=True),
    ]

    response = client_for(professional).post(url(stored_recording.family))

    assert response.status_code == 302
    assert not any(default_storage.exists(key) for key in keys)
    for recording in Recording.objects.all():
        assert recording.status == Recording.Status.DELETED
        assert recording.deleted_by == professional
        assert recording.deletion_reason == "consent_withdrawn"
        assert recording.original_key == ""
    assert not Rendition.objects.exists()
    assert not stored_recording.family.consents.filter(withdrawn_at__isnull=True).exists()
    assert sorted(AccessLogEntry.objects.values_list("action_code", flat=True)) == ["D", "D", "U"]


def test_the_coordinator_withdraws_on_the_familys_behalf(client_for, coordinator, stored_recording):
    response = client_for(coordinator).post(url(stored_recording.family))
    assert response.status_code == 302
    stored_recording.refresh_from_db()
    assert stored_recording.deleted_by == coordinator
    assert default_storage.listdir(f"recordings/{stored_recording.storage_prefix}") == ([], [])


def test_withdrawing_teaching_only_keeps_the_films(client_for, professional):
    family = make_family(professional, purposes=(ConsentPurpose.VIB_SUPERVISION, ConsentPurpose.TEACHING))
    recording = add_files(create_recording(professional, family=family))

    client_for(professional).post(url(family), {"purposes": ["teaching"]})

    recording.refresh_from_db()
    assert recording.status == Recording.Status.READY
    assert family.consent_state("teaching", recording.created_at.date()) == "withdrawn"
    assert family.consent_state("vib_supervision", recording.created_at.date()) == "valid"


def test_the_family_page_says_the_withdrawn_consent_is_ingetrokken(client_for, professional):
    # "Withdrawn" is also an enrolment's status ("Gestopt"); the consent's word must not be taken over.
    family = make_family(professional, purposes=(ConsentPurpose.VIB_SUPERVISION, ConsentPurpose.TEACHING))
    client = client_for(professional)
    client.post(url(family), {"purposes": ["teaching"]})

    page = client.get(reverse("families:detail", args=[family.pk])).content.decode()

    assert "Ingetrokken" in page
    assert "Gestopt" not in page


def test_tombstone_page_shows_when_and_why(client_for, professional, stored_recording):
    client = client_for(professional)
    client.post(url(stored_recording.family))
    content = client.get(reverse("recordings:detail", args=[stored_recording.pk])).content.decode()
    assert "Toestemming is ingetrokken" in content
    assert "<video" not in content


def test_other_families_recordings_are_kept(client_for, professional, stored_recording):
    other = add_files(create_recording(professional, family=make_family(professional, "FAM-OTHER")))
    client_for(professional).post(url(stored_recording.family))
    other.refresh_from_db()
    assert other.status == Recording.Status.READY
    assert default_storage.exists(other.original_key)


def test_the_same_code_in_another_organisation_is_untouched(
    client_for, professional, professional_other_org, stored_recording
):
    theirs = add_files(
        create_recording(
            professional_other_org, family=make_family(professional_other_org, stored_recording.family.code)
        )
    )
    client_for(professional).post(url(stored_recording.family))
    theirs.refresh_from_db()
    assert theirs.status == Recording.Status.READY
    assert theirs.family.consent_state("vib_supervision", theirs.created_at.date()) == "valid"


@pytest.mark.parametrize("persona", ["supervisor", "administrator"])
def test_supervisor_and_administrator_may_not_withdraw(request, client_for, stored_recording, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(url(stored_recording.family)).status_code == 403
    assert Recording.objects.get().status == "ready"


@pytest.mark.parametrize(
    "persona", ["colleague", "professional_other_org", "supervisor_unassigned", "coordinator_other_org"]
)
def test_outsiders_get_404(request, client_for, stored_recording, persona):
    assert client_for(request.getfixturevalue(persona)).post(url(stored_recording.family)).status_code == 404
    assert Recording.objects.get().status == "ready"


def test_anonymous_wrong_method_and_unknown_purpose(client_for, professional, stored_recording):
    assert client_for(None).post(url(stored_recording.family)).status_code == 302
    assert client_for(professional).put(url(stored_recording.family)).status_code == 405
    response = client_for(professional).post(url(stored_recording.family), {"purposes": ["marketing"]})
    assert response.status_code == 200
    assert response.context["form"].errors["purposes"]
    assert Recording.objects.get().status == "ready"
