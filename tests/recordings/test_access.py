"""recording_access_for_user and cycle_for_user: the only doors to a family's film."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from families.consent import ConsentRefused
from organisations.rules import Action, Relation
from recordings.access import cycle_for_user, recording_access_for_user, recording_for_user
from recordings.models import Recording
from tests.conftest import grant_video

PLAYERS = ["professional", "supervisor"]
NO_ACCESS_404 = ["colleague", "professional_other_org", "supervisor_unassigned", "coordinator_other_org"]


@pytest.mark.parametrize("persona", PLAYERS)
def test_owner_and_assigned_supervisor_may_play(request, recording, persona):
    user = request.getfixturevalue(persona)
    access = recording_access_for_user(user, recording.pk, Action.PLAY)
    assert access.recording == recording
    assert access.allows(Action.PLAY)


@pytest.mark.parametrize("persona", NO_ACCESS_404)
@pytest.mark.parametrize("action", list(Action))
def test_outsiders_get_404_for_every_action(request, recording, persona, action):
    user = request.getfixturevalue(persona)
    with pytest.raises(Http404):
        recording_for_user(user, recording.pk, action)


def test_coordinator_sees_metadata_but_never_video(coordinator, recording):
    assert recording_for_user(coordinator, recording.pk, Action.VIEW) == recording
    with pytest.raises(PermissionDenied):
        recording_for_user(coordinator, recording.pk, Action.PLAY)


def test_administrator_plays_only_with_a_current_grant(administrator, recording):
    with pytest.raises(PermissionDenied):
        recording_for_user(administrator, recording.pk, Action.PLAY)
    grant_video(administrator)
    assert recording_for_user(administrator, recording.pk, Action.PLAY) == recording


def test_supervisor_may_not_change_the_trainees_recording(supervisor, recording):
    with pytest.raises(PermissionDenied):
        recording_for_user(supervisor, recording.pk, Action.CHANGE)


def test_anonymous_gets_404(recording):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Http404):
        recording_for_user(AnonymousUser(), recording.pk, Action.VIEW)


# A fixed unknown id: parallel test workers must collect the same test names.
@pytest.mark.parametrize("bad_id", ["not-a-uuid", "", "6f1c0d3e-0000-4000-8000-000000000000"])
def test_malformed_or_unknown_ids_get_404(professional, bad_id):
    with pytest.raises(Http404):
        recording_for_user(professional, bad_id, Action.VIEW)


def test_practice_recording_needs_the_owners_valid_vib_certificate(professional, supervisor, make_recording):
    recording = make_recording(professional, purpose=Recording.Purpose.PRACTICE)
    assert recording_for_user(professional, recording.pk, Action.VIEW) == recording
    for user, action in [
        (professional, Action.PLAY),
        (professional, Action.CHANGE),
        (supervisor, Action.PLAY),
    ]:
        with pytest.raises(PermissionDenied):
            recording_for_user(user, recording.pk, action)


def test_practice_recording_opens_with_a_valid_certificate(professional, administrator, make_recording):
    from certification.services import certification_grant

    certification_grant(
        professional=professional, course_code="vib", signed_off_by=administrator, motivation="ok"
    )
    recording = make_recording(professional, purpose=Recording.Purpose.PRACTICE)
    assert recording_for_user(professional, recording.pk, Action.PLAY) == recording


def test_the_helper_returns_what_it_decided(professional, supervisor, coordinator, recording):
    own = recording_access_for_user(professional, recording.pk, Action.VIEW)
    assert (own.relation, own.actions) == (Relation.SELF, {Action.VIEW, Action.PLAY, Action.CHANGE})
    assert own.is_owner
    theirs = recording_access_for_user(supervisor, recording.pk, Action.VIEW)
    assert (theirs.relation, theirs.actions) == (
        Relation.SUPERVISOR,
        {Action.VIEW, Action.PLAY, Action.FEEDBACK},
    )
    assert not theirs.is_owner
    coordinating = recording_access_for_user(coordinator, recording.pk, Action.VIEW)
    assert not coordinating.allows(Action.PLAY)


def test_playing_needs_the_familys_consent(professional, supervisor, recording):
    recording.family.consents.update(withdrawn_at=timezone.now())
    for user in (professional, supervisor):
        assert recording_for_user(user, recording.pk, Action.VIEW) == recording
        with pytest.raises(ConsentRefused, match="ingetrokken|withdrew"):
            recording_for_user(user, recording.pk, Action.PLAY)


def test_recording_access_costs_two_queries_for_the_owner(professional, recording, django_assert_num_queries):
    # The recording with its owner, family and cycle; then the family's consents.
    with django_assert_num_queries(2):
        recording_for_user(professional, recording.pk, Action.PLAY)


@pytest.mark.parametrize("persona", NO_ACCESS_404)
def test_cycles_are_hidden_from_outsiders(request, recording, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(Http404):
        cycle_for_user(user, recording.cycle_id, Action.VIEW)


def test_cycle_for_supervisor(supervisor, recording):
    assert cycle_for_user(supervisor, recording.cycle_id, Action.FEEDBACK) == recording.cycle
    with pytest.raises(PermissionDenied):
        cycle_for_user(supervisor, recording.cycle_id, Action.CHANGE)


@pytest.mark.parametrize("bad_id", ["x", None, 999999])
def test_unknown_cycle_ids_get_404(professional, bad_id):
    with pytest.raises(Http404):
        cycle_for_user(professional, bad_id, Action.VIEW)
