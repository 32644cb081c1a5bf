"""Demo data: the trainee's films, processed on the spot so the player works at once.

Two VIB cycles: family DEMO-0001 has only its home-visit film (an incomplete cycle: its checklist shows
the missing nabespreking), family DEMO-0002 has a home-visit film and its nabespreking (completed in the
annotations demo).
"""

from __future__ import annotations

import datetime
import logging
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from families.models import ConsentPurpose, GivenBy
from families.services import recording_create_with_consent
from recordings.models import Recording
from recordings.pipeline import recording_process

logger = logging.getLogger(__name__)
DEMO_FAMILY_CODE = "DEMO-0001"
COMPLETE_FAMILY_CODE = "DEMO-0002"


def _make_clip(path: Path) -> None:
    """A 4-second test picture with a tone: no real family is ever filmed for the demo."""
    subprocess.run(  # noqa: S603 (fixed arguments)
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=640x360:rate=25:duration=4",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=4",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            "-movflags",
            "+faststart",
            str(path),
        ],  # fmt: skip
        check=True,
        timeout=120,
    )


def _process(recording: Recording) -> None:
    recording_process(recording_id=str(recording.pk))


def seed(people: Any) -> Recording:
    """Idempotent: a second run finds the demo families and changes nothing."""
    first = _film(people.trainee, DEMO_FAMILY_CODE, Recording.Kind.HOME_VISIT, None)
    home = _film(people.trainee, COMPLETE_FAMILY_CODE, Recording.Kind.HOME_VISIT, None)
    _film(people.trainee, COMPLETE_FAMILY_CODE, Recording.Kind.REVIEW_CONVERSATION, home)
    return first


def _film(trainee: Any, family_code: str, kind: str, home: Recording | None) -> Recording:
    existing = Recording.objects.filter(professional=trainee, family__code=family_code, kind=kind).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    recording = recording_create_with_consent(
        professional=trainee,
        family_code=family_code,
        # The nabespreking joins its home visit's family, whose consent is already recorded.
        given_by="" if home is not None else GivenBy.PARENTS,
        # The parents agreed to supervision and to showing the film in the trainee's group supervision.
        purposes=[ConsentPurpose.VIB_SUPERVISION, ConsentPurpose.GROUP_SUPERVISION],
        given_on=today,
        valid_until=today + datetime.timedelta(days=365),
        kind=kind,
        purpose=Recording.Purpose.TRAINING,
        cycle=home.cycle if home is not None else None,
    )
    with tempfile.TemporaryDirectory(prefix="demo-clip-") as folder:
        clip = Path(folder) / "clip.mp4"
        _make_clip(clip)
        with clip.open("rb") as handle:
            key = default_storage.save(
                f"recordings/{recording.storage_prefix}/{uuid.uuid4().hex}.mp4", File(handle)
            )
        recording.original_key = key
        recording.original_size = clip.stat().st_size
    recording.status = Recording.Status.PROCESSING
    recording.save(update_fields=["original_key", "original_size", "status"])
    _process(recording)
    recording.refresh_from_db()
    return recording
