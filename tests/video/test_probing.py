"""recordings.video on its own: probing, validation, sizes, the thumbnails track, stall detection."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from recordings import video
from recordings.video import MediaRejected, Probe, RejectReason
from recordings.video.runner import run_together
from tests.video.fixtures import *  # noqa: F403
from tests.video.fixtures import VideoFixture

LIMITS = video.Limits(max_duration_seconds=7200, max_pixels=7680 * 4320)
SCRIPT_ACCEPTS = [
    "landscape_h264_aac.mp4",
    "portrait_rotated_h264.mp4",
    "phone_hevc.mov",
    "browser_vp9_opus.webm",
    "no_audio.mp4",
    "moov_at_end.mp4",
]
SCRIPT_REJECTS = ["audio_only.m4a", "not_a_video.mp4", "empty.mp4", "truncated.mp4"]
EXTRA_ACCEPTS = ["vfr.mp4", "camcorder.mts", "hdr_hevc.mov", "camera_mjpeg.avi", "gps_portrait.mov"]


def check(path: Path) -> Probe:
    info = video.probe(path)
    video.validate(info, LIMITS)
    return info


def test_the_test_lists_cover_every_file_of_the_fixture_script(video_fixtures):
    assert sorted(video_fixtures) == sorted(SCRIPT_ACCEPTS + SCRIPT_REJECTS)


@pytest.mark.parametrize("name", SCRIPT_ACCEPTS)
def test_accepted_fixture_probes_to_its_display_size_duration_and_audio(video_fixtures, name):
    fixture: VideoFixture = video_fixtures[name]
    assert fixture.expect == "accept"

    info = check(fixture.path)

    assert (info.display_width, info.display_height) == fixture.display
    assert info.duration == pytest.approx(fixture.duration, abs=0.05)
    assert info.has_audio is fixture.audio


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("audio_only.m4a", RejectReason.AUDIO_ONLY),
        ("not_a_video.mp4", RejectReason.UNREADABLE),
        ("empty.mp4", RejectReason.EMPTY),
        ("truncated.mp4", RejectReason.TRUNCATED),
    ],
)
def test_rejected_fixture_is_refused_with_its_reason(video_fixtures, name, reason):
    assert video_fixtures[name].expect == "reject"

    with pytest.raises(MediaRejected) as caught:
        check(video_fixtures[name].path)

    assert caught.value.reason == reason


@pytest.mark.parametrize("name", EXTRA_ACCEPTS)
def test_camera_hdr_and_variable_frame_rate_files_are_accepted(extra_videos, name):
    info = check(extra_videos[name].path)

    assert (info.display_width, info.display_height) == extra_videos[name].display


@pytest.mark.parametrize("name", ["photo.png", "photo.jpg"])
def test_a_photo_is_refused_as_an_image(extra_videos, name):
    with pytest.raises(MediaRejected) as caught:
        check(extra_videos[name].path)

    assert caught.value.reason == RejectReason.IMAGE


def test_hdr_and_start_time_are_read_from_the_probe(extra_videos):
    assert video.probe(extra_videos["hdr_hevc.mov"].path).is_hdr
    assert video.probe(extra_videos["camcorder.mts"].path).start_time > 1.0
    assert not video.probe(extra_videos["vfr.mp4"].path).is_hdr


def test_a_film_longer_than_the_limit_is_refused(video_fixtures):
    info = video.probe(video_fixtures["landscape_h264_aac.mp4"].path)

    with pytest.raises(MediaRejected) as caught:
        video.validate(info, video.Limits(max_duration_seconds=3, max_pixels=LIMITS.max_pixels))

    assert caught.value.reason == RejectReason.TOO_LONG


def test_a_picture_larger_than_the_limit_is_refused(video_fixtures):
    info = video.probe(video_fixtures["landscape_h264_aac.mp4"].path)
    video.validate(info, video.Limits(max_duration_seconds=60, max_pixels=640 * 360))

    with pytest.raises(MediaRejected) as caught:
        video.validate(info, video.Limits(max_duration_seconds=60, max_pixels=640 * 360 - 1))

    assert caught.value.reason == RejectReason.TOO_LARGE


@pytest.mark.parametrize(
    ("name", "rendition", "encode_audio"),
    [
        ("landscape_h264_aac.mp4", "high", False),
        ("moov_at_end.mp4", "high", False),
        ("no_audio.mp4", "high", False),
        ("portrait_rotated_h264.mp4", "high", False),  # the display matrix survives the copy
        ("phone_hevc.mov", "hevc", False),
        ("browser_vp9_opus.webm", None, None),
    ],
)
def test_browser_playable_pictures_take_a_fast_path(video_fixtures, name, rendition, encode_audio):
    plan = video.stream_copy_plan(video.probe(video_fixtures[name].path))
    assert ((plan.rendition, plan.encode_audio) if plan else (None, None)) == (rendition, encode_audio)


@pytest.mark.parametrize(
    ("name", "rendition"),
    [("camcorder.mts", None), ("vfr.mp4", "high"), ("hdr_hevc.mov", "hevc"), ("camera_mjpeg.avi", None)],
)
def test_mpeg2_and_mjpeg_are_encoded_and_hdr_hevc_is_copied(extra_videos, name, rendition):
    plan = video.stream_copy_plan(video.probe(extra_videos[name].path))
    assert (plan.rendition if plan else None) == rendition


def test_hdr_h264_interlaced_large_and_anamorphic_pictures_never_take_the_fast_path():
    plain = _probe(1920, 1080)
    assert video.stream_copy_plan(plain) == video.StreamCopy(rendition="high", encode_audio=False)
    assert video.stream_copy_plan(Probe(**{**plain.__dict__, "color_transfer": "smpte2084"})) is None
    assert video.stream_copy_plan(Probe(**{**plain.__dict__, "field_order": "tt"})) is None
    assert video.stream_copy_plan(Probe(**{**plain.__dict__, "sample_aspect": 4 / 3})) is None
    assert video.stream_copy_plan(Probe(**{**plain.__dict__, "format_name": "matroska,webm"})) is None
    assert video.stream_copy_plan(_probe(3840, 2160)) is None


def test_sound_other_than_aac_is_encoded_and_hevc_needs_its_codecs_string():
    plain = _probe(1920, 1080)
    ac3 = Probe(**{**plain.__dict__, "format_name": "mpegts", "audio_index": 1, "audio_codec": "ac3"})
    assert video.stream_copy_plan(ac3) == video.StreamCopy(rendition="high", encode_audio=True)
    hevc = Probe(**{**plain.__dict__, "video_codec": "hevc", "video_profile": "Main 10"})
    assert video.stream_copy_plan(hevc) is None  # no hvcC record: nothing to ask the browser
    tagged = Probe(**{**hevc.__dict__, "pix_fmt": "yuv420p10le", "video_codecs": "hvc1.2.4.L120.B0"})
    assert video.stream_copy_plan(tagged) == video.StreamCopy("hevc", False, "hvc1.2.4.L120.B0")


@pytest.mark.parametrize(
    ("record", "codecs"),
    [
        # What an iPhone writes: Main, compatible with Main and Main 10, level 4 (120), progressive.
        ("01 01 60000000 b00000000000 78", "hvc1.1.6.L120.B0"),
        ("01 02 20000000 b00000000000 78", "hvc1.2.4.L120.B0"),
        ("01 22 20000000 900000000000 99", "hvc1.2.4.H153.90"),  # high tier
        ("01 01 60000000 000000000000 5d", "hvc1.1.6.L93"),  # no constraint bytes at all
        ("00 01 60000000 000000000000 5d", ""),  # not an hvcC record (version 0)
        ("01 01 60", ""),  # too short
    ],
)
def test_the_hevc_codecs_string_follows_iso_14496_15(record, codecs):
    assert video.hevc_codecs(bytes.fromhex(record.replace(" ", ""))) == codecs


def _probe(width: int, height: int, rotation: int = 0, duration: float = 60.0) -> Probe:
    return Probe(
        format_name="mov,mp4,m4a,3gp,3g2,mj2",
        duration=duration,
        start_time=0,
        video_index=0,
        video_codec="h264",
        video_profile="High",
        pix_fmt="yuv420p",
        coded_width=width,
        coded_height=height,
        rotation=rotation,
    )


@pytest.mark.parametrize(
    ("width", "height", "rotation", "high", "low"),
    [
        (3840, 2160, 0, (1920, 1080), (640, 360)),  # 4K landscape: capped at 1080p
        (3840, 2160, 90, (1080, 1920), (360, 640)),  # 4K portrait phone
        (1920, 1080, 0, (1920, 1080), (640, 360)),
        (640, 360, 0, (640, 360), (640, 360)),  # never upscaled
        (320, 240, 0, (320, 240), (320, 240)),
        (1440, 1080, 0, (1440, 1080), (480, 360)),  # 4:3
        (721, 481, 0, (720, 480), (538, 360)),  # odd sizes become even, never larger
    ],
)
def test_renditions_are_capped_never_upscaled_and_even(width, height, rotation, high, low):
    the_plan = video.plan(_probe(width, height, rotation))

    assert (the_plan.high.width, the_plan.high.height) == high
    assert (the_plan.low.width, the_plan.low.height) == low


def test_the_sprite_has_at_most_two_hundred_tiles_and_covers_the_whole_film():
    the_plan = video.plan(_probe(1920, 1080, duration=30 * 60))

    sprite = the_plan.sprite
    assert sprite.tiles <= video.planning.SPRITE_MAX_TILES
    assert sprite.tiles * sprite.interval >= 30 * 60
    assert sprite.columns * sprite.rows >= sprite.tiles
    assert (sprite.tile.width, sprite.tile.height) == (160, 90)


def test_the_thumbnails_track_points_into_the_sprite_grid():
    sprite = video.SpritePlan(interval=2.0, tiles=12, columns=10, rows=2, tile=video.Size(160, 90))

    vtt = video.thumbnails_vtt(sprite, duration=23.5)

    cues = vtt.split("\n\n")
    assert cues[0] == "WEBVTT"
    assert cues[1] == "00:00:00.000 --> 00:00:02.000\nsprite.jpg#xywh=0,0,160,90"
    assert cues[11] == "00:00:20.000 --> 00:00:22.000\nsprite.jpg#xywh=0,90,160,90"
    assert cues[12].startswith("00:00:22.000 --> 00:00:23.500\nsprite.jpg#xywh=160,90,160,90")


def stalled_command(folder: Path) -> list[str]:
    """ffmpeg reading a named pipe nobody writes to: it waits for input forever, as it would on a hung
    network disk."""
    fifo = folder / "stalled.pipe"
    os.mkfifo(fifo)
    return ["ffmpeg", "-nostdin", "-progress", "pipe:1", "-f", "mpegts", "-i", str(fifo), "-f", "null", "-"]


def test_ffmpeg_without_progress_is_killed_as_stalled(tmp_path):
    with pytest.raises(video.MediaStalled):
        video.run(stalled_command(tmp_path), duration=10, on_progress=lambda _fraction: None, stall_seconds=1)


def test_progress_is_reported_as_a_rising_fraction_up_to_one(video_fixtures, tmp_path):
    fractions: list[float] = []
    info = video.probe(video_fixtures["phone_hevc.mov"].path)

    video.transcode(
        video_fixtures["phone_hevc.mov"].path,
        info,
        video.Outputs(low=tmp_path / "low.mp4"),
        LIMITS,
        on_progress=fractions.append,
        stall_seconds=60,
    )

    assert fractions == sorted(fractions)
    assert fractions[-1] == pytest.approx(1.0, abs=0.05)


def test_a_failing_ffmpeg_command_is_reported_as_unreadable_input(tmp_path):
    command = [
        "ffmpeg",
        "-nostdin",
        "-progress",
        "pipe:1",
        "-i",
        str(tmp_path / "missing.mp4"),
        "-f",
        "null",
        "-",
    ]

    with pytest.raises(MediaRejected) as caught:
        video.run(command, duration=1, on_progress=lambda _fraction: None, stall_seconds=30)

    assert caught.value.reason == RejectReason.UNREADABLE
    assert "missing.mp4" in caught.value.detail


def test_ffmpeg_side_by_side_stops_all_when_one_stalls(tmp_path):
    """``run_together``: a stalled part kills the part still working too, and nothing is left running."""
    stalled = stalled_command(tmp_path)
    busy = ["ffmpeg", "-nostdin", "-progress", "pipe:1", "-re", "-f", "lavfi", "-i", "sine=duration=600"]
    busy += ["-f", "null", "-"]
    fractions: list[float] = []

    with pytest.raises(video.MediaStalled):
        run_together([stalled, busy], duration=600, on_progress=fractions.append, stall_seconds=2)

    # The busy one was stopped, not waited for: had it finished, the mean of the two would reach 0.5.
    assert fractions and max(fractions) < 0.5
    left = subprocess.run(["pgrep", "-f", "sine=duration=600"], capture_output=True, text=True).stdout
    assert left == ""


def test_ffmpeg_side_by_side_refuses_when_one_fails(tmp_path):
    good = [
        "ffmpeg",
        "-nostdin",
        "-progress",
        "pipe:1",
        "-f",
        "lavfi",
        "-i",
        "sine=duration=1",
        "-f",
        "null",
        "-",
    ]
    bad = [
        "ffmpeg",
        "-nostdin",
        "-progress",
        "pipe:1",
        "-i",
        str(tmp_path / "missing.mp4"),
        "-f",
        "null",
        "-",
    ]
    with pytest.raises(video.MediaRejected, match="missing.mp4"):
        run_together([good, bad], duration=1, on_progress=lambda _fraction: None, stall_seconds=30)
