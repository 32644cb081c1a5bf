"""Moving films between storage and the scratch folder: never a needless copy of a 0.6 GB film.

On a file-system storage (the embedded default) the pipeline reads the original where it is stored and
moves its outputs into storage; on S3 it downloads the original and uploads the outputs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from recordings.models import Recording, Rendition
from recordings.pipeline import Attempt, attempt_claim, original_local, recording_process
from recordings.storage import stored_from_scratch
from tests.recordings.fixtures_media import *  # noqa: F403
from tests.recordings.fixtures_media import stored_recording_of

CONTENT = b"a finished rendition " * 1000


def claimed(professional, path: Path) -> Attempt:
    attempt = attempt_claim(recording_id=str(stored_recording_of(professional, path).pk))
    assert isinstance(attempt, Attempt)
    return attempt


def scratch_file(name: str) -> Path:
    folder = Path(settings.RECORDING_WORK_DIR) / "test-scratch-io"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(CONTENT)
    return path


def test_an_original_on_disk_is_read_where_it_is_stored(professional, tmp_path):
    source = tmp_path / "film.mov"
    source.write_bytes(CONTENT)
    attempt = claimed(professional, source)

    original = original_local(attempt, attempt.scratch)

    assert original == Path(default_storage.path(attempt.recording.original_key))
    assert list(attempt.scratch.iterdir()) == []  # no copy made


def test_an_original_on_s3_is_downloaded_into_the_scratch_folder(professional, tmp_path, s3_storage):
    source = tmp_path / "film.mov"
    source.write_bytes(CONTENT)
    attempt = claimed(professional, source)

    original = original_local(attempt, attempt.scratch)

    assert original.parent == attempt.scratch
    assert original.read_bytes() == CONTENT


def test_a_finished_file_is_moved_into_a_storage_on_disk_not_copied():
    path = scratch_file("high.mp4")
    inode = path.stat().st_ino

    key = stored_from_scratch("recordings/test/high.mp4", path)

    stored = Path(default_storage.path(key))
    assert stored.read_bytes() == CONTENT
    assert stored.stat().st_ino == inode  # the same file, renamed
    assert not path.exists()
    default_storage.delete(key)


def test_a_finished_file_is_uploaded_to_s3(s3_storage):
    path = scratch_file("low.mp4")

    key = stored_from_scratch("recordings/test/low.mp4", path)

    with default_storage.open(key, "rb") as stored:
        assert stored.read() == CONTENT


@pytest.mark.parametrize(
    "film", ["portrait_rotated_h264.mp4", "browser_vp9_opus.webm"]
)  # copied; in segments
def test_a_film_processed_on_disk_keeps_its_original_and_stores_every_rendition(
    professional, video_fixtures, film
):
    """End to end on the embedded storage: the original is read in place, never moved or changed, and
    every rendition (poster and sprite made from files that are moved away afterwards) is stored."""
    recording = stored_recording_of(professional, video_fixtures[film].path)
    original = Path(default_storage.path(recording.original_key))
    before = original.read_bytes()

    recording_process(recording_id=str(recording.pk))

    recording.refresh_from_db()
    assert recording.status == Recording.Status.READY
    assert original.read_bytes() == before
    for rendition in recording.renditions.all():
        assert rendition.status == Rendition.Status.DONE
        assert os.path.getsize(default_storage.path(rendition.key)) == rendition.size > 0
