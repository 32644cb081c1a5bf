"""Pipeline test helpers: an uploaded recording of a fixture file, what storage holds, a scratch folder.

The video files themselves come from ``tests.video.fixtures`` (re-exported here). Import into a test
module with ``from tests.recordings.fixtures_media import *  # noqa: F403``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings

from recordings.models import Recording
from recordings.pipeline import recording_process
from recordings.services import recording_attach_original
from tests.recordings.conftest import create_recording
from tests.s3_server import s3_server, s3_storage  # noqa: F401  (re-exported to the test modules)
from tests.video.fixtures import *  # noqa: F403  (the session fixtures, re-exported)
from tests.video.fixtures import (  # noqa: F401
    GPS_LOCATION,
    VideoFixture,
    ffmpeg_run,
    ffprobe_json,
    personal_tags,
)


def stored_recording_of(professional: Any, path: Path) -> Recording:
    """A recording whose upload of ``path`` just completed (status "processing", original in storage)."""
    recording = create_recording(professional)
    key = f"recordings/{recording.storage_prefix}/{uuid.uuid4().hex}"
    with open(path, "rb") as file:
        key = default_storage.save(key, file)
    recording_attach_original(recording=recording, key=key, size=path.stat().st_size)
    return recording


def stored_keys(recording: Recording) -> list[str]:
    """Every object in the recording's storage folder."""
    folder = f"recordings/{recording.storage_prefix}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    return sorted(f"{folder}/{name}" for name in files)


@pytest.fixture
def isolated_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point ``tempfile`` at a folder of this test, so leftovers of the pipeline can be counted."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    with override_settings(RECORDING_WORK_DIR=str(folder)):
        yield folder


def process(recording: Recording) -> Recording:
    """Run the pipeline on the recording in this process; the recording as it then is."""
    recording_process(recording_id=str(recording.pk))
    recording.refresh_from_db()
    return recording


def local_copy(key: str, folder: Path) -> Path:
    """A stored object copied into ``folder``, to probe it with ffmpeg."""
    path = folder / key.rsplit("/", 1)[-1]
    with default_storage.open(key, "rb") as stored:
        path.write_bytes(stored.read())
    return path
