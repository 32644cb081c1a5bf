"""Professionals see who viewed their own recordings."""

import pytest
from django.urls import reverse


def url(recording) -> str:
    return reverse("recordings:access_log", args=[recording.pk])


def test_owner_sees_the_supervisor_who_played_the_film(
    client_for, professional, supervisor, stored_recording
):
    client_for(supervisor).get(reverse("recordings:playback", args=[stored_recording.pk]))
    response = client_for(professional).get(url(stored_recording))
    content = response.content.decode()
    assert response.status_code == 200
    assert supervisor.full_name in content
    assert "Inzien" in content
    # Addresses of the viewers are for the administrators' log, not for the professional.
    assert "127.0.0.1" not in content


def test_other_recordings_lines_are_not_shown(
    client_for, professional, supervisor, stored_recording, make_recording
):
    other = make_recording(professional)
    client_for(supervisor).get(reverse("recordings:playback", args=[stored_recording.pk]))
    assert list(client_for(professional).get(url(other)).context["page"].object_list) == []


@pytest.mark.parametrize("persona", ["supervisor", "coordinator"])
def test_only_the_owner_sees_it(request, client_for, stored_recording, persona):
    assert client_for(request.getfixturevalue(persona)).get(url(stored_recording)).status_code == 403


@pytest.mark.parametrize("persona", ["colleague", "professional_other_org", "supervisor_unassigned"])
def test_outsiders_get_404(request, client_for, stored_recording, persona):
    assert client_for(request.getfixturevalue(persona)).get(url(stored_recording)).status_code == 404


def test_anonymous_and_wrong_method(client_for, professional, stored_recording):
    assert client_for(None).get(url(stored_recording)).status_code == 302
    assert client_for(professional).post(url(stored_recording)).status_code == 405


@pytest.mark.parametrize("rows", [1, 20])
def test_query_count_is_constant(
    client_for, professional, supervisor, stored_recording, django_assert_num_queries, rows
):
    viewer = client_for(supervisor)
    for _ in range(rows):
        viewer.get(reverse("recordings:playback", args=[stored_recording.pk]))
    client = client_for(professional)
    # session, user, device, recording, its family's consents, count, rows, session save (3): the same
    # for 1 and 20 lines.
    with django_assert_num_queries(10):
        response = client.get(url(stored_recording))
    assert len(response.context["page"].object_list) == rows
