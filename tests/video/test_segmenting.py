"""Segments: keyframe boundaries, one decode per segment, and a join without re-encoding that loses,
duplicates and moves no frame (real ffmpeg on small generated films, no Django)."""

from __future__ import annotations

import json
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

from recordings import video
from recordings.video.segment_encoding import (
    SegmentOutputs,
    SoundOutputs,
    encode_segment,
    encode_sound,
    join_parts,
    join_tiles,
)
from recordings.video.segmenting import Keyframes, Span, plan_segments, scan_keyframes, tiles_of
from tests.video.fixtures import ffmpeg_run, ffprobe_json, film_claiming_one_second

LIMITS = video.Limits(max_duration_seconds=7200, max_pixels=7680 * 4320)
AAC_FRAME = 1024 / 48000


def film(path: Path, *, seconds: int, gop: int, codec: str = "libx264", rate: int = 25) -> Path:
    """A test picture with a keyframe every ``gop`` frames, B-frames, and a tone."""
    ffmpeg_run(
        "-f", "lavfi", "-i", f"testsrc2=size=320x180:rate={rate}:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
        "-c:v", codec, "-g", str(gop), "-bf", "2", "-c:a", "aac" if path.suffix == ".mp4" else "mp2",
        str(path),
    )  # fmt: skip
    return path


def packets(path: Path, stream: str = "v:0") -> list[dict[str, str]]:
    completed = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", stream, "-show_entries",
         "packet=pts_time,duration_time,flags:stream=time_base", "-of", "json", str(path)],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    return list(json.loads(completed.stdout)["packets"])


def positions(path: Path, start: float = 0.0) -> list[float]:
    """Every frame's time on the recording's timeline, in milliseconds, in display order."""
    return sorted(round((float(p["pts_time"]) - start) * 1000, 1) for p in packets(path))


def start_time(path: Path) -> float:
    return video.probe(path).start_time


def in_segments(
    src: Path, folder: Path, *, first: float, seconds: float
) -> tuple[list[Span], SegmentOutputs]:
    """Encode ``src`` as the pipeline does, segment by segment, and join; the joined files' paths."""
    info = video.probe(src)
    spans = plan_segments(scan_keyframes(src, info, LIMITS), first_seconds=first, segment_seconds=seconds)
    parts = [
        SegmentOutputs(folder / f"h{s.index}.mp4", folder / f"l{s.index}.mp4", folder / f"t{s.index}")
        for s in spans
    ]
    for span, outputs in zip(spans, parts, strict=True):
        encode_segment(src, info, span, outputs, LIMITS, on_progress=lambda _f: None, stall_seconds=60)
    sound = SoundOutputs(folder / "high.m4a", folder / "low.m4a")
    encode_sound(src, info, sound, LIMITS, on_progress=lambda _f: None, stall_seconds=60)
    joined = SegmentOutputs(folder / "high.mp4", folder / "low.mp4", folder / "sprite.jpg")
    join_parts([p.high for p in parts], spans, sound.high, joined.high, stall_seconds=60)
    join_parts([p.low for p in parts], spans, sound.low, joined.low, stall_seconds=60)
    join_tiles([p.tiles for p in parts], joined.tiles, video.plan(info).sprite)
    return spans, joined


def test_boundaries_sit_on_keyframes_with_a_short_first_segment(tmp_path):
    src = film(tmp_path / "film.mp4", seconds=30, gop=50)  # a keyframe every 2 s
    info = video.probe(src)

    spans = plan_segments(scan_keyframes(src, info, LIMITS), first_seconds=6, segment_seconds=10)

    assert [(s.start, s.end) for s in spans] == [(0.0, 6.0), (6.0, 16.0), (16.0, 26.0), (26.0, 30.0)]
    assert spans[0].start_pts is None and spans[-1].end_pts is None
    assert all(a.end_pts == b.start_pts for a, b in zip(spans, spans[1:], strict=False))
    assert {s.total for s in spans} == {4}
    assert Span.from_json(json.loads(json.dumps(spans[1].as_json()))) == spans[1]


def test_a_film_with_one_keyframe_is_one_segment(tmp_path):
    src = film(tmp_path / "film.mp4", seconds=12, gop=1000)
    info = video.probe(src)

    spans = plan_segments(scan_keyframes(src, info, LIMITS), first_seconds=2, segment_seconds=2)

    assert len(spans) == 1 and spans[0].start_pts is None and spans[0].end_pts is None


def test_a_short_last_piece_joins_the_segment_before_it(tmp_path):
    src = film(tmp_path / "film.mp4", seconds=11, gop=25)  # a keyframe every second

    spans = plan_segments(scan_keyframes(src, video.probe(src), LIMITS), first_seconds=4, segment_seconds=6)

    assert [(s.start, s.end) for s in spans] == [(0.0, 4.0), (4.0, 11.0)]


def test_the_first_minute_is_the_first_segment_and_two_equal_ones_encoded_faster():
    # Two and a half minutes with a keyframe every 2 seconds (time base 1/1000, starting at 0).
    found = Keyframes(
        time_base=Fraction(1, 1000),
        offset_pts=0,
        keyframe_pts=tuple(range(0, 150_000, 2000)),
        frames=3750,
        duration=150.0,
    )

    spans = plan_segments(found, first_seconds=8, segment_seconds=40, early_seconds=60)

    assert [(s.start, s.end) for s in spans] == [(0, 8), (8, 34), (34, 60), (60, 100), (100, 140), (140, 150)]
    assert [s.early for s in spans] == [True, True, True, False, False, False]
    assert [s.early for s in plan_segments(found, first_seconds=8, segment_seconds=40)] == [False] * 5


def test_the_first_minutes_high_part_is_encoded_with_the_faster_preset(tmp_path):
    src = film(tmp_path / "film.mp4", seconds=6, gop=25)
    info = video.probe(src)
    spans = plan_segments(
        scan_keyframes(src, info, LIMITS), first_seconds=2, segment_seconds=2, early_seconds=3
    )
    early, later = spans[0], spans[-1]
    assert early.early and not later.early
    written = {}
    for span in (early, later):
        outputs = SegmentOutputs(
            tmp_path / f"high-{span.index}.mp4",
            tmp_path / f"low-{span.index}.mp4",
            tmp_path / f"tiles-{span.index}",
        )
        encode_segment(src, info, span, outputs, LIMITS, on_progress=lambda _f: None, stall_seconds=60)
        # x264 writes its settings into the stream: ultrafast has no CABAC and no B-frames.
        written[span.early] = outputs.high.read_bytes()

    assert b"cabac=0" in written[True] and b"bframes=0" in written[True]
    assert b"cabac=1" in written[False]


def test_a_film_whose_header_claims_one_second_is_refused_from_its_packets(tmp_path):
    liar = film_claiming_one_second(tmp_path / "liar.mkv", seconds=600)
    info = video.probe(liar)
    assert info.duration == pytest.approx(1.0)
    limits = video.Limits(max_duration_seconds=120, max_pixels=LIMITS.max_pixels)

    with pytest.raises(video.MediaRejected) as refused:
        scan_keyframes(liar, info, limits)

    assert refused.value.reason == video.RejectReason.OVER_LIMIT


def test_sprite_tiles_fall_in_exactly_one_segment():
    spans = [
        Span(0, 0.0, 6.02, None, 1, "1/25", 3),
        Span(1, 6.02, 16.5, 1, 2, "1/25", 3),
        Span(2, 16.5, 20.0, 2, None, "1/25", 3),
    ]

    numbers = [n for span in spans for n in tiles_of(span, 2.0, 10)]

    assert numbers == list(range(10))


@pytest.mark.parametrize(
    ("name", "codec"), [("film.mp4", "libx264"), ("camcorder.mts", "mpeg2video")], ids=["mp4", "mts"]
)
def test_the_joined_film_has_every_frame_of_the_source_at_its_own_time(tmp_path, name, codec):
    src = film(tmp_path / name, seconds=20, gop=25)
    source_start = start_time(src)

    spans, joined = in_segments(src, tmp_path, first=3, seconds=6)

    assert len(spans) >= 3
    expected = positions(src, source_start)
    for path in (joined.high, joined.low):
        got = positions(path)
        assert len(got) == len(expected) == len(set(got))  # no frame lost, none twice
        assert max(abs(a - b) for a, b in zip(got, expected, strict=True)) <= 1.0  # ms


def test_each_segment_plays_alone_from_its_own_place_in_the_film(tmp_path):
    src = film(tmp_path / "camcorder.mts", seconds=20, gop=25, codec="mpeg2video")
    source_start = start_time(src)

    spans, _joined = in_segments(src, tmp_path, first=3, seconds=6)

    for span in spans:
        part = tmp_path / f"h{span.index}.mp4"
        info = ffprobe_json(part)
        assert [s["codec_name"] for s in info["streams"]] == ["h264", "aac"]
        assert info["streams"][0]["profile"] == "High"
        frames = packets(part)
        assert "K" in frames[0]["flags"]
        first = min(float(p["pts_time"]) for p in frames)
        expected_first = positions(src, source_start)
        in_span = [t for t in expected_first if span.start * 1000 - 1 <= t < span.end * 1000 - 1]
        assert first * 1000 == pytest.approx(in_span[0], abs=1.0)
        assert len(frames) == len(in_span)
    boxes = (tmp_path / "h1.mp4").read_bytes()[:4096]
    assert b"moof" in (tmp_path / "h1.mp4").read_bytes() and b"mvex" in boxes  # fragmented, own init


def test_the_sound_starts_with_the_picture_and_lasts_as_long_as_the_source(tmp_path):
    src = film(tmp_path / "film.mp4", seconds=20, gop=25)
    source_sound = ffprobe_json(src)["streams"][1]

    _spans, joined = in_segments(src, tmp_path, first=3, seconds=6)

    streams = ffprobe_json(joined.high)["streams"]
    assert [s["codec_type"] for s in streams] == ["video", "audio"]
    picture, sound = streams
    assert float(sound["start_time"]) == pytest.approx(float(picture["start_time"]), abs=AAC_FRAME)
    assert float(sound["duration"]) == pytest.approx(float(source_sound["duration"]), abs=AAC_FRAME)


def test_the_sprite_of_the_joined_tiles_has_every_tile(tmp_path):
    src = film(tmp_path / "film.mp4", seconds=20, gop=25)

    _spans, joined = in_segments(src, tmp_path, first=3, seconds=6)

    sprite = video.plan(video.probe(src)).sprite
    size = ffprobe_json(joined.tiles)["streams"][0]
    assert (size["width"], size["height"]) == (
        sprite.columns * sprite.tile.width,
        sprite.rows * sprite.tile.height,
    )
    made = sorted(tile.name for folder in tmp_path.glob("t*") for tile in folder.iterdir())
    assert made == [f"{n:05d}.jpg" for n in range(sprite.tiles)]
