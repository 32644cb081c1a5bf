"""The fast paths: phone and camcorder films playable from a copy of their picture, never re-encoded.

Real ffmpeg on small generated films: an upright phone film (display rotation) with GPS tags, H.264
with sound browsers cannot play (AC-3, E-AC-3, PCM, Opus, MP2, as camcorders and cameras write it),
HEVC 8-bit and 10-bit as iPhones record it.
"""

from __future__ import annotations

import logging
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from recordings import video
from recordings.models import Recording, Rendition
from tests.recordings.fixtures_media import *  # noqa: F403
from tests.recordings.fixtures_media import (
    GPS_LOCATION,
    ffmpeg_run,
    ffprobe_json,
    local_copy,
    personal_tags,
    process,
    stored_keys,
    stored_recording_of,
)

pytestmark = pytest.mark.django_db

CLOCK = "testsrc2=size=320x180:rate=30:duration=3"
TONE = "sine=frequency=440:sample_rate=48000:duration=3"
H264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
HEVC = ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-tag:v", "hvc1"]
# Sound a browser cannot play from an MP4, in the containers that carry it: (file name, audio options).
UNPLAYABLE_SOUND = {
    "avchd_ac3.mts": ["-c:a", "ac3", "-f", "mpegts"],
    "camera_eac3.mp4": ["-c:a", "eac3", "-f", "mp4"],
    "camera_pcm.mov": ["-c:a", "pcm_s16le", "-f", "mov"],
    "phone_opus.mp4": ["-c:a", "libopus", "-f", "mp4"],
    "camcorder_mp2.mts": ["-c:a", "mp2", "-f", "mpegts"],
}
# The sound starts this much after the picture, as in camcorder files: the copy must keep that.
SOUND_OFFSET = 0.5


@pytest.fixture(scope="module")
def films(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("fast-path-films")
    made = {}
    for name, audio in UNPLAYABLE_SOUND.items():
        made[name] = folder / name
        ffmpeg_run(
            "-f", "lavfi", "-i", CLOCK, "-itsoffset", str(SOUND_OFFSET), "-f", "lavfi", "-i", TONE,
            *H264, "-ac", "2", *audio, str(made[name]),
        )  # fmt: skip
    made["iphone_hevc_10bit.mov"] = folder / "iphone_hevc_10bit.mov"
    ffmpeg_run(
        "-f", "lavfi", "-i", CLOCK, "-f", "lavfi", "-i", TONE, *HEVC, "-pix_fmt", "yuv420p10le",
        "-c:a", "aac", str(made["iphone_hevc_10bit.mov"]),
    )  # fmt: skip
    return made


def rendition_file(recording: Recording, kind: str, folder: Path) -> Path:
    return local_copy(recording.renditions.get(kind=kind).key, folder)


def picture_hash(path: Path) -> str:
    """MD5 of every decoded frame: equal for a copy, different for anything encoded (lossy). The packets
    themselves differ between MPEG-TS and MP4 even for a copy (start codes against length prefixes)."""
    result = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v:0", "-f", "md5", "-"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return result.stdout.strip()


def streams(path: Path) -> dict[str, dict[str, Any]]:
    info = ffprobe_json(path)
    return {stream["codec_type"]: stream for stream in reversed(info["streams"])}


def rotation(path: Path) -> float | None:
    video = streams(path)["video"]
    return next((float(s["rotation"]) for s in video.get("side_data_list", []) if "rotation" in s), None)


def moov_before_mdat(path: Path) -> bool:
    data, offset, names = path.read_bytes(), 0, []
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        names.append(data[offset + 4 : offset + 8])
        offset += size if size >= 8 else len(data)
    return names.index(b"moov") < names.index(b"mdat")


class DoneWhenPlayable(logging.Handler):
    """Notes which renditions were done at the moment the pipeline logged that the film is playable."""

    def __init__(self, recording: Recording) -> None:
        super().__init__(logging.INFO)
        self.recording = recording
        self.done: set[str] | None = None
        self.status = ""

    def emit(self, record: logging.LogRecord) -> None:
        if self.done is None and record.getMessage().endswith(" playable"):
            renditions = self.recording.renditions.filter(status=Rendition.Status.DONE)
            self.done = set(renditions.values_list("kind", flat=True))
            self.status = Recording.objects.get(pk=self.recording.pk).status


@pytest.fixture
def done_when_playable() -> Iterator[list[DoneWhenPlayable]]:
    handlers: list[DoneWhenPlayable] = []
    logger = logging.getLogger("recordings.pipeline")
    level = logger.level
    logger.setLevel(logging.INFO)
    yield handlers
    for handler in handlers:
        logger.removeHandler(handler)
    logger.setLevel(level)


def watch(recording: Recording, handlers: list[DoneWhenPlayable]) -> DoneWhenPlayable:
    handler = DoneWhenPlayable(recording)
    logging.getLogger("recordings.pipeline").addHandler(handler)
    handlers.append(handler)
    return handler


# --- upright H.264 --------------------------------------------------------------------------------------


def test_an_upright_phone_film_is_copied_with_its_rotation_and_without_its_metadata(
    professional, extra_videos, tmp_path, done_when_playable
):
    source = extra_videos["gps_portrait.mov"].path
    assert rotation(source) and any(GPS_LOCATION in tag for tag in personal_tags(source))
    recording = stored_recording_of(professional, source)
    seen = watch(recording, done_when_playable)

    recording = process(recording)

    assert seen.done == {"high"}  # playable from the copy, before anything was encoded
    high = rendition_file(recording, "high", tmp_path)
    assert picture_hash(high) == picture_hash(source)
    assert rotation(high) == rotation(source)
    assert personal_tags(high) == []
    assert moov_before_mdat(high)
    rendition = recording.renditions.get(kind="high")
    assert (rendition.width, rendition.height) == (360, 640)
    assert (recording.width, recording.height) == (360, 640)
    assert recording.status == Recording.Status.READY
    # The low rendition is encoded upright: its pixels are turned, no rotation left to apply.
    low = streams(rendition_file(recording, "low", tmp_path))["video"]
    assert (low["width"], low["height"]) == (360, 640)


# --- H.264 with sound browsers cannot play ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(UNPLAYABLE_SOUND))
def test_only_the_sound_is_encoded_when_the_picture_plays_as_it_is(
    professional, films, tmp_path, done_when_playable, name
):
    source = films[name]
    recording = stored_recording_of(professional, source)
    seen = watch(recording, done_when_playable)

    recording = process(recording)

    assert seen.done == {"high"}
    high = rendition_file(recording, "high", tmp_path)
    assert picture_hash(high) == picture_hash(source)
    assert moov_before_mdat(high)
    sound = streams(high)["audio"]
    assert (sound["codec_name"], sound["channels"]) == ("aac", 2)
    # Same start as in the original: the sound still begins half a second after the picture.
    original = streams(source)
    offset = float(original["audio"]["start_time"]) - float(original["video"]["start_time"])
    copied = float(sound["start_time"]) - float(streams(high)["video"]["start_time"])
    assert copied == pytest.approx(offset, abs=0.03)
    assert float(ffprobe_json(high)["format"]["duration"]) == pytest.approx(SOUND_OFFSET + 3.0, abs=0.1)
    assert recording.status == Recording.Status.READY


# --- HEVC -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "codecs"),
    [("phone_hevc.mov", "hvc1.1.6.L63.90"), ("iphone_hevc_10bit.mov", "hvc1.2.4.L60.90")],
)
def test_an_hevc_film_is_playable_from_an_hvc1_copy_and_the_h264_rendition_follows(
    professional, video_fixtures, films, tmp_path, done_when_playable, name, codecs
):
    source = {**films, **{n: f.path for n, f in video_fixtures.items()}}[name]
    recording = stored_recording_of(professional, source)
    seen = watch(recording, done_when_playable)

    recording = process(recording)

    assert seen.done == {"hevc"} and seen.status == Recording.Status.PLAYABLE
    hevc = rendition_file(recording, "hevc", tmp_path)
    picture = streams(hevc)["video"]
    assert (picture["codec_name"], picture["codec_tag_string"]) == ("hevc", "hvc1")
    assert picture_hash(hevc) == picture_hash(source)
    assert moov_before_mdat(hevc)
    rendition = recording.renditions.get(kind="hevc")
    assert rendition.codecs == codecs
    assert (rendition.width, rendition.height) == (picture["width"], picture["height"])
    # For the other browsers the H.264 high rendition is encoded afterwards; then the film is ready.
    assert recording.status == Recording.Status.READY
    high = streams(rendition_file(recording, "high", tmp_path))["video"]
    assert (high["codec_name"], high["pix_fmt"]) == ("h264", "yuv420p")
    assert sorted(recording.renditions.values_list("kind", flat=True)) == sorted(Rendition.Kind.values)
    keys = [recording.original_key, *recording.renditions.values_list("key", flat=True)]
    assert stored_keys(recording) == sorted(keys)


def test_a_film_without_a_copy_path_gets_no_hevc_rendition(professional, video_fixtures, done_when_playable):
    recording = stored_recording_of(professional, video_fixtures["browser_vp9_opus.webm"].path)
    seen = watch(recording, done_when_playable)

    recording = process(recording)

    assert recording.status == Recording.Status.READY
    # Playable from its first encoded segment (the early form), with no rendition copied before it.
    assert seen.done == set() and recording.segments.count() == 0
    assert not recording.renditions.filter(kind="hevc").exists()


# --- limits on what is copied ---------------------------------------------------------------------------


def mp4_claiming_one_second(path: Path, seconds: int, *codec: str) -> Path:
    """A real MP4/MOV of ``seconds`` (one frame a second) whose movie and track headers say 1 second."""
    ffmpeg_run(
        "-f", "lavfi", "-i", f"color=size=32x32:rate=1:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=sample_rate=48000:duration={seconds}", *codec, str(path),
    )  # fmt: skip
    data = bytearray(path.read_bytes())
    movie_scale = _patch_duration(data, b"mvhd", timescale_at=12, duration_at=16)
    for at in _boxes(data, b"tkhd"):
        struct.pack_into(">I", data, at + 20 + 8, movie_scale)  # version 0: duration after 5 fields
    for at in _boxes(data, b"mdhd"):
        scale = struct.unpack_from(">I", data, at + 8 + 12)[0]
        struct.pack_into(">I", data, at + 8 + 16, scale)
    path.write_bytes(bytes(data))
    return path


def _boxes(data: bytearray, name: bytes) -> list[int]:
    found, start = [], 0
    while (at := data.find(name, start)) != -1:
        found.append(at - 4)
        start = at + 4
    return found


def _patch_duration(data: bytearray, name: bytes, timescale_at: int, duration_at: int) -> int:
    at = _boxes(data, name)[0]
    scale = int(struct.unpack_from(">I", data, at + timescale_at + 8)[0])
    struct.pack_into(">I", data, at + duration_at + 8, scale)
    return scale


@pytest.mark.parametrize(
    ("name", "codec"),
    [
        ("liar_h264_ac3.mp4", (*H264, "-c:a", "ac3")),
        ("liar_hevc.mov", (*HEVC, "-pix_fmt", "yuv420p", "-c:a", "aac")),
    ],
)
@override_settings(RECORDING_MAX_DURATION_SECONDS=120)
def test_a_copied_film_longer_than_its_header_claims_is_stopped_at_the_limit_and_refused(
    professional, tmp_path, name, codec
):
    liar = mp4_claiming_one_second(tmp_path / name, 600, *codec)
    header = ffprobe_json(liar)
    assert float(header["format"]["duration"]) == pytest.approx(1.0, abs=0.1)
    assert video.stream_copy_plan(video.probe(liar)) is not None  # it takes a fast path

    recording = process(stored_recording_of(professional, liar))

    assert recording.status == Recording.Status.REJECTED
    assert "langer dan de toegestane 2 minuten" in recording.rejection_reason
    assert stored_keys(recording) == []
    assert not recording.renditions.filter(status=Rendition.Status.DONE).exists()
