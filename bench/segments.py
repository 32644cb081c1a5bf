"""Segmented encoding with real workers: per-segment CPU, wall time for 1 and 2 workers, a projection
for more, the join's frame/sound check, and how soon the first minute is watchable.

    .venv/bin/python bench/segments.py                         # 10-minute films, 1 and 2 workers
    .venv/bin/python bench/segments.py --minutes 2 --runs 3    # shorter films, three runs each

Films (made once, cached in bench/out/segments/, which git ignores): a 1080p25 MPEG-2 film in MPEG-TS
with MP2 sound (a camcorder: no browser plays it, so it is encoded) and a 1080p25 HEVC 10-bit film
(libx265 main10, preset fast) with AAC sound (an iPhone's default: its H.264 rendition is encoded).

Each run: a Redis server of its own, a database of its own (recreated), N Celery worker processes
(``-P solo``: one task at a time each), local storage in a fresh folder. The film is stored and its
upload completed (``recording_attach_original``); from that moment the bench watches the database:
when each segment row appears and when the recording is ready. Per-segment wall and CPU seconds (user +
system of the ffmpeg children) come from the workers' log lines.

The projection for 1, 2, 4 and 8 workers is arithmetic, not a measurement: the segments' measured wall
times (run with one worker, so each had the machine to itself) scheduled in order onto W workers, plus
the sound task's and the join's measured times. It is printed as a projection.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from services import RedisServer, manage, project_env  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / "out" / "segments"
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vib_bench_segments")
COST_LINE = re.compile(r"Recording \S+: (segment \d+|sound|join) took ([0-9.]+) s wall, ([0-9.]+) s CPU")
AAC_FRAME = 1024 / 48000
# Storage shared by this process and the workers (the uploads go there).
STORAGE = Path(tempfile.mkdtemp(prefix="bench-segments-storage-"))


@dataclass
class Run:
    film: str
    workers: int
    ready_after: float = 0.0
    first_minute_after: float | None = None
    segment_seen: dict[int, float] = field(default_factory=dict)
    segment_starts: dict[int, float] = field(default_factory=dict)
    segment_ends: dict[int, float] = field(default_factory=dict)
    costs: dict[str, tuple[float, float]] = field(default_factory=dict)  # step: (wall, cpu)
    check: dict[str, object] = field(default_factory=dict)


# --- films ----------------------------------------------------------------------------------------------


def make_films(minutes: int, wanted: list[str], x265_preset: str = "fast") -> dict[str, Path]:
    """The films, made once: one minute encoded, then looped ``minutes`` times by stream copy (a
    10-minute film of real size and structure for a tenth of the encoding; the cost of encoding it
    does not depend on the picture repeating)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    picture = "testsrc2=size=1920x1080:rate=25:duration=60"
    sound = "sine=frequency=440:sample_rate=48000:duration=60"
    films = {
        "camcorder_1080p_mpeg2": (CACHE / f"camcorder_1080p_{minutes}min.mts",
                                  ["-c:v", "mpeg2video", "-q:v", "4", "-g", "25", "-bf", "2", "-c:a", "mp2"]),
        "phone_hevc_10bit": (CACHE / f"hevc10_1080p_{minutes}min_{x265_preset}.mp4",
                             ["-c:v", "libx265", "-preset", x265_preset, "-pix_fmt", "yuv420p10le", "-profile:v", "main10",
                              "-tag:v", "hvc1", "-x265-params", "log-level=error:keyint=50", "-c:a", "aac"]),
    }  # fmt: skip
    films = {name: film for name, film in films.items() if name in wanted}
    for path, codec in films.values():
        if not path.exists():
            minute = path.with_name("minute-" + path.name)
            partial = path.with_name("partial-" + path.name)
            subprocess.run(
                ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", picture, "-f", "lavfi", "-i", sound,
                 *codec, str(minute)],
                check=True,
            )  # fmt: skip
            subprocess.run(
                ["ffmpeg", "-v", "error", "-y", "-stream_loop", str(minutes - 1), "-i", str(minute), "-map", "0",
                 "-c", "copy", *(["-tag:v", "hvc1"] if path.suffix == ".mp4" else []), str(partial)],
                check=True,
            )  # fmt: skip
            minute.unlink()
            partial.rename(path)
    return {name: path for name, (path, _codec) in films.items()}


# --- one run --------------------------------------------------------------------------------------------


def recreate_database() -> None:
    name = DB_URL.rsplit("/", 1)[1]
    admin = DB_URL.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True, capture_output=True)
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)


def one_run(name: str, film: Path, workers: int, args: argparse.Namespace, redis: RedisServer) -> Run:
    from django.db import connection

    connection.close()
    recreate_database()
    subprocess.run(["redis-cli", "-p", str(redis.port), "flushall"], check=True, capture_output=True)
    folder = Path(tempfile.mkdtemp(prefix="bench-segments-"))
    env = project_env(
        DATABASE_URL=DB_URL,
        REDIS_URL=redis.url,
        DATA_DIR=str(STORAGE),
        RECORDING_WORK_DIR=str(folder / "work"),
        RECORDING_FIRST_SEGMENT_SECONDS=str(args.first),
        RECORDING_SEGMENT_SECONDS=str(args.segment),
    )
    manage(env, "migrate", "-v0")
    logs = [folder / f"worker-{n}.log" for n in range(workers)]
    processes = [
        subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "celery"), "-A", "vibplatform", "worker", "-P", "solo",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
            cwd=ROOT, env=env, stdout=open(log, "wb"), stderr=subprocess.STDOUT, start_new_session=True,  # noqa: SIM115
        )
        for log in logs
    ]  # fmt: skip
    try:
        _wait_until_ready(logs)  # in service the workers run before any upload completes
        return _watch(name, film, workers, env, logs, first_minute_only=args.first_minute_only)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def _wait_until_ready(logs: list[Path], seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not all(log.exists() and b" ready." in log.read_bytes() for log in logs):
        if time.monotonic() > deadline:
            raise SystemExit("the workers did not start")
        time.sleep(0.2)


def _watch(
    name: str, film: Path, workers: int, env: dict[str, str], logs: list[Path], *, first_minute_only: bool
) -> Run:

    from pipeline import stored_recording  # bench/pipeline.py: a professional, consent, stored upload

    from recordings.models import Recording, Segment

    run = Run(film=name, workers=workers)
    recording_id = stored_recording(film)
    completed = time.perf_counter()  # the upload is complete: the processing task is on its way
    while True:
        for index, start_ms, end_ms in Segment.objects.filter(recording_id=recording_id).values_list(
            "index", "start_ms", "end_ms"
        ):
            run.segment_seen.setdefault(index, time.perf_counter() - completed)
            run.segment_starts[index] = start_ms / 1000
            run.segment_ends[index] = end_ms / 1000
        if first_minute_only and _first_minute(run) is not None:
            run.first_minute_after = _first_minute(run)
            time.sleep(1)  # the workers' log lines of the segments stored
            _read_costs(run, logs)
            return run  # the workers are stopped; no ready time or join check
        recording = Recording.objects.get(pk=recording_id)
        if recording.status in (Recording.Status.READY, Recording.Status.REJECTED):
            break
        time.sleep(0.1)
    run.ready_after = time.perf_counter() - completed
    assert recording.status == Recording.Status.READY, recording.rejection_reason
    _read_costs(run, logs)
    run.first_minute_after = _first_minute(run)
    run.check = check_join(film, recording)
    return run


def _read_costs(run: Run, logs: list[Path]) -> None:
    for log in logs:
        for step, wall, cpu in COST_LINE.findall(log.read_text(errors="replace")):
            run.costs[step] = (float(wall), float(cpu))


def _first_minute(run: Run) -> float | None:
    """When the segments that cover the film's first 60 seconds were all stored (None: not yet)."""
    index, stored = 0, []
    while index in run.segment_seen:
        stored.append(run.segment_seen[index])
        if run.segment_ends[index] >= 60.0:
            return max(stored)
        index += 1
    return None


# --- the join check -------------------------------------------------------------------------------------


def frame_times(path: Path, stream: str = "v:0") -> list[dict[str, str]]:
    completed = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", stream, "-show_entries", "packet=pts_time,duration_time",
         "-of", "json", str(path)],
        capture_output=True, check=True,
    )  # fmt: skip
    return list(json.loads(completed.stdout)["packets"])


def check_join(film: Path, recording: object) -> dict[str, object]:
    """Frames of the joined high rendition against the source: count, duplicates, largest time
    difference; sound start and length against the picture and the source."""
    from django.core.files.storage import default_storage

    from recordings import video

    high = Path(tempfile.mkdtemp()) / "high.mp4"
    key = recording.renditions.get(kind="high").key  # type: ignore[attr-defined]
    with default_storage.open(key, "rb") as stored, open(high, "wb") as local:
        while chunk := stored.read(1 << 20):
            local.write(chunk)
    start = video.probe(film).start_time
    source = sorted(float(p["pts_time"]) - start for p in frame_times(film))
    joined = sorted(float(p["pts_time"]) for p in frame_times(high))
    sound_src = frame_times(film, "a:0")
    src_length = max(float(p["pts_time"]) + float(p["duration_time"]) for p in sound_src) - min(
        float(p["pts_time"]) for p in sound_src
    )
    probed = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(high)], capture_output=True, check=True
    )
    streams = {s["codec_type"]: s for s in json.loads(probed.stdout)["streams"]}
    result = {
        "frames_source": len(source),
        "frames_joined": len(joined),
        "duplicates": len(joined) - len(set(joined)),
        "max_time_difference_ms": round(
            max(abs(a - b) for a, b in zip(source, joined, strict=False)) * 1000, 3
        )
        if len(source) == len(joined)
        else None,
        "sound_start_minus_picture_start_ms": round(
            (float(streams["audio"]["start_time"]) - float(streams["video"]["start_time"])) * 1000, 2
        ),
        "sound_length_difference_ms": round((float(streams["audio"]["duration"]) - src_length) * 1000, 2),
    }
    result["ok"] = (
        result["frames_source"] == result["frames_joined"]
        and result["duplicates"] == 0
        and (result["max_time_difference_ms"] or 99) <= 1.0
        and abs(float(result["sound_length_difference_ms"])) <= AAC_FRAME * 1000  # type: ignore[arg-type]
    )
    high.unlink()
    return result


# --- projection -----------------------------------------------------------------------------------------


def projection(run: Run, workers: int) -> float:
    """Wall time W workers would need (a projection): the segments' and the sound's measured times
    handed out in order to the first free worker, then the join."""
    tasks = [wall for step, (wall, _cpu) in sorted(run.costs.items(), key=_order) if step != "join"]
    free = [0.0] * workers
    for wall in tasks:
        free[free.index(min(free))] += wall
    return max(free) + run.costs.get("join", (0.0, 0.0))[0]


def _order(item: tuple[str, tuple[float, float]]) -> tuple[int, int]:
    step = item[0]
    if step.startswith("segment"):
        return (0, int(step.split()[1]))
    return (1, 0) if step == "sound" else (2, 0)


# --- report ---------------------------------------------------------------------------------------------


def spread(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values):.1f} ({min(values):.1f}-{max(values):.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--films", default="camcorder_1080p_mpeg2,phone_hevc_10bit", help="which films")
    parser.add_argument("--x265-preset", default="fast", help="preset that makes the HEVC film")
    parser.add_argument("--first", type=int, default=8, help="first segment length (s)")
    parser.add_argument("--segment", type=int, default=40, help="later segment length (s)")
    parser.add_argument(
        "--first-minute-only", action="store_true", help="stop each run once the first minute is watchable"
    )
    args = parser.parse_args()
    films = make_films(args.minutes, args.films.split(","), args.x265_preset)
    redis = RedisServer()  # one of the bench's own, emptied before every run
    redis.start()
    try:
        os.environ.update(project_env(DATABASE_URL=DB_URL, REDIS_URL=redis.url, DATA_DIR=str(STORAGE)))
        import django

        django.setup()
        runs: list[Run] = []
        for name, film in films.items():
            for workers in (int(n) for n in args.workers.split(",")):
                for _ in range(args.runs):
                    runs.append(one_run(name, film, workers, args, redis))
                    report(runs[-1])
        summary(runs)
    finally:
        redis.stop()
        shutil.rmtree(STORAGE, ignore_errors=True)


def report(run: Run) -> None:
    print(f"\n== {run.film}, {run.workers} worker(s): ready {run.ready_after:.1f} s after the upload, "
          f"first minute watchable after {run.first_minute_after} s, load {os.getloadavg()[0]:.1f}")  # fmt: skip
    for step, (wall, cpu) in sorted(run.costs.items(), key=_order):
        seen = run.segment_seen.get(int(step.split()[1])) if step.startswith("segment") else None
        print(
            f"   {step:12} {wall:7.1f} s wall {cpu:7.1f} s CPU"
            + (f"   stored at {seen:.1f} s" if seen else "")
        )
    print("   join check:", json.dumps(run.check))


def summary(runs: list[Run]) -> None:
    print("\n== summary (median, min-max over runs)")
    for film in dict.fromkeys(run.film for run in runs):
        mine = [run for run in runs if run.film == film]
        for workers in sorted({run.workers for run in mine}):
            these = [run for run in mine if run.workers == workers]
            print(f"{film}: {workers} worker(s) measured wall {spread([r.ready_after for r in these])} s; "
                  f"first minute {spread([r.first_minute_after for r in these if r.first_minute_after])} s")  # fmt: skip
        single = [run for run in mine if run.workers == 1]
        if single:
            segment_cpu = [
                cpu for r in single for step, (_w, cpu) in r.costs.items() if step.startswith("segment")
            ]
            total_cpu = [sum(cpu for _w, cpu in r.costs.values()) for r in single]
            print(f"{film}: CPU per segment {spread(segment_cpu)} s; all steps {spread(total_cpu)} s CPU")
            for workers in (1, 2, 4, 8):
                print(f"{film}: PROJECTION for {workers} worker(s): {spread([projection(r, workers) for r in single])} s "
                      "(from the measured one-worker step times; not measured)")  # fmt: skip
        print(f"{film}: join check all ok: {all(run.check.get('ok') for run in mine)}")
    print(f"load average now: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
