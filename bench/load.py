"""Load benchmark: gunicorn + PostgreSQL on this machine, 20 concurrent users per scenario.

    .venv/bin/python bench/load.py [--seconds 30] [--users 20] [--reseed]

Creates (or reuses) the PostgreSQL database `vib_bench`, seeds it with `manage.py seed_load`
(10 organisations, 1,000 professionals, 5,000 recordings, 100,000 annotations), starts gunicorn and runs
locust headless once per scenario: the professional's dashboard, the coordinator overview, the player
page and the annotation list API. Prints median and 95th percentile latency, throughput, failures, and
the number of SQL queries each page runs for two different users (they must be equal).
"""

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vib_bench")
SCENARIOS = ["professional_dashboard", "coordinator_overview", "player_page", "annotation_api"]


def _env(data_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG"}}
    env.update(
        DATABASE_URL=DB_URL,
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9"),
        DATA_DIR=data_dir,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SETTINGS_MODULE="vibplatform.settings",
        LOGIN_FAILURE_LIMIT="1000",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def _prepare_database(env: dict[str, str], reseed: bool) -> None:
    name = DB_URL.rsplit("/", 1)[1]
    admin = DB_URL.rsplit("/", 1)[0] + "/postgres"
    exists = subprocess.run(
        ["psql", admin, "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],  # noqa: S608 (own constant)
        capture_output=True,
        text=True,
    ).stdout.strip()
    if exists and reseed:
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE {name}"], check=True)
    if not exists or reseed:
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
        _manage(env, "migrate", "-v0")
        print(_manage(env, "seed_load").strip())
    _manage(env, "collectstatic", "--no-input", "-v0")


PLAN_CODE = r"""
import json, random, django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from organisations.tokens import api_token_create
from organisations.models import User
from recordings.models import Recording
from vibplatform.management.commands.seed_load import LOAD_DOMAIN, LOAD_PASSWORD

random.seed(1)
profs = list(User.objects.filter(email__endswith=LOAD_DOMAIN, is_professional=True).order_by("pk")[:200])
coords = list(User.objects.filter(email__endswith=LOAD_DOMAIN, is_coordinator=True))
first_recording = {r.professional_id: r.pk for r in Recording.objects.filter(professional__in=profs).order_by("created_at")}
plan = {"password": LOAD_PASSWORD, "accounts": {
    "professional_dashboard": [{"email": p.email, "url": "/courses/"} for p in profs],
    "coordinator_overview": [{"email": c.email, "url": "/certification/overview/"} for c in coords],
    "player_page": [{"email": p.email, "url": f"/annotations/recordings/{first_recording[p.pk]}/"} for p in profs if p.pk in first_recording],
    "annotation_api": [{"token": api_token_create(user=p, name="load", days=1, second_factor=False)[1], "email_of_token": p.email, "url": f"/api/recordings/{first_recording[p.pk]}/annotations/"} for p in profs[:50] if p.pk in first_recording],
}}

def logged_in_client(user):
    # A session made here, as the login form (and the TOTP step) would; the load run measures pages, not
    # password hashing, which is deliberately slow.
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user).first()
    if device:
        session = client.session; session[DEVICE_ID_SESSION_KEY] = device.persistent_id; session.save()
    return client

for account in [a for accounts in plan["accounts"].values() for a in accounts if "email" in a]:
    account["session"] = logged_in_client(User.objects.get(email=account["email"])).cookies["sessionid"].value

def count_queries(account, user):
    client = logged_in_client(user)
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(account["url"]).status_code
    return status, len(ctx.captured_queries)

queries = {}
for scenario, accounts in plan["accounts"].items():
    by_user = {"token": None}
    results = []
    for account in accounts[:2]:
        user = User.objects.get(email=account.get("email") or account["email_of_token"])
        results.append(count_queries(account, user))
    queries[scenario] = results
plan["queries"] = queries
print(json.dumps(plan))
"""


def _plan(env: dict[str, str]) -> dict:
    out = subprocess.run([PY, "-c", PLAN_CODE], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 (loopback only)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def _locust(
    scenario: str, host: str, plan_path: str, users: int, seconds: int, out_dir: str, think: float
) -> dict[str, str]:
    prefix = f"{out_dir}/{scenario}"
    env = {**os.environ, "LOAD_PLAN": plan_path, "LOAD_SCENARIO": scenario, "LOAD_THINK_SECONDS": str(think)}
    result = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--host",
            host,
            "--csv",
            prefix,
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env=env,
        check=False,
        capture_output=True,
    )
    with open(f"{prefix}_stats.csv") as handle:
        rows = [row for row in csv.DictReader(handle) if row["Name"] == scenario]
    if not rows:
        raise SystemExit(f"locust measured nothing for {scenario}:\n{result.stderr.decode()[-2000:]}")
    return rows[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--think", type=float, default=0.0, help="seconds a user waits between requests")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        env = _env(data_dir)
        _prepare_database(env, args.reseed)
        plan = _plan(env)
        plan_path = f"{data_dir}/plan.json"
        Path(plan_path).write_text(json.dumps(plan))
        port = _free_port()
        server = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "vibplatform.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            _wait_until_up(f"http://127.0.0.1:{port}/healthz")
            print(
                f"{args.users} users, {args.think:g} s think time, {args.seconds} s per scenario, "
                f"gunicorn {args.workers} workers, PostgreSQL"
            )
            print(
                f"{'scenario':<24}{'requests':>9}{'failures':>9}{'median ms':>11}{'p95 ms':>8}{'req/s':>8}  queries"
            )
            for scenario in SCENARIOS:
                # Warm-up (not measured): every gunicorn worker compiles its templates on first use.
                _locust(scenario, f"http://127.0.0.1:{port}", plan_path, args.users, 5, data_dir, args.think)
                row = _locust(
                    scenario,
                    f"http://127.0.0.1:{port}",
                    plan_path,
                    args.users,
                    args.seconds,
                    data_dir,
                    args.think,
                )
                queries = ", ".join(f"{n} (HTTP {s})" for s, n in plan["queries"][scenario])
                print(
                    f"{scenario:<24}{row['Request Count']:>9}{row['Failure Count']:>9}{row['Median Response Time']:>11}"
                    f"{row['95%']:>8}{float(row['Requests/s']):>8.1f}  {queries}"
                )
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
