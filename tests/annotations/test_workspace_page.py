import json

import pytest
from django.urls import reverse

from annotations.models import Annotation
from audit.models import AccessLogEntry
from tests.annotations.conftest import create_recording


def _url(recording) -> str:
    return reverse("annotations:workspace", args=[recording.pk])


def _data(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="ws" type="application/json">') + len(
        '<script id="ws" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_the_owner_sees_the_player_with_renditions_vocabulary_and_annotations(
    client_for, professional, playable_recording, make_annotation
):
    make_annotation(playable_recording, professional, start_ms=500)

    response = client_for(professional).get(_url(playable_recording))

    assert response.status_code == 200
    data = _data(response)
    assert set(data["links"]) >= {"high", "low", "sprite", "thumbnails_vtt"}
    assert [c["name"] for c in data["categories"]][0] == "Initiatief nemen"
    assert [a["start_ms"] for a in data["annotations"]] == [500]
    assert data["annotations"][0]["can_edit"] is True
    assert "player.js" in response.content.decode()
    reads = AccessLogEntry.objects.filter(recording_id=str(playable_recording.pk), action_code="R")
    assert sorted(reads.values_list("object_type", flat=True)) == ["annotations", "recording"]


def test_annotation_text_cannot_inject_html_into_the_page(
    client_for, professional, playable_recording, make_annotation
):
    make_annotation(playable_recording, professional, text='</script><script>alert("x")</script><b>')

    html = client_for(professional).get(_url(playable_recording)).content.decode()

    assert "<script>alert" not in html
    assert "<b>" not in html
    assert "\\u003C/script\\u003E" in html


def test_a_supervisor_sees_published_work_and_their_own_drafts_but_not_the_trainees_drafts(
    client_for, professional, supervisor, playable_recording, make_annotation
):
    make_annotation(playable_recording, professional, start_ms=100, visibility="draft")
    mine = make_annotation(playable_recording, supervisor, start_ms=200, kind="feedback", visibility="draft")
    shared = make_annotation(playable_recording, professional, start_ms=300)

    data = _data(client_for(supervisor).get(_url(playable_recording)))

    assert [a["id"] for a in data["annotations"]] == [mine.pk, shared.pk]


def test_a_recording_that_is_not_playable_yet_shows_a_message_instead_of_the_player(client_for, professional):
    recording = create_recording(professional, status="processing")

    response = client_for(professional).get(_url(recording))

    assert response.status_code == 200
    assert "data-annotation-workspace" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client_for, recording):
    response = client_for(None).get(_url(recording))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize(
    "persona", ["colleague", "professional_other_org", "supervisor_unassigned", "coordinator_other_org"]
)
def test_outsiders_get_404(client_for, recording, persona, request):
    assert client_for(request.getfixturevalue(persona)).get(_url(recording)).status_code == 404


@pytest.mark.parametrize("persona", ["coordinator", "administrator"])
def test_coordinators_and_administrators_without_a_grant_never_see_the_film(
    client_for, recording, persona, request
):
    assert client_for(request.getfixturevalue(persona)).get(_url(recording)).status_code == 403


def test_a_deleted_recording_is_not_found(client_for, professional):
    recording = create_recording(professional, status="deleted")

    assert client_for(professional).get(_url(recording)).status_code == 404


def test_posting_to_the_page_is_not_allowed(client_for, professional, recording):
    assert client_for(professional).post(_url(recording)).status_code == 405


def test_the_page_loads_with_a_constant_number_of_queries(
    client_for,
    professional,
    playable_recording,
    category,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    client = client_for(professional)

    def bulk(count: int) -> None:
        Annotation.objects.bulk_create(
            Annotation(recording=playable_recording, author=professional, start_ms=i % 2000, category=category,
                       text=f"moment {i}", kind="analysis", visibility="published")
            for i in range(count)
        )  # fmt: skip

    bulk(10)
    client.get(_url(playable_recording))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(_url(playable_recording))
    bulk(1990)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(_url(playable_recording))
    assert len(_data(response)["annotations"]) == 2000
    # Two access-log lines (the playback links, the annotations read), 3 queries each (chain head lock,
    # insert, head update).
    assert len(small.captured_queries) <= 20


def test_the_player_gets_one_text_for_exactly_one_and_one_for_any_other_number_in_dutch(
    client_for, professional, playable_recording
):
    strings = _data(client_for(professional).get(_url(playable_recording)))["strings"]
    assert strings["count_one"] == "{count} aantekening"
    assert strings["count_other"] == "{count} aantekeningen"
    assert strings["early_minutes_one"] == "Wordt nog voorbereid: de eerste minuut kun je al bekijken."
    assert strings["early_seconds_other"] == (
        "Wordt nog voorbereid: de eerste {count} seconden kun je al bekijken."
    )


def test_the_player_texts_follow_the_chosen_language(client_for, professional, playable_recording):
    response = client_for(professional).get(_url(playable_recording), HTTP_ACCEPT_LANGUAGE="en")
    strings = _data(response)["strings"]
    assert (strings["count_one"], strings["count_other"]) == ("{count} annotation", "{count} annotations")
