"""Cutting a film into keyframe-aligned segments that are encoded apart and joined without re-encoding.

The keyframes come from the demuxed video packets (no decoding), read with the same allowlists as every
probe and never further than the duration limit allows; the packets also tell how much film there
really is, so a file whose header claims one second for ten hours is refused here, before any segment
is encoded or shown.

A boundary sits exactly on a keyframe of the original, so each segment's decode starts at a keyframe
and every frame lands in exactly one segment (cut on its timestamp, ``trim``): no gap, no duplicate.
"""

from __future__ import annotations

import math
import subprocess
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from recordings.video.probing import (
    PROBE_TIMEOUT_SECONDS,
    Limits,
    MediaRejected,
    Probe,
    RejectReason,
    input_options,
    local_url,
)

# The first segment is short, so the start of the film is watchable within seconds of the upload; the
# rest are long enough that a segment's fixed costs (a seek, an encoder warm-up) stay small.
FIRST_SEGMENT_SECONDS = 8.0
SEGMENT_SECONDS = 40.0
# The first minute is what is watched first: after the short first segment it is cut into two
# segments of equal length, which two workers encode side by side (with a faster preset, see
# ``segment_encoding``), so it is watchable sooner than the 40-second segments would allow.
EARLY_SECONDS = 60.0
# A last piece shorter than this joins the segment before it.
MIN_TAIL_SECONDS = 2.0


@dataclass(frozen=True)
class Keyframes:
    """What the demuxed video packets of a file say: keyframe timestamps, frame count, real length."""

    time_base: Fraction  # of the video stream: every ``*_pts`` below is in these units
    offset_pts: int  # the file's start time (position 0 of the recording) in those units
    keyframe_pts: tuple[int, ...]  # in ascending order
    frames: int
    duration: float  # seconds, from position 0 to the end of the last frame

    def position(self, pts: int) -> float:
        return float((pts - self.offset_pts) * self.time_base)


@dataclass(frozen=True)
class Span:
    """One segment: positions ``start``..``end`` (seconds on the recording's timeline) and the cut.

    ``start_pts``/``end_pts`` are the original's video timestamps of the first frame in and the first
    frame out (``None`` at the film's own start and end, so nothing before or after is lost).
    """

    index: int
    start: float
    end: float
    start_pts: int | None
    end_pts: int | None
    time_base: str  # "1/90000": the unit of the two timestamps
    total: int  # segments in the film
    early: bool = False  # starts within the first minute (``EARLY_SECONDS``): encoded faster

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Span:
        return cls(**data)


# --- reading the keyframes ------------------------------------------------------------------------------


def scan_keyframes(path: Path, info: Probe, limits: Limits) -> Keyframes:
    """The video keyframes of ``path`` and how much film it holds, measured from its packets.

    Raises ``MediaRejected(OVER_LIMIT)`` when the packets run past the duration or frame limit, whatever
    the header declared (reading stops a second past the limit, so a liar costs little).
    """
    assert info.video_index is not None
    time_base = _stream_time_base(path, info)
    lines = _packet_lines(path, info, limits)
    offset = round(Fraction(info.start_time).limit_denominator(1_000_000) / time_base)
    keyframes, frames, last_end = [], 0, None
    for line in lines:
        pts_text, dts_text, duration_text, flags = (line.split(",") + ["", "", "", ""])[:4]
        pts = _int(pts_text) if _int(pts_text) is not None else _int(dts_text)
        if pts is None or "D" in flags:
            continue
        frames += 1
        if "K" in flags:
            keyframes.append(pts)
        end = pts + (_int(duration_text) or 0)
        last_end = end if last_end is None else max(last_end, end)
    duration = float((last_end - offset) * time_base) if last_end is not None else 0.0
    found = Keyframes(time_base, offset, tuple(sorted(set(keyframes))), frames, duration)
    if duration > limits.max_duration_seconds + 0.5 or frames > limits.max_frames:
        raise MediaRejected(RejectReason.OVER_LIMIT, f"{duration:.2f}s, {frames} frames in the packets")
    return found


def _stream_time_base(path: Path, info: Probe) -> Fraction:
    completed = _ffprobe_csv(
        path, info, "-select_streams", str(info.video_index), "-show_entries", "stream=time_base"
    )
    text = completed.strip().splitlines()[0] if completed.strip() else "1/90000"
    return Fraction(text.strip(","))


def _packet_lines(path: Path, info: Probe, limits: Limits) -> list[str]:
    # read_intervals "%+N": from the start, N seconds at most; a film claiming one second for ten hours
    # is read for the limit plus a second, not for ten hours.
    output = _ffprobe_csv(
        path,
        info,
        "-select_streams",
        str(info.video_index),
        "-read_intervals",
        f"%+{limits.read_seconds:.3f}",
        "-show_entries",
        "packet=pts,dts,duration,flags",
    )
    return [line for line in output.splitlines() if line.strip()]


def _ffprobe_csv(path: Path, info: Probe, *options: str) -> str:
    allowlist = [arg for key, value in input_options(info.demuxer).items() for arg in (f"-{key}", value)]
    try:
        completed = subprocess.run(
            [
                "ffprobe",
                "-hide_banner",
                "-v",
                "error",
                "-of",
                "csv=p=0",
                *allowlist,
                *options,
                local_url(path),
            ],
            capture_output=True,
            check=True,
            timeout=PROBE_TIMEOUT_SECONDS * 4,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        raise MediaRejected(RejectReason.UNREADABLE, "the video packets cannot be read") from exc
    return completed.stdout.decode(errors="replace")


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else None


# --- choosing the boundaries ----------------------------------------------------------------------------


def plan_segments(
    found: Keyframes,
    *,
    first_seconds: float = FIRST_SEGMENT_SECONDS,
    segment_seconds: float = SEGMENT_SECONDS,
    early_seconds: float = 0.0,
) -> list[Span]:
    """Segments cut at keyframes: the first ends at the first keyframe ``first_seconds`` in; until
    ``early_seconds`` (0: no such stretch) the rest of that stretch is cut in two; after it each
    segment ends at the first keyframe ``segment_seconds`` after its start. One keyframe gives one
    segment."""
    early_step = (early_seconds - first_seconds) / 2

    def next_goal(position: float) -> float:
        if position < early_seconds:
            return min(early_seconds, position + early_step)
        return position + segment_seconds

    boundaries: list[int] = []
    goal = first_seconds
    for pts in found.keyframe_pts:
        position = found.position(pts)
        if position >= goal and found.duration - position >= MIN_TAIL_SECONDS:
            boundaries.append(pts)
            goal = next_goal(position)
    starts: list[int | None] = [None, *boundaries]
    ends: list[int | None] = [*boundaries, None]
    spans = []
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        position = 0.0 if start is None else found.position(start)
        spans.append(
            Span(
                index=index,
                start=position,
                end=found.duration if end is None else found.position(end),
                start_pts=start,
                end_pts=end,
                time_base=str(found.time_base),
                total=len(starts),
                early=position < early_seconds,
            )
        )
    return spans


def tiles_of(span: Span, interval: float, total_tiles: int) -> range:
    """Sprite tile numbers whose moment (number × interval) falls in ``span``: every tile in exactly
    one segment."""
    first = math.ceil(span.start / interval - 1e-9)
    last = math.ceil(span.end / interval - 1e-9)
    return range(min(first, total_tiles), min(last, total_tiles))
