"""The daily retention run: consent ended or withdrawn, or the organisation's retention period passed."""

import datetime

from django.core.files.storage import default_storage
from django.utils import timezone

from certification.models import Certificate
from certification.services import certification_grant
from families.erasure import recording_erase, recordings_enforce_retention
from families.models import DestructionRecord, RetentionPolicy
from recordings.models import Recording
from tests.recordings.conftest import add_files, create_recording, make_family, store_bytes

TODAY = datetime.date(2026, 6, 1)


def ended_family(professional, code="FAM-ENDED"):
    return make_family(
        professional,
        code,
        given_on=TODAY - datetime.timedelta(days=100),
        valid_until=TODAY - datetime.timedelta(days=1),
    )


def current_family(professional, code="FAM-CURRENT"):
    return make_family(professional, code, given_on=TODAY - datetime.timedelta(days=10), valid_until=TODAY)


def test_recording_whose_consent_ended_is_deleted(professional):
    ended = add_files(create_recording(professional, family=ended_family(professional)))
    kept = add_files(create_recording(professional, family=current_family(professional)))
    assert recordings_enforce_retention(TODAY) == 1
    ended.refresh_from_db()
    kept.refresh_from_db()
    assert ended.status == Recording.Status.DELETED
    assert ended.deletion_reason == "consent_ended"
    assert ended.deleted_by is None
    assert kept.status == Recording.Status.READY
    assert default_storage.exists(kept.original_key)


def test_withdrawn_consent_is_deleted_even_before_its_end_date(professional):
    family = current_family(professional)
    family.consents.update(withdrawn_at=timezone.now())
    recording = add_files(create_recording(professional, family=family))
    assert recordings_enforce_retention(TODAY) == 1
    recording.refresh_from_db()
    assert recording.deletion_reason == "consent_withdrawn"


def test_retention_period_of_the_organisation(professional, organisation):
    organisation.recording_retention_days = 30
    organisation.save()
    old = create_recording(
        professional,
        family=current_family(professional),
        created_at=timezone.make_aware(datetime.datetime(2026, 4, 30, 23, 0)),
    )
    young = create_recording(
        professional,
        family=current_family(professional),
        created_at=timezone.make_aware(datetime.datetime(2026, 5, 2, 0, 30)),
    )
    assert recordings_enforce_retention(TODAY) == 1
    old.refresh_from_db()
    young.refresh_from_db()
    assert old.deletion_reason == "retention_period_passed"
    assert young.status == Recording.Status.AWAITING_UPLOAD


def test_running_twice_deletes_nothing_more(professional):
    add_files(create_recording(professional, family=ended_family(professional)))
    assert recordings_enforce_retention(TODAY) == 1
    assert recordings_enforce_retention(TODAY) == 0


def test_stray_objects_under_the_recordings_folder_are_deleted_too(professional):
    recording = create_recording(professional, family=ended_family(professional))
    stray = store_bytes(recording, "part", b"left over by an interrupted transcode")
    recordings_enforce_retention(TODAY)
    assert not default_storage.exists(stray)


def test_deleting_a_tombstone_again_sweeps_late_objects_but_keeps_who_and_why(professional):
    recording = add_files(create_recording(professional, family=current_family(professional)))
    recording_erase(recording=recording, reason="consent_withdrawn", actor=professional)
    late = store_bytes(recording, "mp4", b"a transcode that finished after the deletion")
    recording_erase(recording=recording, reason="consent_ended")
    recording.refresh_from_db()
    assert not default_storage.exists(late)
    assert recording.deleted_by == professional
    assert recording.deletion_reason == "consent_withdrawn"


def test_training_films_go_a_set_time_after_the_certificate(
    professional, colleague, administrator, organisation
):
    RetentionPolicy.objects.create(organisation=organisation, training_films_days_after_certificate=30)
    certificate = certification_grant(
        professional=professional, course_code="vib", signed_off_by=administrator, motivation="ok"
    )
    Certificate.objects.filter(pk=certificate.pk).update(certified_on=TODAY - datetime.timedelta(days=31))
    training = add_files(create_recording(professional, family=current_family(professional)))
    practice = add_files(
        create_recording(professional, family=current_family(professional, "FAM-P"), purpose="practice")
    )
    uncertified = add_files(create_recording(colleague, family=current_family(colleague, "FAM-C")))

    assert recordings_enforce_retention(TODAY) == 1

    for recording in (training, practice, uncertified):
        recording.refresh_from_db()
    assert training.deletion_reason == "certified"
    assert practice.status == uncertified.status == Recording.Status.READY


def test_a_destruction_record_keeps_only_ids_hashes_and_dates(professional):
    recording = add_files(create_recording(professional, family=ended_family(professional)))
    recordings_enforce_retention(TODAY)
    recordings_enforce_retention(TODAY)  # a second sweep writes no second record

    record = DestructionRecord.objects.get()
    assert record.recording_id == recording.pk
    assert (record.family_id, record.organisation_id) == (recording.family_id, professional.organisation_id)
    assert (record.reason, record.object_count, len(record.objects_sha256)) == ("consent_ended", 4, 64)
    assert record.recorded_on == timezone.localdate(recording.created_at)
    personal = {recording.family.code, recording.original_key, recording.storage_prefix}
    assert not any(
        value in str(getattr(record, f.attname)) for f in record._meta.fields for value in personal
    )
