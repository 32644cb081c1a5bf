"""My recordings / trainees' recordings: scoped by the central rules, constant query count."""

import pytest
from django.urls import reverse

from recordings.models import Recording

URL = reverse("recordings:list")


def test_professional_sees_own_recordings_only(client_for, professional, colleague, make_recording):
    mine = make_recording(professional)
    theirs = make_recording(colleague)
    response = client_for(professional).get(URL)
    listed = list(response.context["page"].object_list)
    assert response.status_code == 200
    assert listed == [mine]
    assert theirs not in listed
    assert "Mijn opnames" in response.content.decode()


def test_supervisor_sees_assigned_trainees_recordings(
    client_for, supervisor, professional, colleague, make_recording
):
    trainees = make_recording(professional)
    make_recording(colleague)
    listed = list(client_for(supervisor).get(URL).context["page"].object_list)
    assert listed == [trainees]


@pytest.mark.parametrize(
    "persona", ["supervisor_unassigned", "coordinator_other_org", "professional_other_org"]
)
def test_outsiders_see_nothing(request, client_for, recording, persona):
    response = client_for(request.getfixturevalue(persona)).get(URL)
    assert list(response.context["page"].object_list) == []


def test_list_shows_status_and_progress(client_for, professional, make_recording):
    make_recording(professional, status=Recording.Status.PROCESSING, progress=42)
    content = client_for(professional).get(URL).content.decode()
    assert 'value="42"' in content
    assert "Wordt verwerkt" in content


@pytest.mark.parametrize("rows", [1, 30])
def test_list_query_count_does_not_grow_with_rows(
    client_for, professional, make_recording, django_assert_num_queries, rows
):
    for _ in range(rows):
        make_recording(professional)
    client = client_for(professional)
    # session, user, second-factor device, count, page rows (consent and professional joined), session
    # save (3 with its savepoint): the same for one row and for thirty.
    with django_assert_num_queries(8):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == rows


def test_anonymous_is_sent_to_login(client_for):
    assert client_for(None).get(URL).status_code == 302


def test_wrong_method(client_for, professional):
    assert client_for(professional).post(URL).status_code == 405
