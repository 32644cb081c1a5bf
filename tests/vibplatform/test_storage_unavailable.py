"""When the S3 store is down, people get a 503 with a Dutch explanation, not a server error."""

import pytest
from botocore.config import Config
from django.core.files.storage import storages
from django.http import HttpResponse
from django.urls import path

from vibplatform.urls import urlpatterns as project_urls

DEAD_S3 = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": "vib",
        "endpoint_url": "http://127.0.0.1:1",
        "access_key": "k",
        "secret_key": "s",
        "client_config": Config(connect_timeout=1, retries={"total_max_attempts": 1, "mode": "standard"}),
    },
}


def read_from_storage(request):  # type: ignore[no-untyped-def]
    with storages.create_storage(DEAD_S3).open("recordings/x/original") as handle:
        return HttpResponse(handle.read(10))


urlpatterns = [
    path("storage-page/", read_from_storage),
    path("api/storage/", read_from_storage),
    *project_urls,
]


@pytest.mark.urls("tests.vibplatform.test_storage_unavailable")
def test_page_answers_503_in_dutch_when_s3_is_unreachable(client_for, professional):
    response = client_for(professional).get("/storage-page/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "niet bereikbaar" in response.content.decode()


@pytest.mark.urls("tests.vibplatform.test_storage_unavailable")
def test_api_answers_503_json_when_s3_is_unreachable(client_for, professional):
    response = client_for(professional).get("/api/storage/")
    assert response.status_code == 503
    assert "niet bereikbaar" in response.json()["detail"]
