"""In production the application's database role may only add and read access-log lines."""

import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit.models import AccessLogEntry
from audit.outcome import ActionCode, Decision, Outcome
from audit.services import access_log_record

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's")


@pytest.fixture
def app_role(db):
    """A fresh application role (rolled back with the test), given its rights as docker-compose does."""
    role = f"vib_app_test_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOSUPERUSER NOLOGIN")
    call_command("audit_grant_app_role", role, stdout=StringIO())
    return role


def as_role(role: str, sql: str, params: tuple = ()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {role}")
        cursor.execute(sql, params)


def test_the_app_role_adds_and_reads_lines_but_cannot_change_delete_or_truncate_them(app_role, professional):
    access_log_record(
        request_or_none=None,
        user=professional,
        action=ActionCode.READ,
        object_type="recording",
        object_id="1",
        organisation_id=None,
        outcome=Outcome(decision=Decision.GRANTED),
    )
    as_role(app_role, "SELECT count(*) FROM audit_accesslogentry")
    as_role(
        app_role,
        "INSERT INTO audit_accesslogentry (timestamp, action_code, user_name, role, access_point, family_code,"
        " object_type, object_id, outcome, recording_id, previous_hash, entry_hash)"
        " VALUES (now(), 'R', '', '', '', '', 'x', '1', '{}', '', '', '')",
    )
    for sql in [
        "UPDATE audit_accesslogentry SET role = 'x'",
        "DELETE FROM audit_accesslogentry",
        "TRUNCATE audit_accesslogentry",
        "ALTER TABLE audit_accesslogentry DISABLE TRIGGER audit_accesslogentry_append_only",
    ]:
        with pytest.raises(DatabaseError, match="permission denied|must be owner"):
            as_role(app_role, sql)
    assert AccessLogEntry.objects.count() == 2


def test_the_app_role_still_reads_and_writes_the_other_tables(app_role, professional):
    as_role(app_role, "UPDATE organisations_user SET full_name = 'Petra' WHERE id = %s", (professional.pk,))
    as_role(app_role, "SELECT count(*) FROM recordings_recording")
