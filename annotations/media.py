"""Cutting clips for the review conversation: stream copy when the cut starts on a keyframe.

Pure helpers on local paths, no Django; the heavy lifting (still, frame-accurate clip, concat) lives in
``recordings.video``. What this module adds is the choice between the two ways of cutting a clip:
copying the compressed stream is instant and lossless but can only start on a keyframe (a cut elsewhere
would begin with frames that cannot be decoded), so anywhere else we re-encode frame-accurately.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from recordings import video as recording_media

# A keyframe this close to the requested start counts as "on" it: less than a frame at 120 fps.
KEYFRAME_TOLERANCE_MS = 4
# Look for keyframes only in a short window around the start, so the probe reads little of the file.
KEYFRAME_WINDOW_S = 2.0


def keyframe_times_ms(src: Path, around_ms: int) -> list[int]:
    """Presentation times (ms) of the video keyframes near ``around_ms``."""
    start = max(0.0, around_ms / 1000 - KEYFRAME_WINDOW_S)
    command = [
        "ffprobe",
        "-v",
        "error",
        "-select_streams",
        "v:0",
        "-skip_frame",
        "nokey",
        "-show_entries",
        "frame=pts_time",
        "-of",
        "csv=p=0",
        "-read_intervals",
        f"{start:.3f}%+{2 * KEYFRAME_WINDOW_S:.3f}",
        str(src),
    ]
    output = subprocess.run(command, capture_output=True, check=True, timeout=120, text=True).stdout
    times = []
    for line in output.splitlines():
        value = line.strip().rstrip(",")
        if value and value != "N/A":
            times.append(round(float(value) * 1000))
    return times


def starts_on_keyframe(src: Path, start_ms: int) -> bool:
    return any(abs(time - start_ms) <= KEYFRAME_TOLERANCE_MS for time in keyframe_times_ms(src, start_ms))


def clip_stream_copy(src: Path, *, start_ms: int, end_ms: int, dst: Path, stall_seconds: float = 120) -> None:
    """Copy ``start_ms``..``end_ms`` without re-encoding; the caller made sure the start is a keyframe."""
    command = [
        "ffmpeg",
        "-y",
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "error",
        "-progress",
        "pipe:1",
        "-nostats",
        "-ss",
        f"{start_ms / 1000:.3f}",
        "-t",
        f"{(end_ms - start_ms) / 1000:.3f}",
        "-i",
        str(src),
        "-map",
        "0:v:0",
        "-map",
        "0:a:0?",  # the first audio stream, if there is one
        "-c",
        "copy",
        "-avoid_negative_ts",
        "make_zero",
        *_options(recording_media.STRIP_METADATA),
        *_options(recording_media.MP4_FLAGS),
        str(dst),
    ]
    recording_media.run(command, (end_ms - start_ms) / 1000, lambda _fraction: None, stall_seconds)


def _options(options: dict[str, object]) -> list[str]:
    return [item for name, value in options.items() for item in (f"-{name}", str(value))]


def clip(src: Path, *, start_ms: int, end_ms: int, dst: Path) -> str:
    """Cut a clip the fastest exact way; returns the method used: "copy" or "encode"."""
    if starts_on_keyframe(src, start_ms):
        clip_stream_copy(src, start_ms=start_ms, end_ms=end_ms, dst=dst)
        return "copy"
    recording_media.clip(src, start_ms=start_ms, end_ms=end_ms, dst=dst)
    return "encode"
