"""Retention against the S3 server: afterwards the bucket holds nothing of the deleted recordings."""

import datetime
import io

import pytest
from django.urls import reverse

from annotations.making import review_media_make
from annotations.models import Annotation, ReviewMedia
from families.erasure import recordings_enforce_retention
from families.services import consent_withdraw
from recordings.models import Recording
from tests.recordings.conftest import add_files, create_recording, make_family, store_bytes
from tests.s3_server import s3_server, s3_storage  # noqa: F401
from uploads.models import Upload
from uploads.services import upload_create, upload_receive

pytestmark = pytest.mark.slow
TODAY = datetime.date(2026, 6, 1)


def test_bucket_is_empty_of_deleted_recordings_afterwards(s3_storage, professional):  # noqa: F811
    ended = make_family(
        professional, "FAM-ENDED", given_on=datetime.date(2026, 1, 1), valid_until=datetime.date(2026, 5, 31)
    )
    current = make_family(
        professional,
        "FAM-CURRENT",
        given_on=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2026, 12, 31),
    )
    gone = add_files(create_recording(professional, family=ended))
    store_bytes(gone, "jpg", b"a still or sprite")
    kept = add_files(create_recording(professional, family=current))
    kept_keys = s3_storage.keys(f"recordings/{kept.storage_prefix}/")
    assert len(s3_storage.keys(f"recordings/{gone.storage_prefix}/")) == 5

    assert recordings_enforce_retention(TODAY) == 1

    assert s3_storage.keys(f"recordings/{gone.storage_prefix}/") == []
    assert s3_storage.keys() == kept_keys
    gone.refresh_from_db()
    assert gone.status == Recording.Status.DELETED


def test_withdrawal_mid_upload_aborts_the_multipart_upload(s3_storage, professional):  # noqa: F811
    recording = create_recording(professional)
    first_part = b"x" * (6 * 1024 * 1024)
    upload = upload_create(recording=recording, length=len(first_part) * 2, metadata={"filename": "a.mp4"})
    upload_receive(upload=upload, offset=0, stream=io.BytesIO(first_part), content_length=len(first_part))
    assert s3_storage.client.list_multipart_uploads(Bucket=s3_storage.bucket).get("Uploads")

    consent_withdraw(family=recording.family, purposes=None, actor=professional)

    assert not s3_storage.client.list_multipart_uploads(Bucket=s3_storage.bucket).get("Uploads")
    assert s3_storage.keys() == []
    assert not Upload.objects.exists()


def test_withdrawal_leaves_nothing_of_the_family_in_the_bucket(
    s3_storage,  # noqa: F811
    client_for,
    coordinator,
    professional,
    category,
    django_capture_on_commit_callbacks,
):
    home_visit = add_files(create_recording(professional))
    nabespreking = add_files(
        create_recording(
            professional, family=home_visit.family, cycle=home_visit.cycle, kind="review_conversation"
        )
    )
    still_key = store_bytes(home_visit, "jpg", b"\xff\xd8\xff a still")
    ReviewMedia.objects.create(
        recording=home_visit, created_by=professional, kind="still", start_ms=0, key=still_key, status="done"
    )
    # Ordered before the withdrawal, made after it: the worker must leave nothing behind.
    late_clip = ReviewMedia.objects.create(
        recording=nabespreking, created_by=professional, kind="clip", start_ms=0, end_ms=500
    )
    Annotation.objects.create(
        recording=home_visit,
        author=professional,
        start_ms=0,
        category=category,
        text="Kijkt aan",
        kind="analysis",
    )
    other = add_files(create_recording(professional, family=make_family(professional, "FAM-OTHER")))
    kept = set(s3_storage.keys(f"recordings/{other.storage_prefix}/"))
    # original, high, low, poster per film; the still
    assert len(s3_storage.keys()) == 4 + 4 + 1 + 4

    response = client_for(coordinator).post(reverse("families:withdraw", args=[home_visit.family.pk]))
    review_media_make(media_id=late_clip.pk)

    assert response.status_code == 302
    assert set(s3_storage.keys()) == kept
    assert not ReviewMedia.objects.exists()
    assert not Annotation.objects.exists()
