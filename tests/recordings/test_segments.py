"""The segment manifest of a film still being encoded: the same rights, consent rule and log as playback.

A film that must be encoded is watchable from its finished segments (``Segment``). The manifest hands out
one short-lived link per segment to whoever may PLAY the film now, writes one NEN 7513 line per issue,
and the links are checked again at every fetch, like the links of the finished renditions.
"""

import datetime

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from audit.chain import chain_append
from audit.models import AccessLogEntry
from organisations.models import SupervisorAssignment
from recordings import playback
from recordings.models import Recording, Rendition
from tests.conftest import grant_video
from tests.recordings.conftest import create_recording, expired_stream_token, path_of, store_bytes, streamed
from tests.recordings.segment_films import *  # noqa: F403  (the segment_films fixture)
from tests.recordings.segment_films import store_segments
from tests.video.fixtures import ffprobe_json

# The database is set up for these tests even when they are run alone (the personas reach it only
# through the overridden ``professional`` fixture, which pytest-django's selection does not see).
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MIME = 'video/mp4; codecs="avc1.640028, mp4a.40.2"'


def encoding_recording(professional, **fields) -> Recording:
    """A film being encoded: playable from its segments, no finished video rendition yet."""
    values = {"status": Recording.Status.PLAYABLE, "duration_ms": 6000, "has_audio": True} | fields
    return create_recording(professional, **values)


@pytest.fixture
def early(professional, segment_films) -> Recording:
    recording = encoding_recording(professional)
    store_segments(recording, segment_films)
    return recording


def manifest_url(recording: Recording) -> str:
    return reverse("recordings:segments", args=[recording.pk])


def manifest(client, recording: Recording) -> dict:
    response = client.get(manifest_url(recording))
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "private, no-store"
    return response.json()


def test_fixture_segments_keep_the_films_timestamps(segment_films):
    for film in segment_films:
        first = ffprobe_json(film.path, "-select_streams", "v", "-show_packets", "-read_intervals", "%+#1")
        assert float(first["packets"][0]["pts_time"]) == film.start_ms / 1000
        assert first["streams"][0]["profile"] == "High"
        fragmented = film.content
        assert fragmented.index(b"moov") < fragmented.index(b"moof")  # its own init segment, then fragments


def test_manifest_lists_the_finished_segments_in_order_with_a_link_each(owner_client, early, segment_films):
    data = manifest(owner_client, early)
    assert data["complete"] is False
    assert data["duration"] == 6.0
    assert data["mime"] == MIME
    assert [(s["index"], s["start"], s["end"]) for s in data["segments"]] == [(0, 0, 2), (1, 2, 4), (2, 4, 6)]
    for entry, film in zip(data["segments"], segment_films, strict=True):
        response = owner_client.get(path_of(entry["url"]))
        assert response.status_code == 200
        assert response["Content-Type"] == "video/mp4"
        assert response["Cache-Control"] == "private, no-store"
        assert streamed(response) == film.content


def test_a_manifest_is_one_access_log_line_and_fetches_add_none(owner_client, professional, early):
    data = manifest(owner_client, early)
    for entry in data["segments"]:
        owner_client.get(path_of(entry["url"]), headers={"Range": "bytes=0-99"})
    line = AccessLogEntry.objects.get()
    assert line.user == professional
    assert line.recording_id == str(early.pk)
    assert line.outcome["decision"] == "granted"
    assert line.outcome["details"] == {"renditions": ["segments"], "segments": 3}


# --- One line per viewing, not per poll ------------------------------------------------------------------


def manifest_line_written_ago(user, recording: Recording, seconds: int) -> None:
    """A granted manifest line of ``user`` for ``recording``, as written ``seconds`` ago.

    The log is append-only (no line can be aged), so the earlier viewing is appended with its own time.
    """
    chain_append(
        AccessLogEntry(
            timestamp=timezone.now() - datetime.timedelta(seconds=seconds),
            action_code="R",
            user=user,
            role="owner",
            organisation_id=recording.family.organisation_id,
            family_code=recording.family.code,
            object_type="recording",
            object_id=str(recording.pk),
            recording_id=str(recording.pk),
            outcome={"decision": "granted", "details": {"renditions": ["segments"], "segments": 3}},
        )
    )


def test_the_polls_of_one_viewing_write_one_line(owner_client, early):
    for _poll in range(3):
        assert len(manifest(owner_client, early)["segments"]) == 3  # fresh links every time
    assert AccessLogEntry.objects.count() == 1


def test_nothing_the_client_sends_skips_the_first_line(owner_client, early):
    response = owner_client.get(manifest_url(early), {"poll": "1", "playback": "seen-before"})
    assert len(response.json()["segments"]) == 3
    assert AccessLogEntry.objects.get().outcome["decision"] == "granted"


def test_a_poll_after_the_links_lifetime_writes_a_new_line(owner_client, professional, early, settings):
    manifest_line_written_ago(professional, early, settings.SIGNED_URL_SECONDS + 1)
    manifest(owner_client, early)
    manifest(owner_client, early)
    lines = list(AccessLogEntry.objects.order_by("pk"))
    assert len(lines) == 2
    assert lines[1].outcome["details"] == {"renditions": ["segments"], "segments": 3}


def test_a_poll_within_the_links_lifetime_of_a_line_writes_none(owner_client, professional, early, settings):
    manifest_line_written_ago(professional, early, settings.SIGNED_URL_SECONDS - 60)
    manifest(owner_client, early)
    assert AccessLogEntry.objects.count() == 1


def test_every_viewer_gets_their_own_line(owner_client, client_for, professional, supervisor, early):
    manifest(owner_client, early)
    supervising = client_for(supervisor)
    manifest(supervising, early)
    manifest(supervising, early)
    assert sorted(AccessLogEntry.objects.values_list("user_id", flat=True)) == sorted(
        [professional.pk, supervisor.pk]
    )


def test_the_detail_pages_line_does_not_stand_in_for_the_manifests(owner_client, early):
    assert owner_client.get(reverse("recordings:detail", args=[early.pk])).status_code == 200
    page_line = AccessLogEntry.objects.get()
    assert page_line.outcome["decision"] == "nothing_issued"  # no finished rendition yet
    manifest(owner_client, early)
    manifest_line = AccessLogEntry.objects.exclude(pk=page_line.pk).get()
    assert manifest_line.outcome["details"] == {"renditions": ["segments"], "segments": 3}


def test_segments_issued_after_polls_that_issued_none_get_their_line(
    owner_client, professional, segment_films
):
    recording = encoding_recording(professional)
    manifest(owner_client, recording)
    manifest(owner_client, recording)
    assert AccessLogEntry.objects.get().outcome["decision"] == "nothing_issued"
    store_segments(recording, segment_films[:1])
    manifest(owner_client, recording)
    manifest(owner_client, recording)
    assert [line.outcome["decision"] for line in AccessLogEntry.objects.order_by("pk")] == [
        "nothing_issued",
        "granted",
    ]


def test_segment_links_answer_ranges(owner_client, early, segment_films):
    url = path_of(manifest(owner_client, early)["segments"][2]["url"])
    response = owner_client.get(url, headers={"Range": "bytes=100-199"})
    assert response.status_code == 206
    assert streamed(response) == segment_films[2].content[100:200]


def test_only_finished_segments_are_listed_and_new_ones_appear(owner_client, professional, segment_films):
    recording = encoding_recording(professional)
    assert manifest(owner_client, recording)["segments"] == []
    store_segments(recording, segment_films[:1])
    assert [s["index"] for s in manifest(owner_client, recording)["segments"]] == [0]
    store_segments(recording, segment_films[1:])
    assert [s["index"] for s in manifest(owner_client, recording)["segments"]] == [0, 1, 2]


def test_complete_once_the_high_rendition_is_done(owner_client, early):
    high = Rendition.objects.create(
        recording=early, kind=Rendition.Kind.HIGH, status=Rendition.Status.PENDING
    )
    assert manifest(owner_client, early)["complete"] is False
    high.key = store_bytes(early, "mp4", b"high")
    high.status = Rendition.Status.DONE
    high.save()
    assert manifest(owner_client, early)["complete"] is True


def test_a_film_without_sound_names_only_the_picture_codec(owner_client, professional):
    recording = encoding_recording(professional, has_audio=False)
    assert manifest(owner_client, recording)["mime"] == 'video/mp4; codecs="avc1.640028"'


def test_query_count_does_not_grow_with_the_segments(
    owner_client,
    professional,
    segment_films,
    django_assert_num_queries,
):
    one = encoding_recording(professional)
    store_segments(one, segment_films[:1])
    three = encoding_recording(professional)
    store_segments(three, segment_films)
    owner_client.get(manifest_url(encoding_recording(professional)))  # the log's very first line
    # The first manifest of a viewing writes its line; the polls after it only look for that line.
    with django_assert_num_queries(14) as one_segment:
        assert len(manifest(owner_client, one)["segments"]) == 1
    with django_assert_num_queries(len(one_segment.captured_queries)):
        assert len(manifest(owner_client, three)["segments"]) == 3
    with django_assert_num_queries(11) as one_segment_polled:
        assert len(manifest(owner_client, one)["segments"]) == 1
    with django_assert_num_queries(len(one_segment_polled.captured_queries)):
        assert len(manifest(owner_client, three)["segments"]) == 3


def test_assigned_supervisor_and_administrator_with_grant_get_the_segments(
    client_for, supervisor, administrator, early
):
    assert len(manifest(client_for(supervisor), early)["segments"]) == 3
    grant = grant_video(administrator)
    assert len(manifest(client_for(administrator), early)["segments"]) == 3
    assert AccessLogEntry.objects.order_by("pk").last().outcome["grounds"] == f"video grant {grant.pk}"


@pytest.mark.parametrize(
    "persona", ["colleague", "professional_other_org", "supervisor_unassigned", "coordinator_other_org"]
)
def test_outsiders_get_404_and_no_links(request, client_for, early, persona):
    response = client_for(request.getfixturevalue(persona)).get(manifest_url(early))
    assert response.status_code == 404
    assert b"stream" not in response.content
    refused = AccessLogEntry.objects.get()
    assert refused.outcome["decision"] == "refused"
    assert refused.recording_id == str(early.pk)


def test_coordinator_and_administrator_without_grant_get_403(client_for, coordinator, administrator, early):
    assert client_for(coordinator).get(manifest_url(early)).status_code == 403
    assert client_for(administrator).get(manifest_url(early)).status_code == 403


def test_anonymous_is_sent_to_login_and_other_methods_are_refused(client_for, owner_client, early):
    response = client_for(None).get(manifest_url(early))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert owner_client.post(manifest_url(early)).status_code == 405


def test_withdrawn_consent_refuses_the_manifest_and_the_links_already_issued(owner_client, early):
    url = path_of(manifest(owner_client, early)["segments"][0]["url"])
    early.family.consents.update(withdrawn_at=timezone.now())
    assert owner_client.get(manifest_url(early)).status_code == 403
    assert owner_client.get(url).status_code == 403
    assert AccessLogEntry.objects.filter(outcome__decision="refused").count() == 2


def test_a_film_not_playable_issues_nothing(owner_client, professional, segment_films):
    recording = encoding_recording(professional, status=Recording.Status.PROCESSING)
    store_segments(recording, segment_films)
    assert manifest(owner_client, recording)["segments"] == []
    assert AccessLogEntry.objects.get().outcome["decision"] == "nothing_issued"


def test_a_deleted_recording_issues_nothing_and_its_links_die(owner_client, early):
    url = path_of(manifest(owner_client, early)["segments"][0]["url"])
    Recording.objects.filter(pk=early.pk).update(status=Recording.Status.DELETED)
    assert manifest(owner_client, early)["segments"] == []
    assert owner_client.get(url).status_code == 404
    assert AccessLogEntry.objects.order_by("pk").last().outcome["decision"] == "nothing_issued"
    gone = manifest_url(early)
    early.delete()  # the row itself, with its segments
    assert owner_client.get(gone).status_code == 404
    assert owner_client.get(url).status_code == 404


def test_supervisor_loses_the_segments_when_the_assignment_ends(client_for, supervisor, early):
    client = client_for(supervisor)
    url = path_of(manifest(client, early)["segments"][1]["url"])
    assert client.get(url).status_code == 200
    SupervisorAssignment.objects.filter(supervisor=supervisor).update(
        ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert client_for(None).get(url).status_code == 404
    assert client.get(manifest_url(early)).status_code == 404


def test_segment_link_works_without_a_session_but_not_in_anothers(client_for, colleague, owner_client, early):
    url = path_of(manifest(owner_client, early)["segments"][0]["url"])
    assert client_for(None).get(url, headers={"Range": "bytes=0-9"}).status_code == 206
    assert client_for(colleague).get(url).status_code == 404


def test_expired_segment_link_is_refused(owner_client, professional, early):
    old = expired_stream_token({"r": str(early.pk), "k": playback.SEGMENT, "u": professional.pk, "s": 0})
    assert owner_client.get(reverse("recordings:stream", args=[old])).status_code == 403


def test_forged_segment_links_are_404(owner_client, professional, early):
    url = path_of(manifest(owner_client, early)["segments"][0]["url"])
    token = url.rstrip("/").split("/")[-1]
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert owner_client.get(reverse("recordings:stream", args=[forged])).status_code == 404
    payload = {"r": str(early.pk), "k": playback.SEGMENT, "u": professional.pk, "s": 1}
    unsalted = signing.TimestampSigner().sign_object(payload)
    assert owner_client.get(reverse("recordings:stream", args=[unsalted])).status_code == 404
    for missing in (3, None):
        token = playback.stream_token(
            recording=early, kind=playback.SEGMENT, user=professional, segment=missing
        )
        assert owner_client.get(reverse("recordings:stream", args=[token])).status_code == 404


def test_a_segment_token_of_another_film_serves_only_that_film(
    owner_client, professional, early, segment_films
):
    other = encoding_recording(professional)
    store_segments(other, segment_films[:1])
    token = playback.stream_token(recording=other, kind=playback.SEGMENT, user=professional, segment=0)
    response = owner_client.get(reverse("recordings:stream", args=[token]))
    assert streamed(response) == segment_films[0].content
    assert other.segments.get().key != early.segments.get(index=0).key


def test_pages_offer_the_early_form_only_while_no_finished_film_is_issued(owner_client, early):
    url = manifest_url(early)
    detail = owner_client.get(reverse("recordings:detail", args=[early.pk]))
    workspace = owner_client.get(reverse("annotations:workspace", args=[early.pk]))
    assert f'data-segments="{url}"' in detail.content.decode()
    assert workspace.context["panel"]["data"]["api"]["segments"] == url
    high = store_bytes(early, "mp4", b"high")
    Rendition.objects.create(
        recording=early, kind=Rendition.Kind.HIGH, key=high, status=Rendition.Status.DONE
    )
    assert (
        "data-segments"
        not in owner_client.get(reverse("recordings:detail", args=[early.pk])).content.decode()
    )
    workspace = owner_client.get(reverse("annotations:workspace", args=[early.pk]))
    assert workspace.context["panel"]["data"]["api"]["segments"] == ""


def test_the_early_forms_notice_comes_in_dutch_for_one_and_for_any_other_number(owner_client, early):
    page = owner_client.get(reverse("recordings:detail", args=[early.pk])).content.decode()
    notice = "Wordt nog voorbereid: de eerste {} kun je al bekijken."
    assert f'data-early-minutes-one="{notice.format("minuut")}"' in page
    assert f'data-early-minutes-other="{notice.format("{count} minuten")}"' in page
    assert f'data-early-seconds-one="{notice.format("seconde")}"' in page
    assert f'data-early-seconds-other="{notice.format("{count} seconden")}"' in page


def test_pages_offer_no_early_form_to_who_may_only_view(client_for, coordinator, early):
    detail = client_for(coordinator).get(reverse("recordings:detail", args=[early.pk]))
    assert detail.status_code == 200
    assert "data-segments" not in detail.content.decode()
