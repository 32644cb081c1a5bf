"""What the recordings pipeline costs on a 60-second 1080p H.264 film, against bare ffmpeg and a CMS ladder.

    .venv/bin/python bench/pipeline.py                     # makes the input with make_fixtures.sh --bench
    .venv/bin/python bench/pipeline.py --input FILM.mp4    # any film
    .venv/bin/python bench/pipeline.py --skip-ladder       # leave out the slow comparison
    .venv/bin/python bench/pipeline.py --encoded           # a film that must be encoded (segments)

Runs in a fresh temporary DATA_DIR (SQLite, local private storage): creates a recording, stores the film,
runs ``recording_process`` in this process and prints

- the pipeline's wall time divided by that of bare ffmpeg commands producing the same outputs (the
  pipeline adds probing, storage copies and database updates around the same ffmpeg work);
- the time until the recording is playable (the fast path stream-copies a browser-playable source);
- the CPU time (user + system of all ffmpeg/ffprobe children) of our whole set of renditions, against a
  "typical CMS ladder": six renditions 144p-1080p, x264 preset medium CRF 23, one ffmpeg per rendition;
  also for the full transcode our pipeline does when the fast path does not apply;
- the SSIM of the high rendition against the source (ffmpeg's ssim filter, every 5th frame), for the
  fast path (a copy) and for the full transcode (x264 settings in ``recordings.video.ENCODER``).

``--encoded`` first turns the input into what no browser plays (MPEG-2 in MPEG-TS, MP2 sound, at high
quality), so the pipeline takes the segmented path: the segments, the sound and the join run in this
process one after another (Celery runs the chord eagerly), and "bare ffmpeg producing the same outputs"
is one ffmpeg command decoding once into high, low, poster and sprite.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import resource
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from embedded import professional_with_recording, setup_django  # bench/, the script's own folder

ROOT = Path(__file__).resolve().parent.parent
MAKE_FIXTURES = ROOT.parent / "shared" / "video-fixtures" / "make_fixtures.sh"
LADDER_HEIGHTS = (144, 240, 360, 480, 720, 1080)


@dataclass
class Cost:
    wall: float
    cpu: float


def measure(work: Callable[[], object]) -> Cost:
    """Wall time of ``work`` and the CPU time its child processes (ffmpeg, ffprobe) used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    work()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Cost(wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def stored_recording(film: Path) -> str:
    """A professional, a consent and a recording whose upload of ``film`` just completed: its id."""
    recording_id, complete = stored_upload(film)
    complete()
    return recording_id


def stored_upload(film: Path) -> tuple[str, Callable[[], None]]:
    """A recording with ``film`` stored, and the call that completes its upload (which sends the
    processing task; with eager Celery that call runs the whole processing)."""
    import uuid

    from django.core.files import File
    from django.core.files.storage import default_storage
    from django.db import transaction

    from recordings.services import recording_attach_original

    _professional, recording = professional_with_recording()
    with open(film, "rb") as file:
        key = default_storage.save(f"recordings/{recording.storage_prefix}/{uuid.uuid4().hex}", File(file))

    def complete() -> None:
        # Queues the task on the file-system broker (or runs it, eager); no worker runs here.
        with transaction.atomic():
            recording_attach_original(recording=recording, key=key, size=film.stat().st_size)

    return str(recording.pk), complete


class PlayableClock(logging.Handler):
    """Notes when the pipeline logs that the recording became playable."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.at: float | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.at is None and record.getMessage().endswith(" playable"):
            self.at = time.perf_counter()


def run_pipeline(work: Callable[[], object]) -> tuple[Cost, float | None]:
    clock = PlayableClock()
    logging.getLogger("recordings.pipeline").addHandler(clock)
    logging.getLogger("recordings.pipeline").setLevel(logging.INFO)
    started = time.perf_counter()
    cost = measure(work)
    return cost, (clock.at - started) if clock.at is not None else None


def bare_commands(film: Path, out: Path) -> None:
    """The same outputs as the pipeline's fast path, as plain ffmpeg command lines."""
    from recordings import video

    info = video.probe(film)
    plan = video.plan(info)
    sprite = plan.sprite
    ffmpeg("-i", str(film), "-map", "0:v:0", "-map", "0:a:0?", "-c", "copy", "-map_metadata", "-1",
           "-map_chapters", "-1", "-movflags", "+faststart", str(out / "high.mp4"))  # fmt: skip
    graph = (
        f"[0:v:0]format=yuv420p,split=3[a][b][c];"
        f"[a]scale={plan.low.width}:{plan.low.height},setsar=1[low];"
        f"[b]select='gte(t,{plan.poster_at:.3f})',scale={plan.poster.width}:{plan.poster.height}[poster];"
        f"[c]fps=1/{sprite.interval:g},scale={sprite.tile.width}:{sprite.tile.height},"
        f"tile={sprite.columns}x{sprite.rows}[sprite]"
    )
    ffmpeg("-i", str(film), "-filter_complex", graph,
           "-map", "[low]", "-map", "0:a:0?", "-c:v", "libx264", "-preset", video.ENCODER.low_preset,
           "-crf", str(video.ENCODER.low_crf), "-c:a", "aac", "-b:a", video.ENCODER.low_audio_bitrate,
           "-map_metadata", "-1", "-movflags", "+faststart", str(out / "low.mp4"),
           "-map", "[poster]", "-frames:v", "1", "-q:v", "3", str(out / "poster.jpg"),
           "-map", "[sprite]", "-frames:v", "1", "-q:v", "4", str(out / "sprite.jpg"))  # fmt: skip


def bare_encode_commands(film: Path, out: Path) -> None:
    """The same outputs as the segmented path, as one plain ffmpeg command (one decode)."""
    from recordings import video

    info = video.probe(film)
    plan = video.plan(info)
    sprite, enc = plan.sprite, video.ENCODER
    graph = (
        f"[0:v:0]format=yuv420p,split=4[h][l][p][s];"
        f"[h]scale={plan.high.width}:{plan.high.height},setsar=1[high];"
        f"[l]scale={plan.low.width}:{plan.low.height},setsar=1[low];"
        f"[p]select='gte(t,{plan.poster_at:.3f})',scale={plan.poster.width}:{plan.poster.height}[poster];"
        f"[s]fps=1/{sprite.interval:g},scale={sprite.tile.width}:{sprite.tile.height},"
        f"tile={sprite.columns}x{sprite.rows}[sprite];[0:a:0]asplit=2[ah][al]"
    )
    ffmpeg("-i", str(film), "-filter_complex", graph,
           "-map", "[high]", "-map", "[ah]", "-c:v", "libx264", "-preset", enc.high_preset, "-crf", str(enc.high_crf),
           "-profile:v", "high", "-c:a", "aac", "-b:a", enc.high_audio_bitrate, "-ac", "2",
           "-movflags", "+faststart", str(out / "high.mp4"),
           "-map", "[low]", "-map", "[al]", "-c:v", "libx264", "-preset", enc.low_preset, "-crf", str(enc.low_crf),
           "-c:a", "aac", "-b:a", enc.low_audio_bitrate, "-ac", "2", "-movflags", "+faststart", str(out / "low.mp4"),
           "-map", "[poster]", "-frames:v", "1", "-q:v", "3", str(out / "poster.jpg"),
           "-map", "[sprite]", "-frames:v", "1", "-q:v", "4", str(out / "sprite.jpg"))  # fmt: skip


def as_camcorder_film(film: Path, folder: Path) -> Path:
    """``film`` as MPEG-2 in MPEG-TS with MP2 sound, at high quality: no browser plays it."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / (film.stem + ".mts")
    ffmpeg(
        "-i",
        str(film),
        "-c:v",
        "mpeg2video",
        "-q:v",
        "2",
        "-g",
        "25",
        "-c:a",
        "mp2",
        "-b:a",
        "256k",
        str(out),
    )
    return out


def full_transcode(film: Path, out: Path) -> None:
    """What the pipeline does when the fast path does not apply: one decode, all four outputs encoded."""
    from recordings import video

    outputs = video.Outputs(
        high=out / "high.mp4", low=out / "low.mp4", poster=out / "poster.jpg", sprite=out / "sprite.jpg"
    )
    video.transcode(
        film,
        video.probe(film),
        outputs,
        video.Limits(max_duration_seconds=7200, max_pixels=7680 * 4320),
        on_progress=lambda _fraction: None,
        stall_seconds=600,
    )


def cms_ladder(film: Path, out: Path) -> None:
    for height in LADDER_HEIGHTS:
        ffmpeg("-i", str(film), "-vf", f"scale=-2:{height}", "-c:v", "libx264", "-preset", "medium",
               "-crf", "23", "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart",
               str(out / f"ladder_{height}p.mp4"))  # fmt: skip


def ssim(rendition: Path, source: Path) -> float:
    every_fifth = "select='not(mod(n\\,5))'"
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-i", str(rendition), "-i", str(source), "-lavfi",
         f"[0:v]{every_fifth}[a];[1:v]{every_fifth}[b];[a][b]ssim", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    match = re.search(r"All:([0-9.]+)", result.stderr)
    if match is None:
        raise RuntimeError("ffmpeg printed no SSIM")
    return float(match.group(1))


def make_input(folder: Path) -> Path:
    subprocess.run(
        ["bash", str(MAKE_FIXTURES), str(folder), "--bench"], check=True, stdout=subprocess.DEVNULL
    )
    return folder / "bench_1080p_60s.mp4"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--input", type=Path, help="film to use instead of the generated 60 s 1080p one")
    parser.add_argument("--skip-ladder", action="store_true", help="leave out the CMS ladder comparison")
    parser.add_argument("--encoded", action="store_true", help="a film that must be encoded: the segments")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as folder:
        work = Path(folder)
        film = args.input.resolve() if args.input else make_input(work / "fixtures")
        if args.encoded:
            film = as_camcorder_film(film, work / "encoded")
        setup_django(work / "data", eager=args.encoded)
        from django.core.files.storage import default_storage

        from recordings import video
        from recordings.models import Recording
        from recordings.pipeline import recording_process

        info = video.probe(film)
        recording_id, complete = stored_upload(film)
        if args.encoded:
            # Eager Celery: completing the upload runs the processing and its segment chord here.
            pipeline, playable_after = run_pipeline(complete)
        else:
            complete()
            pipeline, playable_after = run_pipeline(lambda: recording_process(recording_id=recording_id))
        recording = Recording.objects.get(pk=recording_id)
        assert recording.status == Recording.Status.READY, recording.rejection_reason
        high = work / "pipeline_high.mp4"
        with default_storage.open(recording.renditions.get(kind="high").key, "rb") as stored:
            high.write_bytes(stored.read())

        (work / "bare").mkdir()
        bare_work = bare_encode_commands if args.encoded else bare_commands
        bare = measure(lambda: bare_work(film, work / "bare"))
        (work / "full").mkdir()
        full = measure(lambda: full_transcode(film, work / "full"))
        ladder = None
        if not args.skip_ladder:
            (work / "ladder").mkdir()
            ladder = measure(lambda: cms_ladder(film, work / "ladder"))
        ssim_copy = ssim(high, film)
        ssim_full = ssim(work / "full" / "high.mp4", film)

        report = {
            "input": f"{film.name}: {info.display_width}x{info.display_height} {info.video_codec}, "
            f"{info.duration:.1f} s, fast path {'yes' if video.stream_copy_plan(info) else 'no'}",
            "encoder": video.ENCODER.__dict__,
            "pipeline_wall_s": round(pipeline.wall, 2),
            "bare_ffmpeg_wall_s": round(bare.wall, 2),
            "pipeline_over_bare_ffmpeg": round(pipeline.wall / bare.wall, 2),
            "time_until_playable_s": round(playable_after, 2) if playable_after is not None else None,
            "pipeline_cpu_s": round(pipeline.cpu, 1),
            "full_transcode_wall_s": round(full.wall, 2),
            "full_transcode_cpu_s": round(full.cpu, 1),
            "cms_ladder_wall_s": round(ladder.wall, 2) if ladder else None,
            "cms_ladder_cpu_s": round(ladder.cpu, 1) if ladder else None,
            "pipeline_cpu_over_cms_ladder": round(pipeline.cpu / ladder.cpu, 3) if ladder else None,
            "full_transcode_cpu_over_cms_ladder": round(full.cpu / ladder.cpu, 3) if ladder else None,
            "ssim_high_fast_path": round(ssim_copy, 4),
            "ssim_high_full_transcode": round(ssim_full, 4),
            "load_average_1m": round(os.getloadavg()[0], 1),
        }
    for key, value in report.items():
        print(f"{key:36} {value}")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
