"""/healthz: is the web process connected to the database, the broker and the storage?"""

from collections.abc import Callable

from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from vibplatform.celery import app as celery_app


def _database_ok() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        row: tuple[int] | None = cursor.fetchone()
        return row == (1,)


def _broker_ok() -> bool:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        return True


def _storage_ok() -> bool:
    # A HEAD request on S3, a stat locally: cheap, and it fails when the store cannot be reached.
    default_storage.exists("healthz-probe")
    return True


def _probe(check: Callable[[], bool]) -> str:
    try:
        return "ok" if check() else "error"
    except Exception:  # any failure of a dependency makes this one "error"; the reason is not exposed
        return "error"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _probe(_database_ok), "broker": _probe(_broker_ok), "storage": _probe(_storage_ok)}
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
