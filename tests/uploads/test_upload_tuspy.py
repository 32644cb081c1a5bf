"""Whole uploads over real HTTP, with tuspy (a standard tus client) against the live server."""

import io

import pytest
from django.core.files.storage import default_storage
from tusclient.exceptions import TusCommunicationError

from recordings.models import Recording
from uploads.models import Upload

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("pipeline_queued"),
]


def stored_bytes(key: str) -> bytes:
    with default_storage.open(key) as stored:
        return stored.read()


def test_a_full_upload_stores_the_original_and_hands_it_to_processing(
    tus_client_for, professional, recording, payload
):
    uploader = tus_client_for(professional, recording).uploader(
        file_stream=io.BytesIO(payload), chunk_size=64 * 1024, metadata={"filename": "Gezin Jansen.mp4"}
    )

    uploader.upload()

    recording.refresh_from_db()
    assert recording.status == Recording.Status.PROCESSING
    assert recording.original_size == len(payload)
    assert recording.original_key.startswith(f"recordings/{recording.storage_prefix}/")
    assert recording.original_key.endswith(".mp4") and "Jansen" not in recording.original_key
    assert stored_bytes(recording.original_key) == payload
    assert Upload.objects.get().completed_at is not None


def test_an_interrupted_upload_resumes_from_the_offset_the_server_reports(
    tus_client_for, professional, recording, payload, settings
):
    first = tus_client_for(professional, recording).uploader(
        file_stream=io.BytesIO(payload), chunk_size=50_000
    )
    first.upload(stop_at=150_000)
    upload = Upload.objects.get()
    assert upload.offset == 150_000
    assert (settings.DATA_DIR / "uploads" / str(upload.pk)).stat().st_size == 150_000

    # A new client (after a reload, on another connection) asks the server where to continue.
    second = tus_client_for(professional, recording).uploader(
        file_stream=io.BytesIO(payload), chunk_size=50_000, url=first.url
    )
    assert second.offset == 150_000
    second.upload()

    recording.refresh_from_db()
    assert stored_bytes(recording.original_key) == payload
    assert not (settings.DATA_DIR / "uploads" / str(upload.pk)).exists()


def test_termination_discards_the_bytes_and_the_recording_still_awaits_its_film(
    tus_client_for, professional, recording, payload, settings
):
    import requests

    uploader = tus_client_for(professional, recording).uploader(
        file_stream=io.BytesIO(payload), chunk_size=100_000
    )
    uploader.upload(stop_at=100_000)
    upload = Upload.objects.get()

    response = requests.delete(uploader.url, headers=uploader.get_headers(), timeout=10)

    assert response.status_code == 204
    assert not Upload.objects.exists()
    assert not (settings.DATA_DIR / "uploads" / str(upload.pk)).exists()
    recording.refresh_from_db()
    assert recording.status == Recording.Status.AWAITING_UPLOAD
    with pytest.raises(TusCommunicationError):
        uploader.get_offset()


def test_an_upload_over_the_limit_is_refused_before_any_byte_is_sent(
    tus_client_for, professional, recording, payload, settings
):
    settings.UPLOAD_MAX_BYTES = len(payload) - 1
    uploader = tus_client_for(professional, recording).uploader(
        file_stream=io.BytesIO(payload), chunk_size=65536
    )

    with pytest.raises(TusCommunicationError) as refused:
        uploader.upload()

    assert refused.value.status_code == 413
    assert uploader.offset == 0
    assert not Upload.objects.exists()
    assert not any((settings.DATA_DIR / "uploads").glob("*"))
