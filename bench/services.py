"""Private, throw-away servers for the fault benchmarks, so a restart never disturbs anything else:
a PostgreSQL cluster, a Redis server, a moto S3 server, a TCP proxy that can cut a connection, gunicorn
and a Celery worker of the project. Everything listens on 127.0.0.1 only.
"""

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from contextlib import suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


def wait_for_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with suppress(OSError):
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 (loopback only)
            return
        time.sleep(0.2)
    raise TimeoutError(f"{url} does not answer")


class PostgresCluster:
    """A PostgreSQL cluster of its own (initdb into a temp folder), run as the postgres system user."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.bin = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1])
        folder.mkdir(parents=True, exist_ok=True)
        folder.parent.chmod(0o755)  # the postgres user must reach its folder inside our temp dir
        shutil.chown(folder, "postgres")

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True)

    def start(self) -> None:
        if not (self.folder / "data").exists():
            self._as_postgres(
                str(self.bin / "initdb"), "-D", str(self.folder / "data"), "-A", "trust", "-U", "postgres"
            )
        self._pg_ctl("start", "-w", "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1")

    def restart(self) -> None:
        self._pg_ctl(
            "restart",
            "-m",
            "fast",
            "-w",
            "-o",
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1",
        )

    def stop(self) -> None:
        with suppress(subprocess.CalledProcessError):
            self._pg_ctl("stop", "-m", "fast", "-w")

    def _pg_ctl(self, *args: str) -> None:
        self._as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-l", str(self.folder / "log"), *args
        )

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str) -> str:
        self._as_postgres(
            str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name
        )
        return self.url(name)


class RedisServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait()
            self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


class Proxy:
    """A TCP proxy in a thread; `cut()` refuses and drops connections (an outage), `heal()` ends it."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self.open = True
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result()

    async def _serve(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with suppress(ConnectionError, OSError):
            while self.open and (data := await reader.read(65536)):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.open:
            writer.close()
            return
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self._writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    def cut(self) -> None:
        self.open = False
        for writer in list(self._writers):
            self._loop.call_soon_threadsafe(writer.close)
        self._writers.clear()

    def heal(self) -> None:
        self.open = True


def project_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="vibplatform.settings", ALLOWED_HOSTS="127.0.0.1,localhost,testserver")
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def start_gunicorn(env: dict[str, str], workers: int = 2) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "vibplatform.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    # Every worker imports the project on its first request: warm them all up before measuring.
    for _ in range(workers * 2):
        wait_for_http(f"http://127.0.0.1:{port}/healthz", timeout=90)
    return process, f"http://127.0.0.1:{port}"


def start_worker(env: dict[str, str], *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            str(VENV_BIN / "celery"),
            "-A",
            "vibplatform",
            "worker",
            "-P",
            "solo",
            "--loglevel",
            "WARNING",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, sig) if sig == signal.SIGKILL else process.send_signal(sig)
    process.wait(timeout=60)
