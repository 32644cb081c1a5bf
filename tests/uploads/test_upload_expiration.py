"""tus expiration: an upload nobody continues expires, and the hourly task frees what it held."""

import datetime
from email.utils import parsedate_to_datetime

from django.utils import timezone

from tests.uploads.conftest import tus_headers
from uploads.models import Upload
from uploads.receivers import uploads_dir
from uploads.services import upload_create
from uploads.tasks import expire_uploads

TUS = {"Tus-Resumable": "1.0.0"}


def expire(upload: Upload) -> None:
    Upload.objects.filter(pk=upload.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))


def test_bytes_received_push_the_expiry_forward(client, recording, professional, settings):
    upload = upload_create(recording=recording, length=10, metadata={})
    Upload.objects.filter(pk=upload.pk).update(expires_at=timezone.now() + datetime.timedelta(minutes=5))

    response = client.generic(
        "PATCH",
        f"/uploads/{upload.pk}/",
        data=b"01234",
        content_type="application/offset+octet-stream",
        headers={**TUS, **tus_headers(professional), "Upload-Offset": "0"},
    )

    expires = parsedate_to_datetime(response["Upload-Expires"])
    expected = timezone.now() + datetime.timedelta(hours=settings.UPLOAD_EXPIRE_HOURS)
    assert abs((expires - expected).total_seconds()) < 5


def test_an_expired_upload_answers_410(client, recording, professional):
    upload = upload_create(recording=recording, length=10, metadata={})
    expire(upload)
    headers = {**TUS, **tus_headers(professional)}

    head = client.head(f"/uploads/{upload.pk}/", headers=headers)
    patch = client.generic(
        "PATCH",
        f"/uploads/{upload.pk}/",
        data=b"01234",
        content_type="application/offset+octet-stream",
        headers={**headers, "Upload-Offset": "0"},
    )

    assert head.status_code == 410 and patch.status_code == 410
    upload.refresh_from_db()
    assert upload.offset == 0


def test_the_task_removes_expired_uploads_and_their_files_only(recording):
    expired = upload_create(recording=recording, length=10, metadata={})
    fresh = upload_create(recording=recording, length=10, metadata={})
    expire(expired)

    removed = expire_uploads.apply().get()

    assert removed == 1
    assert list(Upload.objects.all()) == [fresh]
    assert sorted(path.name for path in uploads_dir().iterdir()) == [str(fresh.pk)]
    assert expire_uploads.apply().get() == 0


def test_the_task_aborts_expired_s3_multipart_uploads(recording, s3_storage):
    upload = upload_create(recording=recording, length=10, metadata={})
    assert upload.s3_upload_id
    expire(upload)

    expire_uploads.apply()

    pending = s3_storage.client.list_multipart_uploads(Bucket=s3_storage.bucket)
    assert pending.get("Uploads", []) == []
    assert not Upload.objects.exists()


def test_the_beat_schedule_runs_the_task(settings):
    entries = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]

    assert "uploads.tasks.expire_uploads" in entries
