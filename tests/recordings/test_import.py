"""manage.py import_recording: an existing film through the same pipeline as an upload."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from families.models import Consent, GivenBy
from recordings.models import Recording
from tests.recordings.fixtures_media import *  # noqa: F403
from tests.recordings.fixtures_media import stored_keys

pytestmark = pytest.mark.django_db


def import_film(path, *extra: str, email: str = "petra@noord.example", family: str = "FAM-0007") -> list[str]:
    until = (timezone.localdate() + datetime.timedelta(days=365)).isoformat()
    out = io.StringIO()
    call_command(
        "import_recording",
        str(path),
        "--professional",
        email,
        "--family",
        family,
        "--consent-until",
        until,
        *extra,
        stdout=out,
    )
    return out.getvalue().split()


def test_with_wait_the_film_is_processed_here_and_the_final_state_printed(professional, video_fixtures):
    lines = import_film(video_fixtures["portrait_rotated_h264.mp4"].path, "--wait")

    recording = Recording.objects.get(pk=lines[0])
    assert lines[1:] == ["ready"]
    assert recording.status == Recording.Status.READY
    assert recording.professional == professional
    assert recording.family.code == "FAM-0007"
    assert recording.family.consents.get().given_by == GivenBy.PARENTS
    assert (recording.width, recording.height) == (360, 640)
    assert recording.renditions.filter(status="done").count() == 5


def test_without_wait_the_film_is_stored_under_a_random_key_and_left_for_the_worker(
    professional, video_fixtures
):
    path = video_fixtures["landscape_h264_aac.mp4"].path

    lines = import_film(path)

    recording = Recording.objects.get(pk=lines[0])
    assert len(lines) == 1
    assert recording.status == Recording.Status.PROCESSING
    assert recording.original_size == path.stat().st_size
    assert stored_keys(recording) == [recording.original_key]
    assert "landscape" not in recording.original_key
    assert recording.original_key.rsplit("/", 1)[-1] != path.name


def test_a_rejected_film_prints_the_reason_exits_non_zero_and_keeps_no_bytes(professional, video_fixtures):
    out = io.StringIO()
    until = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()

    with pytest.raises(CommandError, match="alleen geluid"):
        call_command(
            "import_recording",
            str(video_fixtures["audio_only.m4a"].path),
            "--professional=petra@noord.example",
            "--family=FAM-0008",
            f"--consent-until={until}",
            "--wait",
            stdout=out,
        )

    recording_id, state = out.getvalue().split()
    recording = Recording.objects.get(pk=recording_id)
    assert state == "rejected"
    assert recording.status == Recording.Status.REJECTED
    assert stored_keys(recording) == []


def test_an_unknown_professional_is_refused_and_nothing_is_created(professional, video_fixtures):
    with pytest.raises(CommandError, match="professional"):
        import_film(video_fixtures["no_audio.mp4"].path, email="nobody@noord.example")

    assert not Recording.objects.exists()


def test_someone_who_is_not_a_professional_cannot_import(coordinator, video_fixtures):
    with pytest.raises(CommandError, match="professional"):
        import_film(video_fixtures["no_audio.mp4"].path, email=coordinator.email)


def test_a_citizen_service_number_as_family_code_is_refused_and_nothing_is_stored(
    professional, video_fixtures
):
    with pytest.raises(CommandError, match="family_code"):
        import_film(video_fixtures["no_audio.mp4"].path, family="123456782")

    assert not Recording.objects.exists()
    assert not Consent.objects.exists()


def test_a_malformed_date_is_refused(professional, video_fixtures):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command(
            "import_recording",
            str(video_fixtures["no_audio.mp4"].path),
            "--professional=petra@noord.example",
            "--family=FAM-0009",
            "--consent-until=31-12-2030",
        )


def test_a_missing_file_is_refused(professional, tmp_path):
    with pytest.raises(CommandError, match="not a file"):
        import_film(tmp_path / "missing.mp4")
