"""Fixtures for the annotation workspace: a recording of the persona ``professional`` with the VIB vocabulary.

``recording`` has rows only (no files); ``playable_recording`` adds a tiny real H.264/AAC film made by
ffmpeg (2 s, 25 fps, a keyframe every second) as its high and low renditions, plus a sprite and a
WebVTT thumbnails track, all in the default storage.
"""

import importlib
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from annotations.models import Annotation, Category
from courses.models import Course, CourseVersion
from families.models import Family
from organisations.models import User
from recordings.models import Recording, Rendition, VibCycle
from tests.families.factories import family_of
from tests.s3_server import s3_server, s3_storage  # noqa: F401

FAMILY_CODE = "FAM-0042"
DURATION_MS = 60_000
FILM_MS = 2000


def make_family(professional: User) -> Family:
    return family_of(professional, FAMILY_CODE)


def create_recording(professional: User, **fields: object) -> Recording:
    values: dict[str, object] = {
        "professional": professional,
        "family": make_family(professional),
        "status": Recording.Status.READY,
        "duration_ms": DURATION_MS,
        "width": 160,
        "height": 120,
    } | fields
    if "cycle" not in values:
        values["cycle"] = VibCycle.objects.create(professional=professional)
    return Recording.objects.create(**values)


@pytest.fixture
def vib_categories(db) -> list[Category]:
    """The shipped vocabulary. Transactional (browser) tests flush the data migrations' rows, and other
    apps may put their curricula back afterwards, so ship the vocabulary again (idempotent)."""
    from django.apps import apps

    course, _created = Course.objects.get_or_create(code="vib", defaults={"name": "VIB-SamenStarten"})
    version = CourseVersion.objects.filter(course=course, is_current=True).first()
    if version is None:
        version = CourseVersion.objects.create(course=course, label="2025", is_current=True)
    importlib.import_module("annotations.migrations.0002_vib_categories").ship_vib_categories(apps, None)
    importlib.import_module(
        "annotations.migrations.0003_nabespreking_vocabulary_and_contact"
    ).ship_nabespreking_categories(apps, None)
    return list(Category.objects.filter(course_version=version, recording_kind="home_visit"))


@pytest.fixture
def category(vib_categories) -> Category:
    return vib_categories[0]


@pytest.fixture
def recording(professional) -> Recording:
    return create_recording(professional)


@pytest.fixture
def make_annotation(category) -> Callable[..., Annotation]:
    def _make(recording: Recording, author: User, **fields: object) -> Annotation:
        values: dict[str, object] = {
            "start_ms": 1000,
            "category": category,
            "text": "Moeder kijkt het kind aan",
            "kind": Annotation.Kind.ANALYSIS,
            "visibility": Annotation.Visibility.PUBLISHED,
        } | fields
        return Annotation.objects.create(recording=recording, author=author, **values)

    return _make


@pytest.fixture(scope="session")
def film_path(tmp_path_factory) -> Path:
    """A 2-second 160x120 H.264/AAC MP4 with a keyframe every second (25 frames)."""
    path = tmp_path_factory.mktemp("film") / "film.mp4"
    subprocess.run(
        [
            "ffmpeg", "-y", "-hide_banner", "-loglevel", "error",
            "-f", "lavfi", "-i", f"testsrc2=size=160x120:rate=25:duration={FILM_MS / 1000}",
            "-f", "lavfi", "-i", f"sine=frequency=440:duration={FILM_MS / 1000}",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0",
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-movflags", "+faststart", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


@pytest.fixture(scope="session")
def sprite_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("sprite") / "sprite.jpg"
    subprocess.run(
        ["ffmpeg", "-y", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
         "color=c=teal:size=160x60", "-frames:v", "1", str(path)],
        check=True,
    )  # fmt: skip
    return path.read_bytes()


def store(recording: Recording, ext: str, content: bytes) -> str:
    return default_storage.save(
        f"recordings/{recording.storage_prefix}/{uuid.uuid4().hex}.{ext}", ContentFile(content)
    )


@pytest.fixture
def playable_recording(professional, film_path, sprite_bytes) -> Recording:
    return make_playable(professional, film_path, sprite_bytes)


def make_playable(professional: User, film_path: Path, sprite_bytes: bytes) -> Recording:
    """A ready recording whose renditions are the fixture film, in whatever storage is active."""
    recording = create_recording(professional, duration_ms=FILM_MS)
    film = film_path.read_bytes()
    for kind in (Rendition.Kind.HIGH, Rendition.Kind.LOW):
        key = store(recording, "mp4", film)
        Rendition.objects.create(recording=recording, kind=kind, key=key, size=len(film), status="done")
    sprite_key = store(recording, "jpg", sprite_bytes)
    Rendition.objects.create(recording=recording, kind=Rendition.Kind.SPRITE, key=sprite_key, status="done")
    vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nsprite.jpg#xywh=0,0,80,60\n\n00:00:01.000 --> 00:00:02.000\nsprite.jpg#xywh=80,0,80,60\n"
    vtt_key = store(recording, "vtt", vtt.encode())
    Rendition.objects.create(
        recording=recording, kind=Rendition.Kind.THUMBNAILS_VTT, key=vtt_key, status="done"
    )
    return recording
