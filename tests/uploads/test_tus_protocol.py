"""The tus 1.0.0 wire protocol, spoken to the endpoints through Django's test client with token auth."""

import base64

import pytest
from django.test import Client

from tests.uploads.conftest import tus_headers
from uploads.models import Upload
from uploads.services import upload_url_for

TUS = {"Tus-Resumable": "1.0.0"}


def create(client: Client, recording, user, length: int = 10, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        upload_url_for(recording),
        headers={**TUS, **tus_headers(user), "Upload-Length": str(length), **headers},
    )


def patch(client: Client, url: str, user, offset: int, data: bytes, **headers: str):  # type: ignore[no-untyped-def]
    return client.generic(
        "PATCH",
        url,
        data=data,
        content_type=headers.pop("content_type", "application/offset+octet-stream"),
        headers={**TUS, **tus_headers(user), "Upload-Offset": str(offset), **headers},
    )


def test_options_announces_version_extensions_and_max_size(client, recording, settings):
    response = client.options(upload_url_for(recording))

    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {"creation", "termination", "expiration"}
    assert response["Tus-Max-Size"] == str(settings.UPLOAD_MAX_BYTES)


def test_creation_answers_location_and_expiry_and_stores_no_filename(client, recording, professional):
    metadata = "filename " + base64.b64encode(b"Gezin Jansen thuis.MOV").decode()

    response = create(client, recording, professional, length=1234, **{"Upload-Metadata": metadata})

    assert response.status_code == 201
    assert response["Tus-Resumable"] == "1.0.0"
    assert "Upload-Expires" in response
    upload = Upload.objects.get()
    assert response["Location"].endswith(f"/uploads/{upload.pk}/")
    assert upload.length == 1234 and upload.offset == 0
    assert upload.storage_key.startswith(f"recordings/{recording.storage_prefix}/")
    assert upload.storage_key.endswith(".mov")
    assert "Jansen" not in upload.storage_key and "Jansen" not in response["Location"]


def test_an_unknown_extension_is_not_kept(client, recording, professional):
    metadata = "filename " + base64.b64encode(b"film.jansen").decode()

    create(client, recording, professional, **{"Upload-Metadata": metadata})

    assert Upload.objects.get().storage_key.endswith(".bin")


def test_head_and_patch_move_the_offset(client, recording, professional):
    url = create(client, recording, professional, length=10)["Location"]

    first = patch(client, url, professional, 0, b"01234")
    head = client.head(url, headers={**TUS, **tus_headers(professional)})

    assert first.status_code == 204 and first["Upload-Offset"] == "5"
    assert head.status_code == 200
    assert head["Upload-Offset"] == "5" and head["Upload-Length"] == "10"
    assert head["Cache-Control"] == "no-store"


def test_patch_at_the_wrong_offset_is_refused_with_409_and_changes_nothing(client, recording, professional):
    url = create(client, recording, professional, length=10)["Location"]
    patch(client, url, professional, 0, b"01234")

    response = patch(client, url, professional, 3, b"34567")

    assert response.status_code == 409
    assert Upload.objects.get().offset == 5


def test_patch_with_another_content_type_is_refused_with_415(client, recording, professional):
    url = create(client, recording, professional, length=10)["Location"]

    response = patch(client, url, professional, 0, b"01234", content_type="application/octet-stream")

    assert response.status_code == 415
    assert Upload.objects.get().offset == 0


def test_requests_without_tus_resumable_are_refused_with_412(client, recording, professional):
    response = client.post(
        upload_url_for(recording), headers={**tus_headers(professional), "Upload-Length": "10"}
    )

    assert response.status_code == 412
    assert response["Tus-Version"] == "1.0.0"
    assert not Upload.objects.exists()


def test_creation_over_the_size_limit_is_refused_with_413(client, recording, professional, settings):
    settings.UPLOAD_MAX_BYTES = 1000

    response = create(client, recording, professional, length=1001, **{"Accept-Language": "nl"})

    assert response.status_code == 413
    assert "groter dan" in response.content.decode()
    assert not Upload.objects.exists()


def test_patch_with_more_bytes_than_announced_is_refused_with_413(client, recording, professional):
    url = create(client, recording, professional, length=4)["Location"]

    response = patch(client, url, professional, 0, b"01234")

    assert response.status_code == 413
    assert Upload.objects.get().offset == 0


@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        ({"Upload-Length": "-1"}, "Upload-Length"),
        ({"Upload-Length": "abc"}, "Upload-Length"),
        ({"Upload-Length": "10", "Upload-Metadata": "filename not-base64!"}, "base64"),
        ({"Upload-Length": "10", "Upload-Defer-Length": "1"}, "Upload-Defer-Length"),
    ],
)
def test_malformed_creation_headers_are_refused_with_400(client, recording, professional, headers, problem):
    response = client.post(upload_url_for(recording), headers={**TUS, **tus_headers(professional), **headers})

    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not Upload.objects.exists()


def test_an_empty_file_is_refused_with_a_dutch_message(client, recording, professional):
    response = create(client, recording, professional, length=0, **{"Accept-Language": "nl"})

    assert response.status_code == 400
    assert response.content.decode() == "Het bestand is leeg."


def test_a_recording_that_has_its_film_accepts_no_new_upload(client, recording, professional):
    recording.status = recording.Status.PROCESSING
    recording.save()

    response = create(client, recording, professional)

    assert response.status_code == 409
    assert not Upload.objects.exists()


def test_wrong_methods_are_refused_with_405(client, recording, professional):
    url = create(client, recording, professional)["Location"]

    assert client.get(upload_url_for(recording), headers=TUS).status_code == 405
    assert client.get(url, headers={**TUS, **tus_headers(professional)}).status_code == 405
    assert client.post(url, headers={**TUS, **tus_headers(professional)}).status_code == 405


def test_termination_frees_the_upload(client, recording, professional, settings):
    url = create(client, recording, professional, length=10)["Location"]
    patch(client, url, professional, 0, b"01234")
    upload = Upload.objects.get()
    spool = settings.DATA_DIR / "uploads" / str(upload.pk)
    assert spool.stat().st_size == 5

    response = client.delete(url, headers={**TUS, **tus_headers(professional)})

    assert response.status_code == 204
    assert not Upload.objects.exists()
    assert not spool.exists()
    assert client.head(url, headers={**TUS, **tus_headers(professional)}).status_code == 404


@pytest.mark.parametrize("header", ["Upload-Length", "Upload-Offset"])
def test_a_unicode_digit_in_a_length_header_is_a_400_not_a_server_error(
    client, recording, professional, header
):
    # "²".isdigit() is true and int("²") raises: only ASCII digits are a tus length.
    url = create(client, recording, professional, length=10)["Location"]

    response = (
        create(client, recording, professional, **{"Upload-Length": "²"})
        if header == "Upload-Length"
        else patch(client, url, professional, 0, b"0", **{"Upload-Offset": "²"})
    )

    assert response.status_code == 400
