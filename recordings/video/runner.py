"""Running ffmpeg: progress as a fraction, a heartbeat, and a kill when it stalls."""

from __future__ import annotations

import functools
import os
import selectors
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from recordings.video.probing import MediaRejected, MediaStalled, RejectReason, _stderr_tail

ProgressCallback = Callable[[float], None]
GLOBAL_ARGS = ("-y", "-hide_banner", "-nostdin", "-loglevel", "error", "-progress", "pipe:1", "-nostats")

# --- running ffmpeg -------------------------------------------------------------------------------------


@dataclass
class _ProgressState:
    last_advance: float = field(default_factory=time.monotonic)
    last_report: float = field(default_factory=time.monotonic)
    out_time: float = -1.0
    fraction: float = 0.0


def run(command: list[str], duration: float, on_progress: ProgressCallback, stall_seconds: float) -> None:
    """Run an ffmpeg command line, report progress (0..1) and kill it after ``stall_seconds`` idle.

    ``on_progress`` gets the fraction done whenever it advances, and the same fraction again at least
    once a second while ffmpeg runs (a heartbeat for the caller's lease). An exception it raises kills
    ffmpeg and propagates.

    stderr goes to an anonymous temporary file, not a pipe, so a chatty ffmpeg can never block on a
    full pipe while we wait for progress lines on stdout.
    """
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL)
        try:
            _follow_progress(process, duration, on_progress, stall_seconds)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
            assert process.stdout is not None
            process.stdout.close()
        log.seek(0)
        tail = _stderr_tail(log.read())
    if process.returncode != 0:
        raise MediaRejected(RejectReason.UNREADABLE, tail)


def _follow_progress(
    process: subprocess.Popen[bytes], duration: float, on_progress: ProgressCallback, stall_seconds: float
) -> None:
    assert process.stdout is not None
    state = _ProgressState()
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    buffer = b""
    try:
        while True:
            if selector.select(timeout=1.0):
                chunk = os.read(process.stdout.fileno(), 65536)
                if not chunk:
                    return
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    _progress_line(line.decode(errors="replace").strip(), state, duration, on_progress)
            if time.monotonic() - state.last_advance > stall_seconds:
                process.kill()
                raise MediaStalled(f"no progress for {stall_seconds:.0f}s")
            if time.monotonic() - state.last_report >= 1.0:
                state.last_report = time.monotonic()
                on_progress(state.fraction)
    finally:
        selector.close()


def _progress_line(line: str, state: _ProgressState, duration: float, on_progress: ProgressCallback) -> None:
    key, _, value = line.partition("=")
    # out_time_us and out_time_ms are both microseconds (a historical ffmpeg quirk); use one of them.
    if key != "out_time_us" or not value.lstrip("-").isdigit():
        return
    seconds = int(value) / 1_000_000
    if seconds > state.out_time:
        state.out_time = seconds
        state.last_advance = time.monotonic()
        if duration > 0:
            state.fraction = max(0.0, min(1.0, seconds / duration))
            state.last_report = state.last_advance
            on_progress(state.fraction)


@functools.cache
def available_filters() -> frozenset[str]:
    """Filter names this ffmpeg build has (zscale needs ffmpeg built with zimg)."""
    listing = subprocess.run(
        ["ffmpeg", "-hide_banner", "-filters"], capture_output=True, text=True, check=False, timeout=30
    ).stdout
    names = set()
    for line in listing.splitlines():
        parts = line.split()
        if len(parts) >= 3 and "->" in parts[2]:
            names.add(parts[1])
    return frozenset(names)
