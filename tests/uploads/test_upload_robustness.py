"""Real-world trouble: a phone losing its connection mid-chunk, two tabs at once, a killed web process."""

import socket
import time
from urllib.parse import urlsplit

import pytest
from django.core.files.storage import default_storage

from tests.uploads.conftest import tus_headers
from uploads.models import Upload
from uploads.receivers import uploads_dir
from uploads.services import upload_create

TUS = {"Tus-Resumable": "1.0.0"}


def patch(client, upload: Upload, user, offset: int, data: bytes):  # type: ignore[no-untyped-def]
    return client.generic(
        "PATCH",
        f"/uploads/{upload.pk}/",
        data=data,
        content_type="application/offset+octet-stream",
        headers={**TUS, **tus_headers(user), "Upload-Offset": str(offset)},
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_bytes_that_arrived_before_the_connection_dropped_are_kept(live_server, professional, recording):
    upload = upload_create(recording=recording, length=100_000, metadata={})
    address = urlsplit(live_server.url)
    request = (
        f"PATCH /uploads/{upload.pk}/ HTTP/1.1\r\nHost: {address.netloc}\r\nTus-Resumable: 1.0.0\r\n"
        f"Authorization: {tus_headers(professional)['Authorization']}\r\n"
        "Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\nContent-Length: 100000\r\n\r\n"
    )
    with socket.create_connection((address.hostname, address.port)) as connection:
        connection.sendall(request.encode() + b"x" * 40_000)
        time.sleep(0.5)  # the phone walks into a lift

    for _ in range(50):
        upload.refresh_from_db()
        if upload.locked_until is None and upload.offset:
            break
        time.sleep(0.1)
    assert upload.offset == 40_000
    assert (uploads_dir() / str(upload.pk)).stat().st_size == 40_000


def test_a_second_request_while_one_is_sending_gets_423(client, professional, recording):
    upload = upload_create(recording=recording, length=10, metadata={})
    # Another tab (or a request the client already gave up on) holds the upload right now.
    assert Upload.objects.claim(
        upload_id=upload.pk, offset=0, now=upload.created_at, lease=upload.expires_at - upload.created_at
    )

    response = patch(client, upload, professional, 0, b"01234")

    assert response.status_code == 423
    upload.refresh_from_db()
    assert upload.offset == 0


def test_bytes_a_killed_process_wrote_beyond_the_recorded_offset_are_cut_off(client, professional, recording):
    upload = upload_create(recording=recording, length=10, metadata={})
    patch(client, upload, professional, 0, b"01234")
    # The process died after writing three more bytes but before recording them.
    with (uploads_dir() / str(upload.pk)).open("ab") as spool:
        spool.write(b"???")

    response = patch(client, upload, professional, 5, b"56789")

    assert response.status_code == 204
    recording.refresh_from_db()
    with default_storage.open(recording.original_key) as stored:
        assert stored.read() == b"0123456789"
