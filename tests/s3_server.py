"""An S3 server for tests: moto's server over real HTTP, and Django's default storage pointed at it.

Import both fixtures into a conftest that needs them::

    from tests.s3_server import s3_server, s3_storage  # noqa: F401

``s3_server`` (session scope) starts ``moto_server`` on 127.0.0.1 with a free port and yields its
endpoint URL. ``s3_storage`` (per test) creates a fresh bucket, switches ``STORAGES["default"]`` to
django-storages' S3 backend with the production options (server-side encryption, signed links of at most
five minutes, no overwrites) and yields an ``S3Bucket`` with a boto3 ``client`` and the ``bucket`` name.
Code under test sees the switch through ``django.core.files.storage.default_storage``: Django's
``setting_changed`` handler resets the storage handler cache when ``STORAGES`` is overridden.
"""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

S3_REGION = "eu-central-1"
S3_ACCESS_KEY = "test-access-key"
S3_SECRET_KEY = "test-secret-key"


@dataclass
class S3Bucket:
    client: Any  # boto3 S3 client talking to the moto server
    bucket: str
    endpoint_url: str

    def keys(self, prefix: str = "") -> list[str]:
        """Every object key in the bucket (under ``prefix``), sorted."""
        paginator = self.client.get_paginator("list_objects_v2")
        pages = paginator.paginate(Bucket=self.bucket, Prefix=prefix)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_answering(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/moto-api/", timeout=1):  # noqa: S310 (local test server)
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError("moto_server did not answer in time")


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """Endpoint URL of a moto S3 server running as a subprocess for the whole test session."""
    executable = Path(sys.executable).with_name("moto_server")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [str(executable), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_answering(url, process)
        yield url
    finally:
        process.kill()
        process.wait(timeout=10)


def s3_storage_options(endpoint_url: str, bucket: str) -> dict[str, Any]:
    """The same S3Storage options as production settings, aimed at the test server."""
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url,
        "region_name": S3_REGION,
        "access_key": S3_ACCESS_KEY,
        "secret_key": S3_SECRET_KEY,
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
        "object_parameters": {"ServerSideEncryption": "AES256"},
        "addressing_style": "path",
        "signature_version": "s3v4",
    }


@pytest.fixture
def s3_storage(s3_server: str, db: None) -> Iterator[S3Bucket]:
    """Django's default storage switched to S3 on the moto server, with a fresh bucket for this test."""
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name=S3_REGION,
        aws_access_key_id=S3_ACCESS_KEY,
        aws_secret_access_key=S3_SECRET_KEY,
        config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"),
    )
    bucket = f"test-{uuid.uuid4().hex}"
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": S3_REGION})
    stores = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_storage_options(s3_server, bucket),
        },
    }
    # override_settings fires setting_changed, whose Django handler empties the storage handler's cache and
    # resets default_storage: code under test sees S3 now and the local storage again afterwards.
    with override_settings(STORAGES=stores):
        yield S3Bucket(client=client, bucket=bucket, endpoint_url=s3_server)
