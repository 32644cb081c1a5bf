"""Playback links: short-lived, signed, checked again on every request, streamed with HTTP Range."""

import datetime

import pytest
from django.core import signing
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry
from organisations.models import SupervisorAssignment
from recordings import playback
from tests.conftest import grant_video
from tests.recordings.conftest import VIDEO_BYTES, expired_stream_token, path_of, streamed


def links_for(client, recording) -> dict[str, str]:
    response = client.get(reverse("recordings:playback", args=[recording.pk]))
    assert response.status_code == 200
    return response.json()["links"]


@pytest.fixture
def high_url(owner_client, stored_recording) -> str:
    return path_of(links_for(owner_client, stored_recording)["high"])


def test_each_link_issue_writes_exactly_one_access_log_line(owner_client, professional, stored_recording):
    links_for(owner_client, stored_recording)
    entry = AccessLogEntry.objects.get()
    assert entry.action_code == "R"
    assert entry.user == professional
    assert entry.role == "owner"
    assert entry.organisation_id == professional.organisation_id
    assert entry.recording_id == str(stored_recording.pk)
    assert entry.family_code == stored_recording.family.code
    assert entry.object_type == "recording"
    assert entry.object_id == str(stored_recording.pk)
    assert entry.access_point == "127.0.0.1"
    assert entry.outcome["decision"] == "granted"
    assert entry.outcome["consent"] == "valid"
    links_for(owner_client, stored_recording)
    assert AccessLogEntry.objects.count() == 2


def test_whole_file_with_accept_ranges(owner_client, high_url):
    response = owner_client.get(high_url)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(VIDEO_BYTES))
    assert response["Content-Type"] == "video/mp4"
    assert response["Cache-Control"] == "private, no-store"
    assert streamed(response) == VIDEO_BYTES


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=100-199", 100, 199),
        ("bytes=0-0", 0, 0),
        ("bytes=10000-", 10000, len(VIDEO_BYTES) - 1),
        ("bytes=-100", len(VIDEO_BYTES) - 100, len(VIDEO_BYTES) - 1),
        ("bytes=10200-999999", 10200, len(VIDEO_BYTES) - 1),
    ],
)
def test_range_requests_get_206_with_exactly_those_bytes(owner_client, high_url, header, start, end):
    response = owner_client.get(high_url, headers={"Range": header})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(VIDEO_BYTES)}"
    assert response["Content-Length"] == str(end - start + 1)
    assert streamed(response) == VIDEO_BYTES[start : end + 1]


@pytest.mark.parametrize("header", ["bytes=999999-", "bytes=-0"])
def test_unsatisfiable_range_is_416(owner_client, high_url, header):
    response = owner_client.get(high_url, headers={"Range": header})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(VIDEO_BYTES)}"


@pytest.mark.parametrize("header", ["bytes=5-2", "items=0-5", "bytes=0-1,5-9", "rubbish"])
def test_malformed_or_multiple_ranges_get_the_whole_file(owner_client, high_url, header):
    response = owner_client.get(high_url, headers={"Range": header})
    assert response.status_code == 200
    assert streamed(response) == VIDEO_BYTES


def test_streaming_writes_no_further_log_lines(owner_client, high_url):
    for header in ["bytes=0-99", "bytes=100-199", "bytes=200-"]:
        owner_client.get(high_url, headers={"Range": header})
    assert AccessLogEntry.objects.count() == 1


def test_link_works_without_a_session_like_a_presigned_url(client_for, high_url):
    response = client_for(None).get(high_url, headers={"Range": "bytes=0-9"})
    assert response.status_code == 206
    assert streamed(response) == VIDEO_BYTES[:10]


def test_link_does_not_serve_another_logged_in_user(client_for, colleague, high_url):
    assert client_for(colleague).get(high_url).status_code == 404


def test_tampered_link_is_404(owner_client, stored_recording, high_url):
    token = high_url.rstrip("/").split("/")[-1]
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert owner_client.get(reverse("recordings:stream", args=[forged])).status_code == 404
    payload = {"r": str(stored_recording.pk), "k": "high", "u": 1}
    unsalted = signing.TimestampSigner().sign_object(payload)
    assert owner_client.get(reverse("recordings:stream", args=[unsalted])).status_code == 404


def test_link_older_than_five_minutes_is_refused(owner_client, professional, stored_recording, settings):
    assert settings.SIGNED_URL_SECONDS <= 300
    old = expired_stream_token({"r": str(stored_recording.pk), "k": "high", "u": professional.pk})
    assert owner_client.get(reverse("recordings:stream", args=[old])).status_code == 403


@override_settings(SIGNED_URL_SECONDS=-1)
def test_expiry_follows_the_setting(owner_client, high_url):
    assert owner_client.get(high_url).status_code == 403


def test_supervisor_loses_the_film_when_the_assignment_ends(client_for, supervisor, stored_recording):
    client = client_for(supervisor)
    url = path_of(links_for(client, stored_recording)["low"])
    assert client.get(url).status_code == 200
    SupervisorAssignment.objects.filter(supervisor=supervisor).update(
        ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert client_for(None).get(url).status_code == 404


def test_withdrawn_consent_stops_playback_of_issued_links(owner_client, stored_recording, high_url):
    stored_recording.family.consents.update(withdrawn_at=timezone.now())
    assert owner_client.get(high_url).status_code == 403


@pytest.mark.parametrize(
    "persona", ["colleague", "professional_other_org", "supervisor_unassigned", "coordinator_other_org"]
)
def test_outsiders_get_no_links(request, client_for, stored_recording, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("recordings:playback", args=[stored_recording.pk])).status_code == 404
    # No links, but the refused attempt is in the log, in the family's and the film's list.
    refused = AccessLogEntry.objects.get()
    assert refused.outcome["decision"] == "refused" and refused.outcome["details"] == {"status": 404}
    assert refused.recording_id == str(stored_recording.pk)
    assert refused.family_code == stored_recording.family.code


def test_coordinator_and_administrator_without_grant_get_403(
    client_for, coordinator, administrator, stored_recording
):
    url = reverse("recordings:playback", args=[stored_recording.pk])
    assert client_for(coordinator).get(url).status_code == 403
    assert client_for(administrator).get(url).status_code == 403


def test_administrator_with_grant_plays_and_is_logged(client_for, administrator, stored_recording):
    grant = grant_video(administrator)
    links_for(client_for(administrator), stored_recording)
    line = AccessLogEntry.objects.get()
    assert line.role == "administrator"
    assert line.outcome["grounds"] == f"video grant {grant.pk}"


def test_playback_endpoint_anonymous_and_wrong_method(client_for, professional, stored_recording):
    url = reverse("recordings:playback", args=[stored_recording.pk])
    assert client_for(None).get(url).status_code == 302
    assert client_for(professional).post(url).status_code == 405


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [(None, 10, None), ("bytes=0-", 10, (0, 9)), ("bytes=-20", 10, (0, 9)), ("bytes=3-3", 10, (3, 3))],
)
def test_parse_range(header, size, expected):
    assert playback.parse_range(header, size) == expected


def test_parse_range_on_an_empty_file_is_unsatisfiable():
    with pytest.raises(playback.RangeNotSatisfiable):
        playback.parse_range("bytes=0-", 0)


def test_head_gives_size_without_body_and_post_is_refused(owner_client, high_url):
    response = owner_client.head(high_url)
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(VIDEO_BYTES))
    assert owner_client.post(high_url).status_code == 405
