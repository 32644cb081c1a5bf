import os

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from vibplatform.celery import app as celery_app


@pytest.fixture
def storage_folder_exists():
    # The local storage folder is created on first write; make sure it is there for the "ok" case.
    default_storage.save("healthz-probe.txt", __import__("io").BytesIO(b"x"))
    yield
    default_storage.delete("healthz-probe.txt")


def test_healthz_reports_each_dependency_ok(db, storage_folder_exists):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "storage": "ok"}


def test_healthz_uses_the_real_redis_broker_when_configured(db, storage_folder_exists):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL not set: the embedded file-system broker is checked instead")
    assert celery_app.conf.broker_url.startswith("redis://")
    assert Client().get("/healthz").json()["broker"] == "ok"


def test_healthz_answers_503_when_the_broker_is_down(db, storage_folder_exists):
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = Client().get("/healthz")
    finally:
        celery_app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["broker"] == "error"
    assert response.json()["database"] == "ok"


def test_healthz_answers_503_when_storage_is_unreachable(db, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "missing")},
        },
    }
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["storage"] == "error"


def test_healthz_refuses_post(db):
    assert Client().post("/healthz").status_code == 405
