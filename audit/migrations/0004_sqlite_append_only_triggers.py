"""On SQLite too the database refuses to change access-log lines or to remove one from the middle.

SQLite has no roles, so triggers are all there is. UPDATE is always refused. DELETE is refused except for the
oldest line: purging from the start is what a retention clean-up (and a test database flush) does, and the
hash chain's verification still reports it; a line removed from the middle, which would hide one access, is
refused. The chain head (audit_chainhead) is not protected here: verification compares it with the lines.
"""

from django.db import migrations

CREATE = [
    """
    CREATE TRIGGER audit_accesslogentry_no_update BEFORE UPDATE ON audit_accesslogentry
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END
    """,
    """
    CREATE TRIGGER audit_accesslogentry_no_delete BEFORE DELETE ON audit_accesslogentry
    WHEN OLD.id > (SELECT MIN(id) FROM audit_accesslogentry)
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END
    """,
]
DROP = [
    "DROP TRIGGER IF EXISTS audit_accesslogentry_no_update",
    "DROP TRIGGER IF EXISTS audit_accesslogentry_no_delete",
]


def _run(statements: list[str]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_access_log_chain_and_organisation")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
