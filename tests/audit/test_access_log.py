"""The NEN 7513 access log: complete lines, append-only."""

import datetime

import pytest
from django.test import RequestFactory, override_settings

from audit.models import AccessLogEntry, AppendOnlyError
from audit.outcome import ActionCode, Decision, Outcome
from audit.services import access_log_record

SUPERVISED = Outcome(decision=Decision.GRANTED, relation="supervisor", consent="valid")


def record(user, **changes):
    values = {
        "request_or_none": None,
        "user": user,
        "action": ActionCode.READ,
        "object_type": "recording",
        "object_id": "abc",
        "organisation_id": None,
        "family_code": "FAM-1",
        "outcome": SUPERVISED,
    } | changes
    return access_log_record(**values)


def test_a_line_holds_every_nen_7513_field(supervisor, professional, organisation):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    entry = record(
        supervisor, request_or_none=request, responsible_user=professional, organisation_id=organisation.pk
    )
    entry.refresh_from_db()
    assert entry.action_code == "R"
    assert isinstance(entry.timestamp, datetime.datetime)
    assert "T" in entry.timestamp.isoformat()
    assert entry.user_id == supervisor.pk
    assert entry.user_name == supervisor.full_name
    assert entry.role == "supervisor"
    assert entry.responsible_user_id == professional.pk
    assert entry.access_point == "192.0.2.7"
    assert entry.organisation_id == organisation.pk
    assert entry.family_code == "FAM-1"
    assert (entry.object_type, entry.object_id) == ("recording", "abc")
    assert entry.outcome == {
        "decision": "granted",
        "relation": "supervisor",
        "consent": "valid",
        "grounds": "",
        "details": {},
    }
    assert entry.checks == SUPERVISED


def test_the_owner_acts_on_own_work_not_as_self(professional):
    entry = record(professional, outcome=Outcome(decision=Decision.GRANTED, relation="self"))
    assert entry.role == "owner"
    assert entry.role_display == "Eigen werk"


def test_without_a_request_the_access_point_is_the_command_line(professional):
    entry = record(professional, outcome=Outcome(decision=Decision.GRANTED))
    assert entry.access_point == "command-line"
    assert entry.role == "professional"
    assert entry.responsible_user_id == professional.pk


def test_system_actions_have_no_user(db):
    entry = record(None, action=ActionCode.DELETE, outcome=Outcome(Decision.GRANTED, details={"reason": "x"}))
    assert entry.user_id is None
    assert entry.role == "system"


def test_unknown_action_code_is_refused(professional):
    with pytest.raises(ValueError):
        record(professional, action="X")
    assert not AccessLogEntry.objects.exists()


def test_forwarded_address_only_behind_a_trusted_proxy(professional):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    assert record(professional, request_or_none=request).access_point == "10.0.0.1"
    with override_settings(AUDIT_TRUST_X_FORWARDED_FOR=True):
        assert record(professional, request_or_none=request).access_point == "198.51.100.4"


def test_lines_cannot_be_changed_or_deleted(professional):
    entry = record(professional)
    entry.role = "administrator"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(role="x")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()
    entry.refresh_from_db()
    assert entry.role == "supervisor"


def test_deleting_the_person_keeps_their_lines(professional, colleague):
    record(colleague)
    colleague_id = colleague.pk
    colleague.delete()
    entry = AccessLogEntry.objects.get()
    assert entry.user_id == colleague_id
    assert entry.user_name == "Jan"


def test_for_family_is_chronological_and_case_insensitive(professional, supervisor, organisation):
    first = record(professional, family_code="FAM-1", organisation_id=organisation.pk)
    record(professional, family_code="FAM-2", organisation_id=organisation.pk)
    second = record(supervisor, family_code="fam-1", organisation_id=organisation.pk)
    assert list(AccessLogEntry.objects.for_family(organisation.pk, "Fam-1")) == [first, second]


def test_the_same_family_code_in_two_organisations_is_two_families(
    professional, professional_other_org, organisation, other_organisation
):
    ours = record(professional, family_code="FAM-1", organisation_id=organisation.pk)
    theirs = record(professional_other_org, family_code="FAM-1", organisation_id=other_organisation.pk)
    assert list(AccessLogEntry.objects.for_family(organisation.pk, "FAM-1")) == [ours]
    assert list(AccessLogEntry.objects.for_family(other_organisation.pk, "FAM-1")) == [theirs]


def test_postgresql_refuses_raw_updates_and_deletes(professional):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the database trigger exists on PostgreSQL only")
    entry = record(professional)
    for sql in ["UPDATE audit_accesslogentry SET role = 'x'", "DELETE FROM audit_accesslogentry"]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    entry.refresh_from_db()
    assert entry.role == "supervisor"
