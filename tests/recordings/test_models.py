"""Model rules of one row, and the upload hand-over service."""

from django.core.files.storage import default_storage

from recordings.models import Recording
from recordings.services import recording_attach_original, recording_files_delete
from tests.recordings.conftest import store_bytes


def test_is_playable_only_when_playable_or_ready(recording):
    for status, playable in [
        ("awaiting_upload", False),
        ("processing", False),
        ("playable", True),
        ("ready", True),
        ("rejected", False),
        ("deleted", False),
    ]:
        recording.status = status
        assert recording.is_playable is playable


def test_storage_prefix_is_random_and_impersonal(make_recording, professional):
    first, second = make_recording(professional), make_recording(professional)
    assert len(first.storage_prefix) == 32
    assert first.storage_prefix != second.storage_prefix
    assert first.family.code not in first.storage_prefix


def test_attaching_the_original_starts_processing_after_commit(recording, django_capture_on_commit_callbacks):
    key = store_bytes(recording, "mp4", b"this is not a video at all")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        recording_attach_original(recording=recording, key=key, size=26)
    recording.refresh_from_db()
    assert recording.status == Recording.Status.PROCESSING
    assert (recording.original_key, recording.original_size) == (key, 26)
    assert len(callbacks) == 1
    # The enqueued task is the real pipeline (eager in tests): garbage bytes end up rejected in Dutch.
    callbacks[0]()
    recording.refresh_from_db()
    assert recording.status == Recording.Status.REJECTED
    assert "video" in recording.rejection_reason


def test_an_upload_finishing_after_deletion_leaves_no_bytes(
    professional, recording, django_capture_on_commit_callbacks
):
    recording_files_delete(recording=recording, reason="consent_withdrawn", actor=professional)
    key = store_bytes(recording, "mp4", b"the film arrived just too late")
    with django_capture_on_commit_callbacks(execute=True):
        recording_attach_original(recording=recording, key=key, size=30)
    recording.refresh_from_db()
    assert recording.status == Recording.Status.DELETED
    assert recording.original_key == ""
    assert not default_storage.exists(key)
