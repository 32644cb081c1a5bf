"""Peak memory of the web process while it receives a large tus upload.

    .venv/bin/python bench/upload_memory.py            # 1 GB (1024 MiB) of random bytes
    .venv/bin/python bench/upload_memory.py --mb 2048  # 2 GB

Starts gunicorn (one sync worker, as in production) on a free port with a fresh temporary DATA_DIR
(SQLite, local private storage, file-system Celery broker: the pipeline is only queued), creates a
professional, a consent and a recording, uploads a generated file with tuspy in 8 MiB chunks, samples the
worker's resident memory from /proc while it receives, and prints the worker's peak RSS (VmHWM) and the
throughput. The file's bytes are random so no layer can compress them away.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from embedded import professional_with_recording, setup_django  # bench/, the script's own folder

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def proc_status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise KeyError(field)


def worker_pid(master: int, timeout: float = 30.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def write_random_file(path: Path, size_mb: int) -> None:
    with path.open("wb") as out:
        for _ in range(size_mb):
            out.write(os.urandom(MIB))


def make_recording() -> tuple[str, str]:
    """A professional with an API token and a recording awaiting its film: (token, creation URL)."""
    from organisations.tokens import api_token_create
    from uploads.services import upload_url_for

    professional, recording = professional_with_recording()
    key = api_token_create(user=professional, name="bench", days=1, second_factor=False)[1]
    return key, upload_url_for(recording)


def start_gunicorn(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATA_DIR": str(data_dir), "ALLOWED_HOSTS": "127.0.0.1", "DEBUG": "0"}
    for name in ("REDIS_URL", "DATABASE_URL", "S3_BUCKET"):
        env.pop(name, None)  # the embedded setup: nothing shared with other processes on this machine
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "vibplatform.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        "--workers=1",
        "--worker-class=sync",
        "--timeout=120",
        "--log-level=warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def wait_until_up(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (local server)
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.peak_kib = max(self.peak_kib, proc_status_kib(self.pid, "VmRSS"))
            time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mb", type=int, default=1024, help="upload size in MiB (default 1024)")
    parser.add_argument("--chunk-mb", type=int, default=8, help="tus PATCH size in MiB (default 8)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="vib-upload-bench-"))
    data_dir = work / "data"
    film = work / "film.mp4"
    server = None
    try:
        setup_django(data_dir)
        token, create_path = make_recording()
        print(f"writing {args.mb} MiB of random bytes ...", flush=True)
        write_random_file(film, args.mb)

        port = free_port()
        server = start_gunicorn(data_dir, port)
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/healthz")
        worker = worker_pid(server.pid)
        before_kib = proc_status_kib(worker, "VmRSS")

        from tusclient.client import TusClient

        sampler = RssSampler(worker)
        sampler.start()
        client = TusClient(base + create_path, headers={"Authorization": f"Token {token}"})
        started = time.monotonic()
        with film.open("rb") as stream:
            client.uploader(file_stream=stream, chunk_size=args.chunk_mb * MIB).upload()
        seconds = time.monotonic() - started
        sampler.stopped.set()
        sampler.join()
        hwm_kib = proc_status_kib(worker, "VmHWM")

        from recordings.models import Recording

        recording = Recording.objects.get()
        stored = data_dir / "private" / recording.original_key
        assert recording.original_size == args.mb * MIB == stored.stat().st_size, "upload incomplete"
        print(f"upload size          {args.mb} MiB in {seconds:.1f} s")
        print(f"throughput           {args.mb / seconds:.1f} MiB/s")
        print(f"worker RSS before    {before_kib / 1024:.1f} MiB")
        print(
            f"worker RSS peak      {max(hwm_kib, sampler.peak_kib) / 1024:.1f} MiB (VmHWM {hwm_kib / 1024:.1f})"
        )
        print(f"peak growth          {(max(hwm_kib, sampler.peak_kib) - before_kib) / 1024:.1f} MiB")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
