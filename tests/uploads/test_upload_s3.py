"""Uploads into S3 (moto's server over HTTP): chunks go into a multipart upload, never whole to disk."""

import io
import os

import pytest

from recordings.models import Recording
from uploads.models import Upload
from uploads.receivers import MIB, uploads_dir

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("pipeline_queued"),
]


def bytes_on_disk() -> int:
    return sum(path.stat().st_size for path in uploads_dir().iterdir())


def test_a_film_goes_into_an_encrypted_multipart_object_without_being_staged_on_disk(
    tus_client_for, professional, recording, s3_storage
):
    payload = os.urandom(19 * MIB)
    uploader = tus_client_for(professional, recording).uploader(
        file_stream=io.BytesIO(payload), chunk_size=3 * MIB, metadata={"filename": "thuis.MOV"}
    )

    largest = 0
    uploader.set_url(uploader.create_url())
    while uploader.offset < len(payload):
        uploader.upload_chunk()
        largest = max(largest, bytes_on_disk())
        if uploader.offset == 9 * MIB:
            upload = Upload.objects.get()
            parts = s3_storage.client.list_parts(
                Bucket=s3_storage.bucket, Key=upload.storage_key, UploadId=upload.s3_upload_id
            )
            assert [part["Size"] for part in parts["Parts"]] == [8 * MIB]

    # Less than one 8 MiB part waits on disk at any moment: never the whole film.
    assert 0 < largest < 8 * MIB
    assert bytes_on_disk() == 0
    recording.refresh_from_db()
    assert recording.status == Recording.Status.PROCESSING
    assert recording.original_size == len(payload)
    assert recording.original_key.endswith(".mov")
    stored = s3_storage.client.get_object(Bucket=s3_storage.bucket, Key=recording.original_key)
    assert stored["Body"].read() == payload
    assert stored["ServerSideEncryption"] == "AES256"
    assert stored["ETag"].strip('"').endswith("-3")  # 8 + 8 + 3 MiB: a multipart object
    assert s3_storage.client.list_multipart_uploads(Bucket=s3_storage.bucket).get("Uploads", []) == []


def test_an_s3_upload_resumes_after_an_interruption(tus_client_for, professional, recording, s3_storage):
    payload = os.urandom(10 * MIB)
    first = tus_client_for(professional, recording).uploader(
        file_stream=io.BytesIO(payload), chunk_size=3 * MIB
    )
    first.upload(stop_at=6 * MIB)

    second = tus_client_for(professional, recording).uploader(
        file_stream=io.BytesIO(payload), chunk_size=3 * MIB, url=first.url
    )
    assert second.offset == 6 * MIB
    second.upload()

    recording.refresh_from_db()
    stored = s3_storage.client.get_object(Bucket=s3_storage.bucket, Key=recording.original_key)
    assert stored["Body"].read() == payload


def test_terminating_an_s3_upload_aborts_the_multipart_upload(
    tus_client_for, professional, recording, s3_storage
):
    import requests

    uploader = tus_client_for(professional, recording).uploader(
        file_stream=io.BytesIO(os.urandom(10 * MIB)), chunk_size=9 * MIB
    )
    uploader.upload(stop_at=9 * MIB)

    response = requests.delete(uploader.url, headers=uploader.get_headers(), timeout=10)

    assert response.status_code == 204
    assert s3_storage.client.list_multipart_uploads(Bucket=s3_storage.bucket).get("Uploads", []) == []
    assert s3_storage.keys() == []
    assert bytes_on_disk() == 0
