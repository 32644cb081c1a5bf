"""The embedded setup (SQLite, file storage, file-system broker) under a scratch folder, for the benchmarks
that run the project in their own process, and the rows they start from."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent

if TYPE_CHECKING:
    from organisations.models import User
    from recordings.models import Recording


def setup_django(data_dir: Path, *, eager: bool = False) -> None:
    for name in ("REDIS_URL", "DATABASE_URL", "S3_BUCKET"):
        os.environ.pop(name, None)  # nothing shared with other processes on this machine
    os.environ["DATA_DIR"] = str(data_dir)
    if eager:
        os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"  # a segment chord runs in this process
    os.environ["DJANGO_SETTINGS_MODULE"] = "vibplatform.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def professional_with_recording() -> tuple[User, Recording]:
    """A professional, a family with consent for VIB supervision and a recording awaiting its film."""
    from families.models import Consent, Family
    from organisations.models import Organisation, User
    from recordings.models import Recording

    organisation = Organisation.objects.create(name="Bench JGZ")
    professional = User.objects.create_user(
        email="bench@example.org",
        password=None,
        full_name="Bench",
        organisation=organisation,
        is_professional=True,
    )
    today = datetime.date.today()
    family = Family.objects.create(organisation=organisation, code="BENCH-1")
    Consent.objects.create(
        family=family,
        purpose="vib_supervision",
        given_by="parents",
        given_on=today,
        valid_until=today + datetime.timedelta(days=30),
        recorded_by=professional,
    )
    return professional, Recording.objects.create(professional=professional, family=family)
