"""Random bytes and truncated films with video extensions, sent through the real upload path (tus over
HTTP with tuspy, then the pipeline): every one is rejected with a Dutch reason and no stored byte is
left behind."""

import random
import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings

from recordings.models import Recording
from tests.uploads.conftest import make_recording

EXTENSIONS = ["mp4", "mov", "webm", "mkv", "avi", "m4v", "3gp", "mts"]


def _stored_under(prefix: str) -> list[str]:
    try:
        return default_storage.listdir(f"recordings/{prefix}")[1]
    except FileNotFoundError:
        return []


@pytest.fixture(scope="module")
def real_film(tmp_path_factory) -> bytes:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("film") / "film.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=3",
         "-f", "lavfi", "-i", "sine=duration=3", "-c:v", "libx264", "-preset", "veryfast", "-c:a", "aac",
         str(path)],
        check=True,
    )  # fmt: skip
    return path.read_bytes()


def _garbage(real_film: bytes) -> list[tuple[str, bytes]]:
    rng = random.Random(20261124)  # noqa: S311 (test data, fixed seed)
    samples = [(ext, rng.randbytes(rng.randint(1, 400_000))) for ext in EXTENSIONS]
    # Interrupted copies: the first part of a film whose index is at the end.
    samples += [("mp4", real_film[:cut]) for cut in (16, 4096, len(real_film) // 2)]
    return samples


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@override_settings(CELERY_TASK_ALWAYS_EAGER=True)
def test_every_garbage_file_is_rejected_in_dutch_and_leaves_nothing_stored(
    professional, tus_client_for, tmp_path, real_film, settings
):
    for number, (ext, content) in enumerate(_garbage(real_film)):
        recording = make_recording(professional)
        path = tmp_path / f"gezin-de-vries-{number}.{ext}"
        path.write_bytes(content)
        tus_client_for(professional, recording).uploader(str(path), chunk_size=256 * 1024).upload()

        recording.refresh_from_db()
        assert recording.status == Recording.Status.REJECTED, (ext, len(content))
        assert recording.rejection_reason, (ext, len(content))
        assert "de-vries" not in recording.original_key
        assert _stored_under(recording.storage_prefix) == [], (ext, len(content))
    # Nor any partial upload on the web server's disk.
    assert not any(Path(settings.DATA_DIR, "uploads").rglob("*"))
