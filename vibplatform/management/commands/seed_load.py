"""A large data set for the load benchmark (bench/load.py), written with bulk inserts.

10 organisations, 1,000 professionals, their enrolments, 5,000 recordings' metadata with renditions and
100,000 annotations. The films themselves are not stored: the measured pages and API serve metadata
and signed links, never video bytes. Refuses to run twice into the same database.
"""

import datetime
import itertools
import random
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from annotations.models import Annotation, Category
from courses.models import CourseVersion, Enrolment
from families.models import Consent, ConsentPurpose, Family, GivenBy
from organisations.models import Licence, Organisation, SupervisorAssignment, User
from recordings.models import Recording, Rendition

LOAD_DOMAIN = "load.vibplatform.localhost"
LOAD_PASSWORD = "load-test-password-2026"  # noqa: S105 (bench data only)
BATCH = 2000


class Command(BaseCommand):
    help = "Seed the large benchmark data set (bench/load.py). Not for production databases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisations", type=int, default=10)
        parser.add_argument("--professionals", type=int, default=1000)
        parser.add_argument("--recordings", type=int, default=5000)
        parser.add_argument("--annotations", type=int, default=100_000)

    def handle(self, *args: object, **options: int) -> None:
        if User.objects.filter(email__endswith="@" + LOAD_DOMAIN).exists():
            raise CommandError("The load data set is already there.")
        random.seed(7)
        with transaction.atomic():
            organisations = self._organisations(options["organisations"])
            professionals = self._professionals(organisations, options["professionals"])
            self._staff(organisations, professionals)
            self._enrolments(professionals)
            recordings = self._recordings(professionals, options["recordings"])
            self._annotations(recordings, options["annotations"])
        self.stdout.write(
            f"seeded {len(organisations)} organisations, {len(professionals)} professionals, "
            f"{len(recordings)} recordings, {Annotation.objects.count()} annotations"
        )

    def _organisations(self, count: int) -> list[Organisation]:
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"JGZ Belasting {i + 1}") for i in range(count)
        )
        Licence.objects.bulk_create(
            Licence(organisation=o, starts_on=datetime.date(2025, 1, 1), size_class=Licence.SizeClass.MEDIUM)
            for o in organisations
        )
        return organisations

    def _people(self, rows: list[dict[str, Any]]) -> list[User]:
        password = make_password(LOAD_PASSWORD)
        return User.objects.bulk_create((User(password=password, **row) for row in rows), batch_size=BATCH)

    def _professionals(self, organisations: list[Organisation], count: int) -> list[User]:
        rows = [
            {
                "email": f"prof{i}@{LOAD_DOMAIN}",
                "full_name": f"Professional {i}",
                "organisation": organisations[i % len(organisations)],
                "is_professional": True,
                "job_title": User.JobTitle.NURSE,
            }
            for i in range(count)
        ]
        return self._people(rows)

    def _staff(self, organisations: list[Organisation], professionals: list[User]) -> None:
        coordinators = self._people(
            [
                {
                    "email": f"coord{i}@{LOAD_DOMAIN}",
                    "full_name": f"Coordinator {i}",
                    "organisation": o,
                    "is_coordinator": True,
                }
                for i, o in enumerate(organisations)
            ]
        )
        supervisors = self._people(
            [
                {
                    "email": f"super{i}@{LOAD_DOMAIN}",
                    "full_name": f"Supervisor {i}",
                    "is_supervisor": True,
                    "supervisor_kind": User.SupervisorKind.BOTH,
                }
                for i in range(max(1, len(professionals) // 10))
            ]
        )
        TOTPDevice.objects.bulk_create(
            TOTPDevice(user=user, name="load", confirmed=True) for user in [*coordinators, *supervisors]
        )
        start = timezone.localdate() - datetime.timedelta(days=30)
        SupervisorAssignment.objects.bulk_create(
            (
                SupervisorAssignment(supervisor=supervisors[i % len(supervisors)], trainee=p, starts_on=start)
                for i, p in enumerate(professionals)
            ),
            batch_size=BATCH,
        )

    def _enrolments(self, professionals: list[User]) -> None:
        versions = list(CourseVersion.objects.filter(is_current=True))
        Enrolment.objects.bulk_create(
            (
                Enrolment(professional=p, version=v, cohort="2026", status=Enrolment.Status.IN_PROGRESS)
                for p, v in itertools.product(professionals, versions)
            ),
            batch_size=BATCH,
        )

    def _recordings(self, professionals: list[User], count: int) -> list[Recording]:
        today = timezone.localdate()
        families = Family.objects.bulk_create(
            (
                Family(organisation=professionals[i % len(professionals)].organisation, code=f"GEZ-{i:05d}")
                for i in range(count)
            ),
            batch_size=BATCH,
        )
        Consent.objects.bulk_create(
            (
                Consent(
                    family=family,
                    purpose=ConsentPurpose.VIB_SUPERVISION,
                    given_by=GivenBy.PARENTS,
                    given_on=today,
                    valid_until=today + datetime.timedelta(days=365),
                    recorded_by=professionals[i % len(professionals)],
                )
                for i, family in enumerate(families)
            ),
            batch_size=BATCH,
        )
        now = timezone.now()
        recordings = Recording.objects.bulk_create(
            (
                Recording(
                    professional=professionals[i % len(professionals)],
                    family=family,
                    status=Recording.Status.READY,
                    progress=100,
                    duration_ms=600_000,
                    width=1920,
                    height=1080,
                    has_audio=True,
                    original_key=f"recordings/load/{i}/original",
                    ready_at=now,
                )
                for i, family in enumerate(families)
            ),
            batch_size=BATCH,
        )
        Rendition.objects.bulk_create(
            (
                Rendition(recording=r, kind=kind, key=f"recordings/{r.storage_prefix}/{kind}", status="done")
                for r in recordings
                for kind in ("high", "low", "poster", "sprite", "thumbnails_vtt")
            ),
            batch_size=BATCH,
        )
        return recordings

    def _annotations(self, recordings: list[Recording], count: int) -> None:
        categories = list(
            Category.objects.filter(course_version__course__code="vib", course_version__is_current=True)
        )
        per_recording = max(1, count // len(recordings))
        Annotation.objects.bulk_create(
            (
                Annotation(
                    recording=r,
                    author_id=r.professional_id,
                    start_ms=n * (600_000 // per_recording),
                    category=random.choice(categories) if categories else None,
                    text=f"Moment {n}: ouder volgt het initiatief van het kind.",
                    kind=Annotation.Kind.ANALYSIS,
                )
                for r in recordings
                for n in range(per_recording)
            ),
            batch_size=BATCH,
        )
