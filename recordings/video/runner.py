"""Running ffmpeg: progress as a fraction, a heartbeat, and a kill when it stalls."""

from __future__ import annotations

import contextlib
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
    out_time: float = -1.0
    fraction: float = 0.0


def run(command: list[str], duration: float, on_progress: ProgressCallback, stall_seconds: float) -> None:
    """Run an ffmpeg command line, report progress (0..1) and kill it after ``stall_seconds`` idle.

    ``on_progress`` gets the fraction done whenever it advances, and the same fraction again at least
    once a second while ffmpeg runs (a heartbeat for the caller's lease). An exception it raises kills
    ffmpeg and propagates.
    """
    run_together([command], duration, on_progress, stall_seconds)


def run_together(
    commands: list[list[str]], duration: float, on_progress: ProgressCallback, stall_seconds: float
) -> None:
    """``run`` for several ffmpeg command lines side by side (one per core): the fraction reported is
    their mean, each is killed with the others when one stalls or fails, and ``on_progress`` is called
    from this thread only (it may write to the database).

    stderr goes to anonymous temporary files, not pipes, so a chatty ffmpeg can never block on a
    full pipe while we wait for progress lines on stdout.
    """
    with contextlib.ExitStack() as stack:
        logs = [stack.enter_context(tempfile.TemporaryFile()) for _command in commands]
        processes = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL)
            for command, log in zip(commands, logs, strict=True)
        ]
        try:
            _follow_progress(processes, duration, on_progress, stall_seconds)
        finally:
            for process in processes:
                if process.poll() is None:
                    process.kill()
                process.wait()
                assert process.stdout is not None
                process.stdout.close()
        for process, log in zip(processes, logs, strict=True):
            if process.returncode != 0:
                log.seek(0)
                raise MediaRejected(RejectReason.UNREADABLE, _stderr_tail(log.read()))


def _follow_progress(
    processes: list[subprocess.Popen[bytes]],
    duration: float,
    on_progress: ProgressCallback,
    stall_seconds: float,
) -> None:
    states: dict[int, _ProgressState] = {}
    buffers: dict[int, bytes] = {}
    selector = selectors.DefaultSelector()
    for process in processes:
        assert process.stdout is not None
        fd = process.stdout.fileno()
        states[fd], buffers[fd] = _ProgressState(), b""
        selector.register(process.stdout, selectors.EVENT_READ, fd)
    last_report = time.monotonic()

    def report() -> None:
        nonlocal last_report
        last_report = time.monotonic()
        on_progress(sum(state.fraction for state in states.values()) / len(states))

    try:
        running = set(states)
        while running:
            for key, _events in selector.select(timeout=1.0):
                fd = key.data
                chunk = os.read(fd, 65536)
                if not chunk:
                    selector.unregister(key.fileobj)
                    running.discard(fd)
                    continue
                *lines, buffers[fd] = (buffers[fd] + chunk).split(b"\n")
                if any(
                    _progress_line(line.decode(errors="replace").strip(), states[fd], duration)
                    for line in lines
                ):
                    report()
            now = time.monotonic()
            if any(now - states[fd].last_advance > stall_seconds for fd in running):
                for process in processes:
                    process.kill()
                raise MediaStalled(f"no progress for {stall_seconds:.0f}s")
            if now - last_report >= 1.0:
                report()
    finally:
        selector.close()


def _progress_line(line: str, state: _ProgressState, duration: float) -> bool:
    """Read one ``-progress`` line into ``state``; returns whether the fraction advanced."""
    key, _, value = line.partition("=")
    # out_time_us and out_time_ms are both microseconds (a historical ffmpeg quirk); use one of them.
    if key != "out_time_us" or not value.lstrip("-").isdigit():
        return False
    seconds = int(value) / 1_000_000
    if seconds <= state.out_time:
        return False
    state.out_time = seconds
    state.last_advance = time.monotonic()
    if duration <= 0:
        return False
    state.fraction = max(0.0, min(1.0, seconds / duration))
    return True


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
