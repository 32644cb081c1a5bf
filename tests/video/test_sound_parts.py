"""A long film's sound encoded in parts side by side (the fast path for camcorder films with AC-3):
the joined track must be the sound of one encode, as long, in the same place against the picture, with
no gap or doubled stretch at a boundary (real ffmpeg on generated films, no Django)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy
import pytest

from recordings import video
from recordings.video import sound_parts
from recordings.video.copying import copy_streams, stream_copy_plan
from recordings.video.sound_parts import FRAME, SoundPart, adts_frames
from tests.video.fixtures import ffmpeg_run, ffprobe_json

LIMITS = video.Limits(max_duration_seconds=7200, max_pixels=7680 * 4320)
RATE = 48000


@pytest.fixture(scope="module")
def camcorder_film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """130 s of H.264 with stereo AC-3 in MPEG-TS whose sound starts 40 ms before its picture, as an
    AVCHD camcorder writes it. The sound is a sweep in one channel and noise in the other, so any
    shift, gap or doubled stretch changes the decoded samples."""
    path = tmp_path_factory.mktemp("sound-parts") / "camcorder.mts"
    ffmpeg_run(
        "-itsoffset", "0.04", "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25:duration=130",
        "-f", "lavfi", "-i",
        "aevalsrc=exprs=0.4*sin(2*PI*(200+5*t)*t)|0.2*(random(0)-0.5):sample_rate=48000:duration=130.04",
        "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "ac3", "-b:a", "256k", "-f", "mpegts", str(path),
    )  # fmt: skip
    return path


def copied(film: Path, folder: Path, cores: int) -> Path:
    info = video.probe(film)
    plan = stream_copy_plan(info)
    assert plan is not None and plan.encode_audio
    dst = folder / f"copied-{cores}.mp4"
    copy_streams(film, dst, info, plan, LIMITS, on_progress=lambda _f: None, stall_seconds=60, cores=cores)
    return dst


def starts(path: Path) -> dict[str, float]:
    streams = ffprobe_json(path, "-show_streams")["streams"]
    return {s["codec_type"]: float(s["start_time"]) for s in streams}


def samples(path: Path) -> numpy.ndarray:
    """The decoded sound as the player hears it (edit list applied), both channels."""
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:a", "-f", "f32le", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return numpy.frombuffer(raw, dtype=numpy.float32).reshape(-1, 2)


def rms(values: numpy.ndarray) -> float:
    return float(numpy.sqrt(numpy.mean(values**2)))


def test_the_sound_encoded_in_two_parts_is_the_sound_of_one_encode(camcorder_film, tmp_path):
    assert len(sound_parts.sound_parts(video.probe(camcorder_film), cores=2)) == 2

    whole = copied(camcorder_film, tmp_path, cores=1)
    parts = copied(camcorder_film, tmp_path, cores=2)

    # The same place against the picture as in the original (about 40 ms before it), in both.
    info = video.probe(camcorder_film)
    assert info.video_start - info.audio_start > 0.03
    assert starts(parts) == pytest.approx(starts(whole), abs=0.001)
    assert starts(parts)["video"] - starts(parts)["audio"] == pytest.approx(
        info.video_start - info.audio_start, abs=0.001
    )
    source, one, joined = samples(camcorder_film), samples(whole), samples(parts)
    assert len(joined) == len(one) == len(source)  # nothing lost or doubled at the boundary
    boundary = sound_parts.sound_parts(info, cores=2)[0].end
    assert boundary is not None
    # Against the original sound, the joined track is as faithful as one encode: before, around and
    # after the boundary. A shift of even one sample after it would make the noise channel's error as
    # loud as the noise itself.
    for stretch in (
        slice(RATE, boundary - RATE),
        slice(boundary - 4 * FRAME, boundary + 4 * FRAME),
        slice(boundary + RATE, len(source) - RATE),
    ):
        error_one, error_joined = rms(one[stretch] - source[stretch]), rms(joined[stretch] - source[stretch])
        assert error_joined < 1.5 * error_one
        assert error_joined < 0.25 * rms(source[stretch])
    # The picture is copied as it was, in both.
    assert ffprobe_json(parts, "-show_streams")["streams"][0]["codec_name"] == "h264"


def test_a_short_film_or_one_core_keeps_the_sound_in_one_part(camcorder_film):
    info = video.probe(camcorder_film)

    assert sound_parts.sound_parts(info, cores=1) == [SoundPart(0, None)]
    assert len(sound_parts.sound_parts(info, cores=8)) == 2  # at least a minute per part
    short = video.Probe(**{**info.__dict__, "duration": 90.0})
    assert sound_parts.sound_parts(short, cores=2) == [SoundPart(0, None)]


def test_timestamps_near_the_mpeg_ts_wrap_keep_the_sound_in_one_part(camcorder_film):
    info = video.probe(camcorder_film)
    near_wrap = video.Probe(
        **{**info.__dict__, "start_time": 95_400.0, "audio_start": 95_400.0, "video_start": 95_400.04}
    )

    assert sound_parts.sound_parts(near_wrap, cores=2) == [SoundPart(0, None)]


def test_each_part_keeps_the_frames_of_its_own_stretch():
    first, middle, last = (
        SoundPart(0, 10 * FRAME),
        SoundPart(10 * FRAME, 20 * FRAME),
        SoundPart(20 * FRAME, None),
    )

    # The first part: the priming frame and frames decoding to samples 0..10 frames.
    assert first.kept(frames=13) == range(0, 11)
    # A later part was encoded from 2 frames before its start: its priming and those 2 are dropped.
    assert middle.encode_from == 8 * FRAME
    assert middle.kept(frames=15) == range(3, 13)
    assert last.kept(frames=40) == range(3, 40)


def test_raw_aac_that_is_not_adts_is_refused():
    with pytest.raises(ValueError, match="no ADTS frame"):
        list(adts_frames(b"\x00" * 20))
