"""Time from "upload complete" to playable for 10-minute 1080p phone and camcorder films (the fast paths).

    .venv/bin/python bench/fast_paths.py                 # 3 runs per source, sources cached in bench/.cache
    .venv/bin/python bench/fast_paths.py --runs 5
    .venv/bin/python bench/fast_paths.py --only hevc     # one source kind

The sources are made once with ffmpeg (fast presets, little noise) into ``bench/.cache/`` (gitignored):

- ``upright``: an upright phone film, H.264 High 1920x1080 with a 90-degree display rotation, AAC sound;
- ``hevc``: an iPhone-style HEVC Main film in a .mov tagged hvc1, AAC sound;
- ``avchd``: a camcorder film, H.264 + AC-3 sound in MPEG-TS (AVCHD's .mts), mono as in the
  ``make_fixtures.sh --bench`` film;
- ``avchd_stereo``: the same with stereo AC-3 (two tones), as most camcorders record.

``RECORDING_SOUND_CORES=1`` in the environment measures the sound encoded in one part.

Each run uses a fresh temporary DATA_DIR (SQLite, local private storage): the original is stored and
attached (upload complete), then the clock starts and ``recording_process`` runs in this process, as the
Celery task would. "Playable" is the moment the pipeline marks the recording PLAYABLE (read from its log
line, then checked on the row). Prints median and min-max per source, and the load average.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pipeline import PlayableClock, setup_django, stored_recording  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
MINUTES = 10
# One minute is encoded, then looped ten times by stream copy: a 10-minute film of real size and
# structure for a tenth of the encoding (the pipeline only copies the picture; content does not matter).
PICTURE = "testsrc2=size=1920x1080:rate=30:duration=60,noise=alls=3:allf=t"
SOUND = "sine=frequency=440:sample_rate=48000:duration=60"
STEREO = "aevalsrc=exprs=0.3*sin(2*PI*440*t)|0.3*sin(2*PI*660*t):sample_rate=48000:duration=60"
# How each source is made: ffmpeg arguments for the minute, its container, and the final file's name.
SOURCES: dict[str, tuple[str, list[str]]] = {
    "upright": (
        "upright_h264_aac_10min.mp4",
        ["-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "high", "-pix_fmt", "yuv420p",
         "-b:v", "8M", "-c:a", "aac", "-b:a", "128k", "-metadata:s:v:0", "rotate=90", "-f", "mp4"],
    ),
    "hevc": (
        "iphone_hevc_aac_10min.mov",
        ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-pix_fmt", "yuv420p",
         "-b:v", "6M", "-tag:v", "hvc1", "-c:a", "aac", "-b:a", "128k", "-f", "mov"],
    ),
    "avchd": (
        "avchd_h264_ac3_10min.mts",
        ["-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "high", "-pix_fmt", "yuv420p",
         "-b:v", "8M", "-c:a", "ac3", "-b:a", "256k", "-f", "mov"],
    ),
    "avchd_stereo": (
        "avchd_h264_ac3_stereo_10min.mts",
        ["-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "high", "-pix_fmt", "yuv420p",
         "-b:v", "8M", "-c:a", "ac3", "-b:a", "256k", "-f", "mov"],
    ),
}  # fmt: skip


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def source(kind: str) -> Path:
    """The cached source film of ``kind``, made first if missing (a half-written one never counts)."""
    name, arguments = SOURCES[kind]
    path = CACHE / name
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    minute = CACHE / f"minute-{kind}.mov"
    sound = STEREO if kind.endswith("stereo") else SOUND
    ffmpeg("-f", "lavfi", "-i", PICTURE, "-f", "lavfi", "-i", sound, *arguments, str(minute))
    partial = path.with_name("partial-" + name)
    container = "mpegts" if name.endswith(".mts") else "mov"
    ffmpeg("-stream_loop", str(MINUTES - 1), "-i", str(minute), "-map", "0", "-c", "copy", "-f", container,
           str(partial))  # fmt: skip
    minute.unlink()
    partial.rename(path)
    return path


def one_run(kind: str) -> None:
    """In this process: a fresh DATA_DIR, the film stored and attached, then the pipeline until playable.

    Prints the seconds from the start of ``recording_process`` until the pipeline marked the recording
    playable, then ends the process at once: the encoding that follows is not what this measures.
    """
    film = source(kind)
    with tempfile.TemporaryDirectory(prefix="bench-fast-paths-") as folder:
        setup_django(Path(folder) / "data")
        from recordings.models import Recording
        from recordings.pipeline import recording_process

        recording_id = stored_recording(film)
        clock = PlayableClock()
        started = 0.0

        def playable(record: logging.LogRecord) -> bool:
            if record.getMessage().endswith(" playable"):
                elapsed = time.perf_counter() - started
                status = Recording.objects.get(pk=recording_id).status
                print(json.dumps({"kind": kind, "seconds": elapsed, "status": status}), flush=True)
                shutil.rmtree(folder, ignore_errors=True)  # os._exit skips the context manager's cleanup
                os._exit(0 if status == Recording.Status.PLAYABLE else 1)
            return True

        clock.addFilter(playable)
        logger = logging.getLogger("recordings.pipeline")
        logger.addHandler(clock)
        logger.setLevel(logging.INFO)
        started = time.perf_counter()
        recording_process(recording_id=recording_id)
    print(json.dumps({"kind": kind, "seconds": None, "status": "never playable"}), flush=True)
    sys.exit(1)


def measure(kind: str, runs: int) -> list[float]:
    """``runs`` runs of ``kind``, each in a fresh process (fresh database, storage and caches of Django)."""
    seconds = []
    for _run in range(runs):
        done = subprocess.run(
            [sys.executable, __file__, "--one", kind], capture_output=True, text=True, check=False
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if result["status"] != "playable":
            raise SystemExit(f"{kind}: {result['status']}\n{done.stderr[-2000:]}")
        seconds.append(float(result["seconds"]))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per source (default 3)")
    parser.add_argument("--only", choices=sorted(SOURCES), action="append", help="measure only this source")
    parser.add_argument("--one", choices=sorted(SOURCES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_run(args.one)
        return
    kinds = args.only or list(SOURCES)
    for kind in kinds:
        source(kind)  # made before any clock runs
    print(f"load average before: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    for kind in kinds:
        seconds = measure(kind, args.runs)
        print(
            f"{kind:8} {SOURCES[kind][0]:28} playable after median {statistics.median(seconds):.2f} s "
            f"(min {min(seconds):.2f}, max {max(seconds):.2f}, {len(seconds)} runs)"
        )
    print(f"load average after: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
