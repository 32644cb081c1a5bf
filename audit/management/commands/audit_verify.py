"""Verify the access log's hash chain: exit 0 when intact, else name the first broken line and exit 1."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.chain import chain_verify
from audit.models import AccessLogEntry


class Command(BaseCommand):
    help = "Verify the NEN 7513 access log's hash chain and name the first broken line."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = chain_verify()
        if broken is None:
            self.stdout.write(f"The access log is intact ({AccessLogEntry.objects.count()} lines).")
            return
        where = f"line {broken.entry_id}" if broken.entry_id is not None else "the end of the log"
        raise CommandError(f"The access log is broken at {where}: {broken.reason}.")
