"""The central authorisation rules (organisations.rules): every relation, every action."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from organisations.models import SupervisorAssignment, VideoGrant
from organisations.rules import Action, Relation, check, relation_to, visible_professionals
from tests.conftest import grant_video


@pytest.fixture
def cast(
    professional,
    colleague,
    professional_other_org,
    supervisor,
    supervisor_unassigned,
    coordinator,
    coordinator_other_org,
    administrator,
):  # type: ignore[no-untyped-def]
    return locals()


EXPECTED_RELATION = {
    "professional": Relation.SELF,
    "colleague": Relation.NONE,
    "professional_other_org": Relation.NONE,
    "supervisor": Relation.SUPERVISOR,
    "supervisor_unassigned": Relation.NONE,
    "coordinator": Relation.COORDINATOR,
    "coordinator_other_org": Relation.NONE,
    "administrator": Relation.ADMINISTRATOR,
}

# Who may do what to the professional's things. Anything not listed must be refused.
ALLOWED = {
    "professional": {Action.VIEW, Action.PLAY, Action.CHANGE},
    "supervisor": {Action.VIEW, Action.PLAY, Action.FEEDBACK},
    "coordinator": {Action.VIEW, Action.MANAGE},
    "administrator": {Action.VIEW, Action.MANAGE},
}


@pytest.mark.parametrize("persona", EXPECTED_RELATION)
def test_relation_of_each_persona_to_the_professional(cast, persona):
    assert relation_to(cast[persona], cast["professional"]) is EXPECTED_RELATION[persona]


@pytest.mark.parametrize("persona", EXPECTED_RELATION)
@pytest.mark.parametrize("action", list(Action))
def test_check_allows_exactly_the_table_and_hides_from_outsiders(cast, persona, action):
    owner = cast["professional"]
    if action in ALLOWED.get(persona, set()):
        assert check(cast[persona], owner, action) is EXPECTED_RELATION[persona]
    elif EXPECTED_RELATION[persona] is Relation.NONE:
        with pytest.raises(Http404):
            check(cast[persona], owner, action)
    else:
        with pytest.raises(PermissionDenied):
            check(cast[persona], owner, action)


def test_administrator_plays_video_only_with_a_current_grant(professional, administrator):
    with pytest.raises(PermissionDenied):
        check(administrator, professional, Action.PLAY)
    grant = grant_video(administrator)
    assert check(administrator, professional, Action.PLAY) is Relation.ADMINISTRATOR
    VideoGrant.objects.filter(pk=grant.pk).update(ends_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(PermissionDenied):
        check(administrator, professional, Action.PLAY)


def test_ended_assignment_no_longer_counts(professional, supervisor):
    SupervisorAssignment.objects.filter(supervisor=supervisor).update(
        ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert relation_to(supervisor, professional) is Relation.NONE


def test_future_assignment_does_not_count_yet(professional, supervisor_unassigned):
    SupervisorAssignment.objects.create(
        supervisor=supervisor_unassigned,
        trainee=professional,
        starts_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    assert relation_to(supervisor_unassigned, professional) is Relation.NONE


def test_inactive_user_has_no_relation_even_to_themself(professional):
    professional.is_active = False
    assert relation_to(professional, professional) is Relation.NONE


def test_visible_professionals_per_persona(cast, django_assert_num_queries):
    expected = {
        "professional": {"professional"},
        "colleague": {"colleague"},
        "supervisor": {"professional"},
        "supervisor_unassigned": set(),
        "coordinator": {"professional", "colleague"},
        "coordinator_other_org": {"professional_other_org"},
        "administrator": {"professional", "colleague", "professional_other_org"},
    }
    for persona, names in expected.items():
        with django_assert_num_queries(1):
            visible = set(visible_professionals(cast[persona]))
        assert visible == {cast[name] for name in names}, persona
