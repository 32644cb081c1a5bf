"""PostgreSQL rights for the application role (see README, "Database roles").

The tables are owned by the migration role. The application role gets what the application needs, and on
the access log only INSERT and SELECT: it cannot change, delete or truncate lines, nor disable the
append-only trigger (only a table's owner can).
"""

from django.db import connection

LOG_TABLE = "audit_accesslogentry"


def app_role_grant(role: str) -> None:
    name = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {name}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}")
        cursor.execute(f"REVOKE ALL ON {LOG_TABLE} FROM {name}")
        cursor.execute(f"GRANT SELECT, INSERT ON {LOG_TABLE} TO {name}")
