"""Real segments of a high rendition, made by ffmpeg, for the consumer side of "playable while encoding".

``segment_films`` (session scope) makes a 6-second H.264/AAC fixture film with a keyframe every second and
cuts it at keyframes into three segments of 2 seconds. Each is encoded as the pipeline's segments are: a
self-contained fragmented MP4 (its own init segment, then fragments) in H.264 High and AAC, whose
timestamps are positions in the original film. ``store_segments`` puts them in the default storage
(whatever backend is active) and writes the ``Segment`` rows.

Two options beyond the obvious ones keep the original timestamps in the fragments with this ffmpeg:
``frag_discont`` makes the muxer write the first fragment's decode time (``tfdt``) from the packet instead
of zero, and ``avoid_negative_ts disabled`` keeps it from shifting the offset timestamps back to zero. No
B-frames, so a frame's presentation time equals its decode time and the segment starts exactly at its cut.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from recordings.models import Recording, Segment
from tests.video.fixtures import ffmpeg_run

# A star import brings the session fixture (only) into a test module that uses it.
__all__ = ["segment_films"]

FILM_SECONDS = 6
CUTS_MS = ((0, 2000), (2000, 4000), (4000, 6000))


@dataclass(frozen=True)
class SegmentFile:
    index: int
    start_ms: int
    end_ms: int
    path: Path

    @property
    def content(self) -> bytes:
        return self.path.read_bytes()


def make_source(folder: Path) -> Path:
    """The fixture film: 160x120 at 25 fps with a 440 Hz tone, a keyframe every second."""
    path = folder / "source.mp4"
    ffmpeg_run(
        "-f", "lavfi", "-i", f"testsrc2=size=160x120:rate=25:duration={FILM_SECONDS}",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={FILM_SECONDS}",
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path),
    )  # fmt: skip
    return path


def encode_segment(source: Path, start_ms: int, end_ms: int, path: Path) -> Path:
    """One segment: the part of ``source`` from ``start_ms`` to ``end_ms``, timestamps kept as in the film."""
    start, length = start_ms / 1000, (end_ms - start_ms) / 1000
    ffmpeg_run(
        "-ss", f"{start:.3f}", "-t", f"{length:.3f}", "-i", str(source),
        "-c:v", "libx264", "-profile:v", "high", "-preset", "veryfast", "-bf", "0", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-output_ts_offset", f"{start:.3f}", "-avoid_negative_ts", "disabled",
        "-movflags", "+frag_keyframe+empty_moov+default_base_moof+frag_discont", str(path),
    )  # fmt: skip
    return path


_MADE: dict[str, list[SegmentFile]] = {}


@pytest.fixture(scope="session")
def segment_films(tmp_path_factory: pytest.TempPathFactory) -> list[SegmentFile]:
    if "segments" not in _MADE:
        folder = tmp_path_factory.mktemp("segments")
        source = make_source(folder)
        _MADE["segments"] = [
            SegmentFile(index, start, end, encode_segment(source, start, end, folder / f"{index}.mp4"))
            for index, (start, end) in enumerate(CUTS_MS)
        ]
    return _MADE["segments"]


def source_of(films: list[SegmentFile]) -> Path:
    """The fixture film the segments were cut from (it stands in for the joined high rendition)."""
    return films[0].path.parent / "source.mp4"


def store_segments(recording: Recording, films: list[SegmentFile]) -> list[Segment]:
    """Store ``films`` under the recording's folder, as the pipeline does, and record them as finished."""
    rows = []
    for film in films:
        with film.path.open("rb") as file:
            key = default_storage.save(f"recordings/{recording.storage_prefix}/{uuid.uuid4().hex}.mp4", file)
        rows.append(
            Segment.objects.create(
                recording=recording,
                index=film.index,
                start_ms=film.start_ms,
                end_ms=film.end_ms,
                key=key,
                size=film.path.stat().st_size,
            )
        )
    return rows
