"""`manage.py export_recording ID DIR`: a parent's data-subject access request, logged like a download."""

import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from audit.models import AccessLogEntry
from families.erasure import recording_erase
from tests.recordings.conftest import VIDEO_BYTES, add_files, create_recording, store_bytes


def tiny_mp4(tmp_path: Path) -> bytes:
    path = tmp_path / "clip.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=64x48:rate=5:duration=0.4",
            "-pix_fmt",
            "yuv420p",
            "-c:v",
            "libx264",
            "-y",
            str(path),
        ],
        check=True,
    )
    return path.read_bytes()


def export(recording, folder: Path, *extra: str) -> list[str]:
    out = StringIO()
    call_command("export_recording", str(recording.pk), str(folder), *extra, stdout=out)
    return out.getvalue().split()


def test_writes_the_original_and_every_rendition(professional, stored_recording, tmp_path):
    written = export(stored_recording, tmp_path / "request")
    folder = tmp_path / "request"
    assert sorted(path.name for path in folder.iterdir()) == [
        "high.mp4",
        "low.mp4",
        "original.bin",
        "poster.jpg",
    ]
    assert (folder / "high.mp4").read_bytes() == VIDEO_BYTES
    assert (folder / "original.bin").read_bytes() == b"original-" + VIDEO_BYTES
    assert len(written) == 4


def test_original_gets_the_extension_ffprobe_sees(professional, tmp_path):
    recording = add_files(create_recording(professional))
    recording.original_key = store_bytes(recording, "bin", tiny_mp4(tmp_path))
    recording.save()
    export(recording, tmp_path / "out")
    assert (tmp_path / "out" / "original.mp4").exists()


def test_export_writes_exactly_one_access_log_line(administrator, stored_recording, tmp_path):
    export(stored_recording, tmp_path / "out", "--by", administrator.email)
    entry = AccessLogEntry.objects.get()
    assert entry.action_code == "E"
    assert entry.user == administrator
    assert entry.access_point == "command-line"
    assert entry.family_code == stored_recording.family.code
    assert entry.object_id == str(stored_recording.pk)
    assert sorted(entry.outcome["details"]["files"]) == ["high.mp4", "low.mp4", "original.bin", "poster.jpg"]


def test_refuses_to_overwrite_an_earlier_export(stored_recording, tmp_path):
    export(stored_recording, tmp_path)
    with pytest.raises(CommandError, match="empty folder"):
        export(stored_recording, tmp_path)
    assert AccessLogEntry.objects.count() == 1


def test_deleted_recording_has_nothing_to_export(professional, stored_recording, tmp_path):
    recording_erase(recording=stored_recording, reason="consent_withdrawn", actor=professional)
    with pytest.raises(CommandError, match="deleted"):
        export(stored_recording, tmp_path)
    assert not AccessLogEntry.objects.filter(action_code="E").exists()


@pytest.mark.parametrize("bad_id", ["nope", "6f1c0d3e-0000-4000-8000-000000000000"])
def test_unknown_recording(db, tmp_path, bad_id):
    with pytest.raises(CommandError, match="No recording"):
        call_command("export_recording", bad_id, str(tmp_path))


def test_unknown_operator(stored_recording, tmp_path):
    with pytest.raises(CommandError, match="e-mail"):
        export(stored_recording, tmp_path, "--by", "nobody@example.org")
