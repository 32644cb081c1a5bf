"""Fault: a worker killed with SIGKILL in the middle of a transcode, repeated.

    .venv/bin/python bench/fault_worker_kill.py [--rounds 10]

Each round stores a 40-second 720p MPEG-4 film (no fast path), sends its processing task through a Redis of
its own, kills the worker once ffmpeg is under way (at a different moment each round), starts a new
worker and waits. Expected every round: the task is redelivered, the recording ends ready exactly once
(one row per rendition, ready_at unchanged by a late duplicate), the storage folder holds exactly the
original and the five renditions (no orphans), and the scratch folder is empty.
"""

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project, for django.setup()
from services import RedisServer, manage, project_env, start_worker  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vib_fault_kill")


def recreate_database() -> None:
    name = DB_URL.rsplit("/", 1)[1]
    admin = DB_URL.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True, capture_output=True)
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)


def wait_for(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    recreate_database()
    redis = RedisServer()
    redis.start()
    try:
        return run(args.rounds, redis)
    finally:
        redis.stop()


def run(rounds: int, redis: RedisServer) -> int:
    folder = tempfile.mkdtemp()
    env = project_env(
        DATABASE_URL=DB_URL, REDIS_URL=redis.url, DATA_DIR=folder, CELERY_VISIBILITY_TIMEOUT="3"
    )
    manage(env, "migrate", "-v0")
    os.environ.update(env)
    import django

    django.setup()
    from django.core.files.storage import default_storage

    from recordings import tasks
    from recordings.models import Recording, Rendition

    film = Path(folder) / "long.avi"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=1280x720:rate=25:duration=40",
            "-c:v",
            "mpeg4",
            str(film),
        ],
        check=True,
    )
    owner = make_owner()
    outcomes = []
    for round_number in range(1, rounds + 1):
        recording = store(owner, film, default_storage)
        queue = f"kill-{uuid.uuid4().hex[:8]}"
        first = start_worker(env, "-Q", queue, "--without-gossip", "--without-mingle")
        tasks.process_recording.apply_async(args=[str(recording.pk)], queue=queue)
        target = random.randint(5, 80)  # noqa: S311 (a different moment each round)
        wait_for(
            lambda r=recording, t=target: Recording.objects.filter(pk=r.pk, progress__gte=t).exists(), 180
        )
        progress_at_kill = Recording.objects.get(pk=recording.pk).progress
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        second = start_worker(env, "-Q", queue, "--without-gossip", "--without-mingle")
        ready = wait_for(
            lambda r=recording: Recording.objects.get(pk=r.pk).status == Recording.Status.READY, 240
        )
        recording.refresh_from_db()
        ready_at = recording.ready_at
        time.sleep(4)  # a late second delivery must change nothing
        recording.refresh_from_db()
        renditions = list(recording.renditions.all())
        stored = set(keys_under(default_storage, f"recordings/{recording.storage_prefix}"))
        expected = {recording.original_key} | {r.key for r in renditions}
        work = Path(folder) / "work" / str(recording.pk)
        ok = (
            ready
            and recording.ready_at == ready_at
            and len(renditions) == 5
            and all(r.status == Rendition.Status.DONE for r in renditions)
            and stored == expected
            and not work.exists()
        )
        outcomes.append(ok)
        print(
            f"round {round_number:2}: killed at {progress_at_kill:3}% -> ready={ready}, renditions={len(renditions)}, "
            f"stored objects={len(stored)} (expected {len(expected)}), scratch left={work.exists()}: "
            f"{'OK' if ok else 'FAILED'}"
        )
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=60)
    print(f"{sum(outcomes)}/{len(outcomes)} rounds finished exactly once with nothing left over")
    return 0 if all(outcomes) else 1


def make_owner():  # type: ignore[no-untyped-def]
    from organisations.models import Organisation, User

    organisation = Organisation.objects.create(name="Kill")
    return User.objects.create_user(
        email="kill@example.nl",
        password="x-long-password-1",
        full_name="K",
        organisation=organisation,
        is_professional=True,
    )


def store(owner, film: Path, storage):  # type: ignore[no-untyped-def]
    import datetime

    from families.models import Consent, Family
    from recordings.models import Recording

    today = datetime.date.today()
    family = Family.objects.create(organisation=owner.organisation, code="KILL-1")
    Consent.objects.create(
        family=family,
        purpose="vib_supervision",
        given_by="parents",
        given_on=today,
        valid_until=today + datetime.timedelta(days=9, recorded_by=owner),
    )
    recording = Recording.objects.create(professional=owner, family=family)
    with film.open("rb") as handle:
        key = storage.save(f"recordings/{recording.storage_prefix}/{uuid.uuid4().hex}.avi", handle)
    Recording.objects.filter(pk=recording.pk).update(
        original_key=key, original_size=film.stat().st_size, status=Recording.Status.PROCESSING
    )
    return Recording.objects.get(pk=recording.pk)


def keys_under(storage, folder: str) -> list[str]:  # type: ignore[no-untyped-def]
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    return [f"{folder}/{f}" for f in files] + [
        k for d in directories for k in keys_under(storage, f"{folder}/{d}")
    ]


if __name__ == "__main__":
    sys.exit(main())
