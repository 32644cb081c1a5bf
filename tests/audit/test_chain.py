"""The access log is a hash chain: a direct edit in the database is found, and names the first broken line."""

import sqlite3
import threading
from importlib import import_module
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from audit.chain import GENESIS, chain_verify
from audit.models import AccessLogEntry, ChainHead
from audit.outcome import ActionCode, Decision, Outcome
from audit.services import access_log_record


def line(user, number: int) -> AccessLogEntry:
    return access_log_record(
        request_or_none=None,
        user=user,
        action=ActionCode.READ,
        object_type="recording",
        object_id=str(number),
        organisation_id=None,
        family_code="FAM-1",
        outcome=Outcome(decision=Decision.GRANTED, details={"n": number}),
    )


def verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def edit_behind_the_applications_back(sql: str, params: list) -> None:
    """What a database superuser could do: bypass the append-only trigger and change a line."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER audit_accesslogentry_no_update")
            cursor.execute("DROP TRIGGER audit_accesslogentry_no_delete")
            cursor.execute(sql, params)


def test_each_line_chains_onto_the_previous_one(professional):
    first, second = line(professional, 1), line(professional, 2)
    assert first.previous_hash == GENESIS
    assert second.previous_hash == first.entry_hash
    assert len(second.entry_hash) == 64
    assert "intact (2 lines)" in verify()


def test_a_direct_edit_of_a_line_is_found_and_named(professional):
    lines = [line(professional, number) for number in range(3)]
    edit_behind_the_applications_back(
        "UPDATE audit_accesslogentry SET user_name = %s WHERE id = %s", ["Someone Else", lines[1].pk]
    )
    with pytest.raises(CommandError, match=f"line {lines[1].pk}: its content was changed"):
        verify()


def test_a_line_removed_from_the_middle_is_found(professional):
    lines = [line(professional, number) for number in range(3)]
    edit_behind_the_applications_back("DELETE FROM audit_accesslogentry WHERE id = %s", [lines[1].pk])
    broken = chain_verify()
    assert broken is not None and broken.entry_id == lines[2].pk


def test_lines_cut_off_the_end_are_found(professional):
    lines = [line(professional, number) for number in range(3)]
    edit_behind_the_applications_back("DELETE FROM audit_accesslogentry WHERE id = %s", [lines[2].pk])
    with pytest.raises(CommandError, match="the end of the log"):
        verify()


def test_an_empty_log_is_intact(db):
    assert "intact (0 lines)" in verify()


def test_the_sqlite_triggers_refuse_changes_and_gaps_on_a_real_sqlite_database(db):
    # Runs whatever the test database is: the trigger SQL of the migration on an SQLite database of its own.
    triggers = import_module("audit.migrations.0004_sqlite_append_only_triggers")
    database = sqlite3.connect(":memory:")
    database.execute("CREATE TABLE audit_accesslogentry (id INTEGER PRIMARY KEY, role TEXT)")
    database.executemany("INSERT INTO audit_accesslogentry (role) VALUES (?)", [("a",), ("b",), ("c",)])
    for statement in triggers.CREATE:
        database.execute(statement)
    for sql in [
        "UPDATE audit_accesslogentry SET role = 'x'",
        "DELETE FROM audit_accesslogentry WHERE id = 2",
    ]:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            database.execute(sql)
    database.execute("DELETE FROM audit_accesslogentry WHERE id = 1")  # purging from the start is allowed
    assert database.execute("SELECT id FROM audit_accesslogentry").fetchall() == [(2,), (3,)]


# On the embedded default, also prove that the migration installed the triggers on the test database itself
# (defined only there, so a PostgreSQL run has nothing to skip).
if connection.vendor == "sqlite":

    def test_sqlite_refuses_to_change_a_line_or_remove_one_from_the_middle(professional):
        lines = [line(professional, number) for number in range(3)]
        for sql in [
            "UPDATE audit_accesslogentry SET role = 'x'",
            "DELETE FROM audit_accesslogentry WHERE id = %s",
        ]:
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                connection.cursor().execute(sql, [lines[1].pk] if "%s" in sql else [])
        assert AccessLogEntry.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_unbroken_chain(professional):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database")
    errors: list[BaseException] = []

    def append_many(offset: int) -> None:
        try:
            for number in range(15):
                line(professional, offset + number)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append_many, args=(offset,)) for offset in (0, 100, 200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AccessLogEntry.objects.count() == 45 == ChainHead.objects.get().length
    assert chain_verify() is None
