"""Found: a withdrawal while an upload of the family was still sending answered HTTP 500 to the uploader.

Now the upload is terminated with the rest of the family's data, and the request still sending bytes
ends with 410 and a Dutch explanation; nothing of the film stays behind.
"""

import socket
import time
from urllib.parse import urlsplit

import pytest
from django.core.files.storage import default_storage

from families.services import consent_withdraw
from recordings.models import Recording
from tests.recordings.conftest import create_recording
from tests.uploads.conftest import tus_headers
from uploads.models import Upload
from uploads.receivers import uploads_dir
from uploads.services import upload_create

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
LENGTH = 100_000


def _wait_for_lock(upload: Upload) -> None:
    for _ in range(100):
        upload.refresh_from_db()
        if upload.locked_until is not None:
            return
        time.sleep(0.05)
    raise AssertionError("the PATCH never took the upload's lock")


def _status_and_body(connection: socket.socket) -> tuple[int, str]:
    answer = b""
    while chunk := connection.recv(65536):
        answer += chunk
        if b"\r\n\r\n" in answer and answer.endswith(b"."):
            break
    head, _sep, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode()


def test_the_uploader_gets_410_and_no_byte_is_kept(live_server, professional):
    recording = create_recording(professional)
    upload = upload_create(recording=recording, length=LENGTH, metadata={"filename": "huisbezoek.mp4"})
    address = urlsplit(live_server.url)
    request = (
        f"PATCH /uploads/{upload.pk}/ HTTP/1.1\r\nHost: {address.netloc}\r\nTus-Resumable: 1.0.0\r\n"
        f"Authorization: {tus_headers(professional)['Authorization']}\r\nConnection: close\r\n"
        f"Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\nContent-Length: {LENGTH}\r\n\r\n"
    )
    with socket.create_connection((address.hostname, address.port)) as connection:
        connection.sendall(request.encode() + b"x" * 40_000)
        _wait_for_lock(upload)

        # The parents call the coordinator while the film is still going up.
        consent_withdraw(family=recording.family, purposes=None, actor=professional)

        connection.sendall(b"x" * (LENGTH - 40_000))
        status, body = _status_and_body(connection)

    assert status == 410
    assert "toestemming heeft ingetrokken" in body
    assert not Upload.objects.exists()
    assert not (uploads_dir() / str(upload.pk)).exists()
    recording.refresh_from_db()
    assert recording.status == Recording.Status.DELETED
    folder = f"recordings/{recording.storage_prefix}"
    assert not default_storage.exists(folder) or default_storage.listdir(folder) == ([], [])


def test_a_new_upload_for_an_erased_recording_gets_410(client, professional):
    recording = create_recording(professional)
    consent_withdraw(family=recording.family, purposes=None, actor=professional)
    response = client.post(
        f"/uploads/recordings/{recording.pk}/",
        headers={"Tus-Resumable": "1.0.0", "Upload-Length": "10", **tus_headers(professional)},
    )
    assert response.status_code == 410
    assert "toestemming heeft ingetrokken" in response.content.decode()
