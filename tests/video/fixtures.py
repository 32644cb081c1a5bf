"""Video fixtures for the tests of ``recordings.video`` and the pipeline: real files made by ffmpeg.

``video_fixtures`` runs the shared ``make_fixtures.sh`` (phones, browsers, cameras and files to refuse;
its ``fixtures.json`` says what a correct platform does with each). ``extra_videos`` adds the harder cases
the script does not make: variable frame rate, a camcorder MTS with a non-zero start time, 10-bit HDR
HEVC, MJPEG AVI, photos, a phone film carrying GPS and device metadata, an MP4 cut short.
No Django here. Import into a test module with ``from tests.video.fixtures import *  # noqa: F403``.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# The shared script lives beside the repository (``../shared/video-fixtures``), as the issue says.
# VIDEO_FIXTURES_SCRIPT overrides it, as in tests/conftest.py.
MAKE_FIXTURES = Path(
    os.environ.get("VIDEO_FIXTURES_SCRIPT")
    or Path(__file__).resolve().parents[3] / "shared" / "video-fixtures" / "make_fixtures.sh"
)

GPS_LOCATION = "+52.0000+005.1000/"


@dataclass(frozen=True)
class VideoFixture:
    path: Path
    what: str
    expect: str  # "accept" | "reject"
    display: tuple[int, int] | None = None
    duration: float | None = None
    audio: bool | None = None

    @property
    def name(self) -> str:
        return self.path.name


def ffmpeg_run(*args: str) -> None:
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args], check=True, timeout=120)


# Tags that could say where, when or with what a family was filmed.
PERSONAL_TAGS = ("location", "creation_time", "make", "model", "com.apple.quicktime")


def ffprobe_json(path: Path, *options: str) -> dict[str, Any]:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", "-show_format", "-show_streams", *options, str(path)],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return dict(json.loads(result.stdout))


# Each test module that star-imports the session fixtures gets its own copy of them in pytest; this
# cache makes the files once per test process all the same.
_MADE: dict[str, dict[str, VideoFixture]] = {}


@pytest.fixture(scope="session")
def video_fixtures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, VideoFixture]:
    """The shared fixture files by name, with what fixtures.json expects of each."""
    if "script" not in _MADE:
        _MADE["script"] = _run_fixture_script(tmp_path_factory.mktemp("video-fixtures"))
    return _MADE["script"]


def _run_fixture_script(folder: Path) -> dict[str, VideoFixture]:
    subprocess.run(["bash", str(MAKE_FIXTURES), str(folder)], check=True, capture_output=True, timeout=300)
    entries = json.loads((folder / "fixtures.json").read_text())
    return {
        entry["file"]: VideoFixture(
            path=folder / entry["file"],
            what=entry["what"],
            expect=entry["expect"],
            display=tuple(entry["display"]) if "display" in entry else None,  # type: ignore[arg-type]
            duration=entry.get("duration"),
            audio=entry.get("audio"),
        )
        for entry in entries
    }


@pytest.fixture(scope="session")
def extra_videos(
    tmp_path_factory: pytest.TempPathFactory, video_fixtures: dict[str, VideoFixture]
) -> dict[str, VideoFixture]:
    """Harder cases than the script makes (see the module docstring)."""
    if "extra" not in _MADE:
        _MADE["extra"] = _make_extra_videos(tmp_path_factory.mktemp("extra-videos"), video_fixtures)
    return _MADE["extra"]


def _make_extra_videos(folder: Path, video_fixtures: dict[str, VideoFixture]) -> dict[str, VideoFixture]:
    clock = "testsrc2=size=320x180:rate=30:duration={seconds}"
    tone = "sine=frequency=440:sample_rate=48000:duration={seconds}"
    made: dict[str, VideoFixture] = {}

    def add(name: str, expect: str, what: str, **expected: Any) -> Path:
        path = folder / name
        made[name] = VideoFixture(path=path, what=what, expect=expect, **expected)
        return path

    # Variable frame rate: 30 fps for a second, then 10 fps (a phone saving power in low light).
    ffmpeg_run(
        "-f", "lavfi", "-i", clock.format(seconds=3) + ",select='lt(t\\,1)+not(mod(n\\,3))'",
        "-fps_mode", "vfr", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        str(add("vfr.mp4", "accept", "variable frame rate", display=(320, 180), duration=2.93, audio=False)),
    )  # fmt: skip
    # Camcorder: MPEG-2 in MPEG-TS, whose timestamps start at 1.4 s, not 0.
    ffmpeg_run(
        "-f", "lavfi", "-i", clock.format(seconds=2), "-f", "lavfi", "-i", tone.format(seconds=2),
        "-c:v", "mpeg2video", "-q:v", "5", "-c:a", "mp2",
        str(add("camcorder.mts", "accept", "MPEG-2 in MTS", display=(320, 180), duration=2.0, audio=True)),
    )  # fmt: skip
    # iPhone HDR: 10-bit HEVC with the PQ transfer.
    ffmpeg_run(
        "-f", "lavfi", "-i", clock.format(seconds=2), "-c:v", "libx265", "-preset", "ultrafast",
        "-x265-params", "log-level=error:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc",
        "-pix_fmt", "yuv420p10le", "-color_primaries", "bt2020", "-color_trc", "smpte2084",
        "-colorspace", "bt2020nc", "-tag:v", "hvc1",
        str(add("hdr_hevc.mov", "accept", "10-bit HDR HEVC", display=(320, 180), duration=2.0, audio=False)),
    )  # fmt: skip
    # Older camera: Motion JPEG in AVI.
    ffmpeg_run(
        "-f", "lavfi", "-i", clock.format(seconds=2), "-c:v", "mjpeg", "-q:v", "5",
        str(add("camera_mjpeg.avi", "accept", "MJPEG AVI", display=(320, 180), duration=2.0, audio=False)),
    )  # fmt: skip
    for name in ("photo.png", "photo.jpg"):
        ffmpeg_run(
            "-f",
            "lavfi",
            "-i",
            clock.format(seconds=1),
            "-frames:v",
            "1",
            str(add(name, "reject", "a photo")),
        )
    # A phone film that tells where and with what it was made (the family's home!).
    ffmpeg_run(
        "-i", str(video_fixtures["portrait_rotated_h264.mp4"].path), "-map", "0", "-c", "copy",
        "-metadata", f"location={GPS_LOCATION}", "-metadata", "location-eng=" + GPS_LOCATION,
        "-metadata", "make=Apple", "-metadata", "model=iPhone 15",
        "-metadata", "creation_time=2025-05-01T10:00:00Z", "-metadata:s:v", "creation_time=2025-05-01T10:00:00Z",
        str(add("gps_portrait.mov", "accept", "portrait phone film with GPS", display=(360, 640), duration=3.0, audio=True)),
    )  # fmt: skip
    # The same with the fast path: browser-playable H.264/AAC, but GPS and device tags in the file.
    ffmpeg_run(
        "-i", str(video_fixtures["landscape_h264_aac.mp4"].path), "-map", "0", "-c", "copy",
        "-metadata", f"location={GPS_LOCATION}", "-metadata", "make=Apple", "-metadata", "model=iPhone 15",
        "-metadata", "creation_time=2025-05-01T10:00:00Z", "-movflags", "+faststart",
        str(add("gps_landscape.mp4", "accept", "landscape phone film with GPS", display=(640, 360), duration=4.0, audio=True)),
    )  # fmt: skip
    # Index first, data cut off: ffprobe reads it fine, the picture stops half-way.
    source = video_fixtures["landscape_h264_aac.mp4"].path.read_bytes()
    add("cut_short_faststart.mp4", "reject", "faststart MP4 cut in half").write_bytes(
        source[: len(source) // 2]
    )
    return made


def every_fixture(
    video_fixtures: dict[str, VideoFixture], extra_videos: dict[str, VideoFixture]
) -> dict[str, VideoFixture]:
    return {**video_fixtures, **extra_videos}


def film_claiming_one_second(path: Path, seconds: int) -> Path:
    """A real Matroska film of ``seconds`` whose header's Duration says 1 second (1000 ms)."""
    ffmpeg_run(
        "-f", "lavfi", "-i", f"color=size=32x32:rate=1:duration={seconds}",
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "600", str(path),
    )  # fmt: skip
    data = bytearray(path.read_bytes())
    # Segment Info's Duration element: ID 0x4489, size 8, a big-endian double in milliseconds.
    at = data.index(b"\x44\x89\x88")
    data[at + 3 : at + 11] = struct.pack(">d", 1000.0)
    path.write_bytes(data)
    return path


def personal_tags(path: Path) -> list[str]:
    info = ffprobe_json(path)
    tags = dict(info["format"].get("tags", {}))
    for stream in info["streams"]:
        tags |= stream.get("tags", {})
    return [f"{key}={value}" for key, value in tags.items() if key.lower().startswith(PERSONAL_TAGS)]
