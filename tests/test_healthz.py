import os

import pytest
from django.test import Client

from vibplatform.celery import app as celery_app


def test_healthz_reports_each_dependency_ok(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "storage": "ok"}


def test_healthz_uses_the_real_redis_broker_when_configured(db):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL not set: the embedded file-system broker is checked instead")
    assert celery_app.conf.broker_url.startswith("redis://")
    assert Client().get("/healthz").json()["broker"] == "ok"


def test_healthz_answers_503_when_the_broker_is_down(db):
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = Client().get("/healthz")
    finally:
        celery_app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["broker"] == "error"
    assert response.json()["database"] == "ok"


def test_healthz_answers_503_when_the_s3_store_is_unreachable(db, settings):
    from botocore.config import Config

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "vib",
                "endpoint_url": "http://127.0.0.1:1",
                "access_key": "k",
                "secret_key": "s",
                "client_config": Config(
                    connect_timeout=1, retries={"total_max_attempts": 1, "mode": "standard"}
                ),
            },
        },
    }
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["storage"] == "error"


def test_healthz_refuses_post(db):
    assert Client().post("/healthz").status_code == 405
