"""Give the application's database role its rights: everything on the tables, only INSERT/SELECT on the log.

Run by the migration (owner) role after every ``migrate`` (docker-compose's ``migrate`` service does), so
tables added by new migrations are reachable too. PostgreSQL only: SQLite has no roles.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from audit.roles import app_role_grant


class Command(BaseCommand):
    help = "Grant the application's database role its rights; the access log stays insert-and-read-only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the role the web and worker processes log in as")

    def handle(self, *args: Any, role: str, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Database roles exist on PostgreSQL only.")
        app_role_grant(role)
        self.stdout.write(f"{role}: read/write on the tables, INSERT and SELECT only on the access log.")
