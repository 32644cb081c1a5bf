import os
from collections.abc import Iterator

import pytest
from tusclient.client import TusClient

from organisations.models import User
from recordings.models import Recording
from tests.conftest import api_token_for
from tests.families.factories import family_of
from tests.s3_server import s3_server, s3_storage  # noqa: F401
from uploads.services import upload_url_for


def make_recording(professional: User, **fields: object) -> Recording:
    family = family_of(professional, "FAM-042")
    return Recording.objects.create(professional=professional, family=family, **fields)


@pytest.fixture
def recording(professional) -> Recording:
    return make_recording(professional)


@pytest.fixture
def payload() -> bytes:
    # Random bytes: the upload path must not care what is inside (the pipeline judges that).
    return os.urandom(300_000)


def token_for(user: User) -> str:
    return api_token_for(user)


def tus_headers(user: User | None) -> dict[str, str]:
    return {"Authorization": f"Token {token_for(user)}"} if user is not None else {}


@pytest.fixture
def tus_client_for(live_server):  # type: ignore[no-untyped-def]
    """``tus_client_for(user, recording)``: a tuspy client aimed at the recording's creation endpoint."""

    def _client(user: User | None, recording: Recording) -> TusClient:
        return TusClient(live_server.url + upload_url_for(recording), headers=tus_headers(user))

    return _client


@pytest.fixture
def pipeline_queued() -> Iterator[None]:
    """Queue ``process_recording`` instead of running it in the web thread.

    These tests are about the hand-over (the original stored, the recording in "processing"); the
    pipeline has its own tests. The task still goes through the real broker.
    """
    from vibplatform.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def private_data_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Each test its own DATA_DIR, so assertions about files left behind see only this test's files."""
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR
