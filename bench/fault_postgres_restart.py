"""Fault: PostgreSQL restarted under traffic. Requests fail briefly and recover without restarting the
web process (Django's CONN_HEALTH_CHECKS drops the dead connection and opens a new one).

    .venv/bin/python bench/fault_postgres_restart.py

Runs its own PostgreSQL cluster, so nothing else is disturbed. Prints the failed requests, how long
the failures lasted, and whether every request after the restart succeeded.
"""

import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from services import PostgresCluster, manage, project_env, start_gunicorn, stop  # noqa: E402


def hammer(base: str, seconds: float, results: list[tuple[float, int]]) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.monotonic()
        try:
            status = urllib.request.urlopen(f"{base}/healthz", timeout=5).status  # noqa: S310 (loopback)
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        results.append((started, status))
        time.sleep(0.02)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        cluster = PostgresCluster(Path(folder) / "pg")
        cluster.start()
        try:
            env = project_env(DATABASE_URL=cluster.create_database("vib"), DATA_DIR=f"{folder}/data")
            manage(env, "migrate", "-v0")
            server, base = start_gunicorn(env, workers=2)
            try:
                results: list[tuple[float, int]] = []
                threads = [threading.Thread(target=hammer, args=(base, 12, results)) for _ in range(4)]
                for thread in threads:
                    thread.start()
                time.sleep(3)
                restart_at = time.monotonic()
                cluster.restart()
                back_at = time.monotonic()
                for thread in threads:
                    thread.join()
            finally:
                stop(server)
        finally:
            cluster.stop()
    failures = sorted(t for t, status in results if status != 200)
    codes = sorted({status for _, status in results if status != 200})
    after = [status for t, status in results if t > back_at + 1]
    print(f"requests: {len(results)}, failed: {len(failures)} (HTTP {codes}; 0 = no answer)")
    print(f"PostgreSQL down for {back_at - restart_at:.2f} s (pg_ctl restart -m fast)")
    if failures:
        print(
            f"failures from +{failures[0] - restart_at:.2f} s to +{failures[-1] - restart_at:.2f} s after the restart"
        )
    ok = all(status == 200 for status in after) and len(after) > 0
    print(f"requests from 1 s after the restart on: {len(after)}, all OK: {ok} (same gunicorn processes)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
