import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from organisations.models import User
from recordings.export import ExportError, recording_export
from recordings.models import Recording


class Command(BaseCommand):
    help = (
        "Write a recording's original and every rendition (high.mp4, low.mp4, poster.jpg, ...) into DIR for "
        "a parent's data-subject access request. The export is written to the access log (action E)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("recording_id", metavar="ID")
        parser.add_argument("directory", metavar="DIR", type=Path)
        parser.add_argument(
            "--by", metavar="EMAIL", help="the administrator handling the request (named in the access log)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        recording_id = _uuid(options["recording_id"])
        recording = None
        if recording_id is not None:
            recording = Recording.objects.select_related("family").filter(pk=recording_id).first()
        if recording is None:
            raise CommandError("No recording with that id.")
        by = None
        if options["by"]:
            by = User.objects.filter(email__iexact=options["by"], is_active=True).first()
            if by is None:
                raise CommandError("No active user with that e-mail address.")
        try:
            exported = recording_export(recording=recording, folder=options["directory"], by=by)
        except ExportError as error:
            raise CommandError(str(error)) from error
        for path in exported.files:
            self.stdout.write(str(path))


def _uuid(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None
