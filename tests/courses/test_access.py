"""The access helpers and business rules that guard every write, beyond the per-view tests."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from courses import services
from courses.access import enrolment_for_user, evidence_for_user, overview_organisation_for_user
from courses.models import Requirement
from organisations.rules import Action, Relation
from tests.courses.conftest import requirement_of

Kind = Requirement.Kind


@pytest.mark.parametrize(
    ("persona", "action", "outcome"),
    [
        ("professional", Action.CHANGE, Relation.SELF),
        ("professional", Action.FEEDBACK, PermissionDenied),
        ("supervisor", Action.FEEDBACK, Relation.SUPERVISOR),
        ("supervisor", Action.CHANGE, PermissionDenied),
        ("coordinator", Action.VIEW, Relation.COORDINATOR),
        ("coordinator", Action.FEEDBACK, PermissionDenied),
        ("administrator", Action.VIEW, Relation.ADMINISTRATOR),
        ("supervisor_unassigned", Action.VIEW, Http404),
        ("coordinator_other_org", Action.VIEW, Http404),
        ("colleague", Action.VIEW, Http404),
    ],
)
def test_enrolment_for_user_follows_the_central_rules(request, dmop_enrolment, persona, action, outcome):
    user = request.getfixturevalue(persona)
    if isinstance(outcome, Relation):
        assert enrolment_for_user(user, dmop_enrolment.pk, action) == (dmop_enrolment, outcome)
    else:
        with pytest.raises(outcome):
            enrolment_for_user(user, dmop_enrolment.pk, action)


def test_evidence_for_user_hides_evidence_from_outsiders(dmop_enrolment, professional, supervisor, colleague):
    evidence = services.assignment_submit(
        enrolment=dmop_enrolment,
        requirement=requirement_of(dmop_enrolment, Kind.ASSIGNMENT),
        actor=professional,
        text="x",
    )
    assert evidence_for_user(supervisor, evidence.pk, Action.FEEDBACK) == evidence
    with pytest.raises(Http404):
        evidence_for_user(colleague, evidence.pk, Action.VIEW)
    with pytest.raises(PermissionDenied):
        evidence_for_user(professional, evidence.pk, Action.FEEDBACK)


def test_the_overview_organisation_is_the_coordinators_own_or_the_administrators_choice(
    coordinator, administrator, organisation, other_organisation, professional
):
    assert overview_organisation_for_user(coordinator, None) == organisation
    with pytest.raises(Http404):
        overview_organisation_for_user(coordinator, other_organisation.pk)
    assert overview_organisation_for_user(administrator, other_organisation.pk) == other_organisation
    assert overview_organisation_for_user(administrator, None) is None
    with pytest.raises(Http404):
        overview_organisation_for_user(administrator, 987654)
    with pytest.raises(Http404):
        overview_organisation_for_user(professional, None)


def test_a_withdrawn_enrolment_takes_no_new_evidence(dmop_enrolment, supervisor):
    services.enrolment_withdraw(enrolment=dmop_enrolment)
    assert dmop_enrolment.withdrawn_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.attendance_register(
            enrolment=dmop_enrolment,
            requirement=requirement_of(dmop_enrolment, Kind.TRAINING_DAY),
            actor=supervisor,
            occurred_on=timezone.localdate(),
        )
    with pytest.raises(ValidationError):
        services.enrolment_withdraw(enrolment=dmop_enrolment)
