"""Recording fixtures shared by the recordings tests (rec-domain and rec-pipeline).

``make_recording(professional, **fields)`` creates consent + recording rows without files;
``stored_recording`` adds an original and high/low/poster renditions with small known bytes in storage.
The playback and segment tests share ``owner_client`` and the helpers for the links they are handed.
"""

import time
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import StreamingHttpResponse
from django.test import Client

from families.models import Family
from organisations.models import User
from recordings.models import Recording, Rendition, VibCycle
from tests.families.factories import family_of

FAMILY_CODE = "FAM-0042"


def make_family(professional: User, code: str = FAMILY_CODE, **fields: object) -> Family:
    """The professional's family ``code`` with a consent for VIB supervision (``fields`` override it)."""
    return family_of(professional, code, **fields)


def create_recording(professional: User, family: Family | None = None, **fields: object) -> Recording:
    family = family or make_family(professional)
    if "cycle" not in fields:
        fields["cycle"] = VibCycle.objects.create(professional=professional, family=family)
    return Recording.objects.create(professional=professional, family=family, **fields)


def store_bytes(recording: Recording, ext: str, content: bytes) -> str:
    key = f"recordings/{recording.storage_prefix}/{uuid.uuid4().hex}.{ext}"
    return default_storage.save(key, ContentFile(content))


# Bytes 0..255 repeated: any slice of it says where it came from, which Range tests rely on.
VIDEO_BYTES = bytes(range(256)) * 40


def add_files(recording: Recording) -> Recording:
    """Give ``recording`` an original and done high/low/poster renditions in storage; mark it ready."""
    recording.original_key = store_bytes(recording, "mov", b"original-" + VIDEO_BYTES)
    recording.original_size = len(VIDEO_BYTES) + 9
    recording.status = Recording.Status.READY
    recording.progress = 100
    recording.save()
    for kind, ext, content in [
        (Rendition.Kind.HIGH, "mp4", VIDEO_BYTES),
        (Rendition.Kind.LOW, "mp4", VIDEO_BYTES[:1000]),
        (Rendition.Kind.POSTER, "jpg", b"\xff\xd8poster"),
    ]:
        key = store_bytes(recording, ext, content)
        Rendition.objects.create(
            recording=recording, kind=kind, key=key, size=len(content), status=Rendition.Status.DONE
        )
    return recording


@pytest.fixture
def make_recording(db) -> Callable[..., Recording]:
    return create_recording


@pytest.fixture
def recording(professional) -> Recording:
    return create_recording(professional)


@pytest.fixture
def stored_recording(professional) -> Recording:
    return add_files(create_recording(professional))


@pytest.fixture
def owner_client(client_for: Callable[[User | None], Client], professional: User) -> Client:
    return client_for(professional)


def path_of(url: str) -> str:
    """The path of a playback link (local links are absolute), for the test client."""
    return urlsplit(url).path


def streamed(response: StreamingHttpResponse) -> bytes:
    """The body of a streamed (whole or ranged) file response."""
    return b"".join(response.streaming_content)


class _PastSigner(signing.TimestampSigner):
    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - 301)


def expired_stream_token(payload: dict[str, object]) -> str:
    """A local playback token signed just over five minutes ago (``payload`` as ``playback.stream_token``)."""
    return _PastSigner(salt="recordings.playback").sign_object(payload)


def enrol_on_vib(professional: User) -> None:
    """An open VIB enrolment: the VIB gate lets only enrolled professionals make training films."""
    from importlib import import_module

    from django.apps import apps

    from courses.models import CourseVersion, Enrolment

    import_module("courses.migrations.0002_curricula").ship_curricula(apps, None)
    version = CourseVersion.objects.get(course__code="vib", is_current=True)
    Enrolment.objects.get_or_create(professional=professional, version=version)


@pytest.fixture
def professional(professional: User) -> User:
    """The persona, enrolled on VIB (most recordings tests make training films)."""
    enrol_on_vib(professional)
    return professional
