"""Fault: the S3 server becomes unreachable in the middle of an upload.

    .venv/bin/python bench/fault_storage_outage.py

A TCP proxy sits between the platform (gunicorn) and a moto S3 server; cutting the proxy is the outage.
Expected: the chunk sent during the outage gets HTTP 503 with a Dutch message, the upload's offset
stays where the stored bytes end (no row points at bytes that are not there), and after the store
returns the same upload resumes and completes into one object of the right size.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import boto3
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from services import VENV_BIN, Proxy, free_port, manage, project_env, start_gunicorn, stop, wait_for_port  # noqa: E402

MIB = 1024 * 1024
SIZE = 20 * MIB
CHUNK = 8 * MIB

SETUP = """
import datetime, django
django.setup()
from organisations.models import Organisation, User
from families.models import Consent, Family
from organisations.tokens import api_token_create
from recordings.models import Recording
org = Organisation.objects.create(name="Fault")
user = User.objects.create_user(email="fault@example.nl", password="x-long-password-1", full_name="F",
                                organisation=org, is_professional=True)
today = datetime.date.today()
family = Family.objects.create(organisation=org, code="FAULT-1")
Consent.objects.create(family=family, purpose="vib_supervision", given_by="parents", given_on=today,
                       valid_until=today + datetime.timedelta(days=30, recorded_by=user))
recording = Recording.objects.create(professional=user, family=family)
print(recording.pk, api_token_create(user=user, name="bench", days=1, second_factor=False)[1])
"""


def main() -> int:
    moto_port = free_port()
    moto = subprocess.Popen(
        [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(moto_port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(moto_port)
    proxy = Proxy(moto_port)
    s3 = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{moto_port}",
        region_name="eu-central-1",
        aws_access_key_id="k",
        aws_secret_access_key="s",
    )
    s3.create_bucket(Bucket="vib", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    with tempfile.TemporaryDirectory() as folder:
        env = project_env(
            DATA_DIR=folder,
            S3_BUCKET="vib",
            S3_ENDPOINT_URL=f"http://127.0.0.1:{proxy.port}",
            S3_ACCESS_KEY_ID="k",
            S3_SECRET_ACCESS_KEY="s",
            S3_REGION="eu-central-1",
        )
        manage(env, "migrate", "-v0")
        out = subprocess.run(
            [str(VENV_BIN / "python"), "-c", SETUP],
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        recording_id, token = out[-2], out[-1]
        server, base = start_gunicorn(env, workers=1)
        try:
            return run(base, recording_id, token, proxy, s3)
        finally:
            stop(server)
            moto.terminate()


def run(base: str, recording_id: str, token: str, proxy: Proxy, s3) -> int:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Token {token}", "Tus-Resumable": "1.0.0"}
    data = bytes(range(256)) * (SIZE // 256)
    created = requests.post(
        f"{base}/uploads/recordings/{recording_id}/",
        timeout=30,
        headers={**headers, "Upload-Length": str(SIZE)},
    )
    location = requests.compat.urljoin(base, created.headers["Location"])

    def patch(offset: int) -> requests.Response:
        return requests.patch(
            location,
            data=data[offset : offset + CHUNK],
            timeout=60,
            headers={
                **headers,
                "Upload-Offset": str(offset),
                "Content-Type": "application/offset+octet-stream",
            },
        )

    def offset() -> int:
        return int(requests.head(location, headers=headers, timeout=30).headers["Upload-Offset"])

    first = patch(0)
    proxy.cut()
    during = patch(offset())
    offset_during = offset()
    proxy.heal()
    while (current := offset()) < SIZE:
        resumed = patch(current)
        if resumed.status_code != 204:
            print(f"resume failed: HTTP {resumed.status_code} {resumed.text[:200]}")
            return 1
    objects = s3.list_objects_v2(Bucket="vib").get("Contents", [])
    sizes = [obj["Size"] for obj in objects if obj["Key"].startswith("recordings/")]
    print(f"first chunk before the outage: HTTP {first.status_code}")
    print(
        f"chunk during the outage: HTTP {during.status_code}, message: {during.json().get('detail', during.text)[:120]}"
    )
    print(
        f"offset reported during the outage: {offset_during // MIB} MiB (bytes safely stored before the cut)"
    )
    print(f"after the store returned: upload completed, objects in the bucket: {len(sizes)}, sizes {sizes}")
    ok = during.status_code == 503 and sizes == [SIZE]
    print(f"consistent: {ok}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
