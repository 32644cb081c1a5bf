"""The renditions ffmpeg makes: upright, right size, same timeline as the original, no metadata."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from recordings import video
from tests.video.fixtures import *  # noqa: F403
from tests.video.fixtures import GPS_LOCATION, VideoFixture, ffprobe_json, personal_tags

ACCEPTED = [
    "landscape_h264_aac.mp4",
    "portrait_rotated_h264.mp4",
    "phone_hevc.mov",
    "browser_vp9_opus.webm",
    "no_audio.mp4",
    "moov_at_end.mp4",
    "vfr.mp4",
    "camcorder.mts",
    "hdr_hevc.mov",
    "camera_mjpeg.avi",
]
LIMITS = video.Limits(max_duration_seconds=7200, max_pixels=7680 * 4320)
QUIET: dict[str, Any] = {"on_progress": lambda _fraction: None, "stall_seconds": 60}


def all_videos(video_fixtures, extra_videos) -> dict[str, VideoFixture]:
    return {**video_fixtures, **extra_videos}


def make_all(source: Path, folder: Path) -> video.Outputs:
    info = video.probe(source)
    outputs = video.Outputs(
        high=folder / "high.mp4",
        low=folder / "low.mp4",
        poster=folder / "poster.jpg",
        sprite=folder / "sprite.jpg",
    )
    video.transcode(source, info, outputs, LIMITS, on_progress=lambda _fraction: None, stall_seconds=60)
    return outputs


def video_stream(info: dict[str, Any]) -> dict[str, Any]:
    return next(stream for stream in info["streams"] if stream["codec_type"] == "video")


def top_level_boxes(path: Path) -> list[str]:
    """The order of the MP4's top-level boxes: ``moov`` before ``mdat`` means progressive playback."""
    names, data, offset = [], path.read_bytes(), 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        names.append(data[offset + 4 : offset + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[offset + 8 : offset + 16], "big")
        if size < 8:
            break
        offset += size
    return names


def frame_times(path: Path) -> list[float]:
    """Presentation times of every video frame, measured from the file's start (its timeline)."""
    start = float(ffprobe_json(path)["format"].get("start_time", 0))
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=pts_time", "-of", "csv=p=0",
         str(path)],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return [round(float(line.strip(",")) - start, 3) for line in result.stdout.split() if line.strip(",")]


def grey_frame(path: Path, seconds: float) -> bytes:
    """The frame shown at ``seconds`` on the file's timeline, as 64x36 grey pixels.

    Decodes from the start and selects by timestamp rather than seeking: seeking in MPEG-TS lands near,
    not on, the moment, which would hide exactly the kind of shift this looks for.
    """
    result = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-frames:v", "1",
         "-vf", f"select='gte(t,{seconds:.3f})',scale=64:36,format=gray", "-f", "rawvideo", "-"],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    assert len(result.stdout) == 64 * 36
    return result.stdout


def difference(first: bytes, second: bytes) -> float:
    return sum(abs(a - b) for a, b in zip(first, second, strict=True)) / len(first)


@pytest.mark.parametrize("name", ACCEPTED)
def test_renditions_are_h264_aac_mp4_upright_at_the_display_size(
    video_fixtures, extra_videos, tmp_path, name
):
    fixture = all_videos(video_fixtures, extra_videos)[name]

    outputs = make_all(fixture.path, tmp_path)

    high, low = ffprobe_json(outputs.high), ffprobe_json(outputs.low)
    high_video, low_video = video_stream(high), video_stream(low)
    assert (high_video["width"], high_video["height"]) == fixture.display
    assert min(low_video["width"], low_video["height"]) == min(360, *fixture.display)
    for info, picture in ((high, high_video), (low, low_video)):
        assert picture["codec_name"] == "h264"
        assert picture["pix_fmt"] == "yuv420p"
        assert picture["width"] % 2 == 0 and picture["height"] % 2 == 0
        assert "side_data_list" not in picture  # no rotation left for players to (mis)apply
        assert float(info["format"]["duration"]) == pytest.approx(fixture.duration, abs=0.1)
        audio = [stream["codec_name"] for stream in info["streams"] if stream["codec_type"] == "audio"]
        assert audio == (["aac"] if fixture.audio else [])
    assert top_level_boxes(outputs.high).index("moov") < top_level_boxes(outputs.high).index("mdat")
    assert top_level_boxes(outputs.low).index("moov") < top_level_boxes(outputs.low).index("mdat")


@pytest.mark.parametrize("name", ["portrait_rotated_h264.mp4", "landscape_h264_aac.mp4"])
def test_poster_and_sprite_are_upright_jpegs(video_fixtures, tmp_path, name):
    fixture = video_fixtures[name]

    outputs = make_all(fixture.path, tmp_path)

    poster = video_stream(ffprobe_json(outputs.poster))
    assert (poster["width"], poster["height"]) == fixture.display
    the_plan = video.plan(video.probe(fixture.path))
    sprite = video_stream(ffprobe_json(outputs.sprite))
    tile = the_plan.sprite.tile
    assert (sprite["width"], sprite["height"]) == (
        the_plan.sprite.columns * tile.width,
        the_plan.sprite.rows * tile.height,
    )
    # Upright: a portrait film gets tall tiles.
    assert (tile.width < tile.height) is (fixture.display[0] < fixture.display[1])


@pytest.mark.parametrize("name", ["browser_vp9_opus.webm", "camcorder.mts", "phone_hevc.mov", "vfr.mp4"])
def test_a_moment_in_the_original_is_the_same_moment_in_the_rendition(
    video_fixtures, extra_videos, tmp_path, name
):
    # The test picture has a running clock and moving shapes: one frame off shows as a clear difference.
    fixture = all_videos(video_fixtures, extra_videos)[name]
    outputs = make_all(fixture.path, tmp_path)

    at = 1.5
    original = grey_frame(fixture.path, at)
    same_moment = difference(original, grey_frame(outputs.high, at))
    a_frame_later = difference(original, grey_frame(outputs.high, at + 0.1))

    assert same_moment < a_frame_later / 3


@pytest.mark.parametrize("name", ["vfr.mp4", "camcorder.mts", "browser_vp9_opus.webm"])
def test_every_frame_keeps_its_timestamp_so_variable_frame_rate_does_not_drift(
    video_fixtures, extra_videos, tmp_path, name
):
    fixture = all_videos(video_fixtures, extra_videos)[name]

    outputs = make_all(fixture.path, tmp_path)

    original, rendition = frame_times(fixture.path), frame_times(outputs.high)
    assert len(rendition) == len(original)
    assert max(abs(a - b) for a, b in zip(original, rendition, strict=True)) <= 0.02


def test_hdr_is_tone_mapped_to_sdr_bt709(extra_videos, tmp_path):
    outputs = make_all(extra_videos["hdr_hevc.mov"].path, tmp_path)

    video = video_stream(ffprobe_json(outputs.high))
    assert video["pix_fmt"] == "yuv420p"
    assert video["color_transfer"] == "bt709"
    assert video["color_primaries"] == "bt709"


@pytest.mark.parametrize("name", ["gps_portrait.mov", "gps_landscape.mp4"])
def test_no_location_device_or_creation_time_survives_in_any_output(extra_videos, tmp_path, name):
    source = extra_videos[name].path
    assert any(GPS_LOCATION in tag for tag in personal_tags(source))  # the fixture really carries them
    outputs = make_all(source, tmp_path)
    info = video.probe(source)
    copy(source, tmp_path / "copy.mp4", info)

    for path in (outputs.high, outputs.low, outputs.poster, outputs.sprite, tmp_path / "copy.mp4"):
        assert personal_tags(path) == [], path.name


def test_the_fast_path_copies_the_streams_bit_for_bit(video_fixtures, tmp_path):
    source = video_fixtures["moov_at_end.mp4"].path
    copied = tmp_path / "copy.mp4"

    copy(source, copied, video.probe(source))

    assert stream_hash(copied) == stream_hash(source)
    assert top_level_boxes(copied).index("moov") < top_level_boxes(copied).index("mdat")


def copy(source: Path, destination: Path, info: video.Probe) -> None:
    """The fast path's copy of ``source``, as the pipeline makes it."""
    plan = video.stream_copy_plan(info)
    assert plan is not None
    video.copy_streams(source, destination, info, plan, LIMITS, **QUIET)


def stream_hash(path: Path) -> str:
    result = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v", "-map", "0:a?", "-c", "copy", "-f", "md5", "-"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return result.stdout.strip()


def test_only_the_missing_outputs_are_made(video_fixtures, tmp_path):
    source = video_fixtures["no_audio.mp4"].path

    video.transcode(
        source,
        video.probe(source),
        video.Outputs(poster=tmp_path / "poster.jpg"),
        LIMITS,
        on_progress=lambda _f: None,
        stall_seconds=60,
    )

    assert sorted(path.name for path in tmp_path.iterdir()) == ["poster.jpg"]


def test_a_film_cut_short_behind_a_valid_index_is_found_out(extra_videos, tmp_path):
    source = extra_videos["cut_short_faststart.mp4"].path
    info = video.probe(source)
    copy(source, tmp_path / "copy.mp4", info)

    with pytest.raises(video.MediaRejected) as caught:
        video.verify_video(tmp_path / "copy.mp4", info.duration, LIMITS)

    assert caught.value.reason == video.RejectReason.TRUNCATED


def test_a_still_is_the_upright_frame_at_the_moment_asked(video_fixtures, tmp_path):
    source = video_fixtures["portrait_rotated_h264.mp4"].path

    video.still(source, at_ms=1500, dst=tmp_path / "still.jpg")

    still = video_stream(ffprobe_json(tmp_path / "still.jpg"))
    assert (still["width"], still["height"]) == (360, 640)
    make_all(source, tmp_path)
    assert difference(grey_frame(tmp_path / "still.jpg", 0), grey_frame(tmp_path / "high.mp4", 1.5)) < 8


def test_stills_clips_and_reels_carry_no_metadata(extra_videos, tmp_path):
    source = extra_videos["gps_portrait.mov"].path

    video.clip(source, start_ms=500, end_ms=1500, dst=tmp_path / "a.mp4")
    video.clip(source, start_ms=2000, end_ms=2500, dst=tmp_path / "b.mp4")
    video.concat([tmp_path / "a.mp4", tmp_path / "b.mp4"], dst=tmp_path / "reel.mp4")
    video.still(source, at_ms=1000, dst=tmp_path / "still.jpg")

    assert video.probe(tmp_path / "a.mp4").duration == pytest.approx(1.0, abs=0.1)
    reel = video.probe(tmp_path / "reel.mp4")
    assert reel.duration == pytest.approx(1.5, abs=0.15)
    assert (reel.display_width, reel.display_height) == (360, 640)
    for name in ("a.mp4", "reel.mp4", "still.jpg"):
        assert personal_tags(tmp_path / name) == []


@pytest.mark.slow
def test_progress_is_reported_while_the_transcode_runs_not_only_at_the_end(tmp_path):
    # ffmpeg reports nothing until every output has started; a sprite made by a tile filter in the same
    # run starts only at the very end, which once kept the progress bar at 0 % for the whole film.
    film = tmp_path / "long.avi"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=60", "-c:v",
         "mpeg4", str(film)],
        check=True,
    )  # fmt: skip
    info = video.probe(film)
    fractions: list[float] = []
    outputs = video.Outputs(
        high=tmp_path / "h.mp4", low=tmp_path / "l.mp4", poster=tmp_path / "p.jpg", sprite=tmp_path / "s.jpg"
    )
    video.transcode(film, info, outputs, LIMITS, on_progress=fractions.append, stall_seconds=60)
    assert any(0 < fraction < 0.9 for fraction in fractions), fractions
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "h.mp4",
        "l.mp4",
        "long.avi",
        "p.jpg",
        "s.jpg",
    ]


def test_decoding_stops_a_little_past_the_duration_limit_whatever_the_header_says(tmp_path):
    from tests.video.fixtures import film_claiming_one_second

    liar = film_claiming_one_second(tmp_path / "liar.mkv", seconds=600)
    info = video.probe(liar)
    limits = video.Limits(max_duration_seconds=20, max_pixels=7680 * 4320)
    assert info.duration == 1.0
    video.validate(info, limits)

    video.transcode(liar, info, video.Outputs(high=tmp_path / "high.mp4"), limits, **QUIET)

    written = float(ffprobe_json(tmp_path / "high.mp4")["format"]["duration"])
    assert 20 < written <= limits.read_seconds + 0.1
    with pytest.raises(video.MediaRejected) as refused:
        video.verify_video(tmp_path / "high.mp4", info.duration, limits)
    assert refused.value.reason == video.RejectReason.OVER_LIMIT


def test_more_frames_than_the_frame_limit_are_refused(tmp_path):
    # 1000 frames in one second: four times what even a slow-motion phone records.
    crowded = tmp_path / "crowded.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=size=32x32:rate=1000:duration=1",
         "-c:v", "libx264", "-preset", "ultrafast", str(crowded)],
        check=True, timeout=60,
    )  # fmt: skip
    limits = video.Limits(max_duration_seconds=2, max_pixels=7680 * 4320)
    info = video.probe(crowded)

    video.transcode(crowded, info, video.Outputs(high=tmp_path / "high.mp4"), limits, **QUIET)

    assert video.count_video_packets(tmp_path / "high.mp4") == limits.max_frames + 1
    with pytest.raises(video.MediaRejected) as refused:
        video.verify_video(tmp_path / "high.mp4", info.duration, limits)
    assert refused.value.reason == video.RejectReason.OVER_LIMIT


def test_the_decoder_refuses_pictures_over_the_pixel_limit_even_without_validation(video_fixtures, tmp_path):
    source = video_fixtures["landscape_h264_aac.mp4"].path
    limits = video.Limits(max_duration_seconds=60, max_pixels=640 * 360 - 1)

    with pytest.raises(video.MediaRejected):
        video.transcode(
            source, video.probe(source), video.Outputs(high=tmp_path / "high.mp4"), limits, **QUIET
        )
