from django.urls import reverse

from recordings.models import Recording, VibCycle
from tests.annotations.conftest import create_recording


def _cycle_with_both(professional, playable_recording) -> VibCycle:
    cycle = playable_recording.cycle
    create_recording(professional, cycle=cycle, kind=Recording.Kind.REVIEW_CONVERSATION, status="processing")
    return cycle


def test_the_supervisor_sees_the_film_and_its_nabespreking_side_by_side(
    client_for, supervisor, professional, playable_recording
):
    cycle = _cycle_with_both(professional, playable_recording)

    response = client_for(supervisor).get(reverse("annotations:cycle", args=[cycle.pk]))

    assert response.status_code == 200
    kinds = [panel["recording"].kind for panel in response.context["panels"]]
    assert kinds == ["home_visit", "review_conversation"]
    html = response.content.decode()
    assert 'data-annotation-workspace="ws0"' in html
    assert "Cyclus als besproken markeren" in html


def test_the_trainee_sees_the_cycle_without_the_review_button(client_for, professional, playable_recording):
    cycle = _cycle_with_both(professional, playable_recording)

    response = client_for(professional).get(reverse("annotations:cycle", args=[cycle.pk]))

    assert response.status_code == 200
    assert "Cyclus als besproken markeren" not in response.content.decode()


def test_the_trainee_cannot_mark_their_own_cycle_reviewed(client_for, professional, recording):
    response = client_for(professional).post(
        reverse("annotations:cycle_mark_reviewed", args=[recording.cycle_id])
    )

    assert response.status_code == 403
    assert VibCycle.objects.get(pk=recording.cycle_id).reviewed_at is None


def test_outsiders_get_404_on_the_cycle(client_for, supervisor_unassigned, colleague, recording):
    for outsider in (supervisor_unassigned, colleague):
        assert (
            client_for(outsider).get(reverse("annotations:cycle", args=[recording.cycle_id])).status_code
            == 404
        )
        url = reverse("annotations:cycle_mark_reviewed", args=[recording.cycle_id])
        assert client_for(outsider).post(url).status_code == 404


def test_a_coordinator_does_not_see_the_cycles_films(client_for, coordinator, recording):
    assert (
        client_for(coordinator).get(reverse("annotations:cycle", args=[recording.cycle_id])).status_code
        == 403
    )


def test_marking_reviewed_needs_post(client_for, supervisor, recording):
    url = reverse("annotations:cycle_mark_reviewed", args=[recording.cycle_id])
    assert client_for(supervisor).get(url).status_code == 405


def test_anonymous_visitors_go_to_the_login_page(client_for, recording):
    assert client_for(None).get(reverse("annotations:cycle", args=[recording.cycle_id])).status_code == 302
