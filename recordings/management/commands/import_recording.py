"""Import an existing film (organisations keep old VIB films on laptops) through the normal pipeline."""

from __future__ import annotations

import datetime
import time
import uuid
from argparse import ArgumentParser, ArgumentTypeError
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from families.models import GivenBy
from families.services import recording_create_with_consent
from organisations.models import User
from recordings.models import Recording
from recordings.pipeline import recording_process
from recordings.services import recording_attach_original


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = (
        "Import a film: records the family's consent, stores the file and processes it like an upload. "
        "Prints the recording's id; with --wait also the final state (exit code 1 when rejected)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the video file")
        parser.add_argument("--professional", required=True, help="e-mail address of the professional")
        parser.add_argument("--family", required=True, help="pseudonymous family code (never a name)")
        parser.add_argument("--consent-until", required=True, type=_date, help="end of consent, YYYY-MM-DD")
        parser.add_argument("--consent-given-on", type=_date, help="day consent was given (default: today)")
        parser.add_argument("--given-by", choices=GivenBy.values, default=GivenBy.PARENTS)
        parser.add_argument("--purpose", choices=Recording.Purpose.values, default=Recording.Purpose.TRAINING)
        parser.add_argument("--wait", action="store_true", help="process here and now, without a worker")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        professional = User.objects.filter(email__iexact=options["professional"], is_active=True).first()
        if professional is None or not professional.is_professional:
            raise CommandError("No active professional has that e-mail address")
        recording = self._import(path, professional, options)
        self.stdout.write(str(recording.pk))
        if options["wait"]:
            self._process(recording)

    def _import(self, path: Path, professional: User, options: dict[str, Any]) -> Recording:
        try:
            with transaction.atomic():
                recording = recording_create_with_consent(
                    professional=professional,
                    family_code=options["family"],
                    given_by=options["given_by"],
                    given_on=options["consent_given_on"] or timezone.localdate(),
                    valid_until=options["consent_until"],
                    kind=Recording.Kind.HOME_VISIT,
                    purpose=options["purpose"],
                )
                # Random key: the file's own name may carry the family's name.
                key = f"recordings/{recording.storage_prefix}/{uuid.uuid4().hex}"
                with open(path, "rb") as file:
                    key = default_storage.save(key, File(file, name=key))
                recording_attach_original(recording=recording, key=key, size=path.stat().st_size)
        except ValidationError as exc:
            messages = [f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items()]
            raise CommandError("; ".join(messages)) from exc
        return recording

    def _process(self, recording: Recording) -> None:
        # The queued task (if a worker ever runs it) finds the recording finished and does nothing; if
        # a worker got there first, wait for its attempt to end (or for its lease to run out).
        while recording_process(recording_id=str(recording.pk)) is not None:
            time.sleep(1)
        recording.refresh_from_db()
        if recording.status == Recording.Status.REJECTED:
            self.stdout.write(Recording.Status.REJECTED)
            raise CommandError(recording.rejection_reason)
        self.stdout.write(recording.status)
