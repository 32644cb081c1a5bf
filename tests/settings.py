"""Settings for the test suite: the platform's settings plus what only tests want (pytest uses this module,
see pyproject.toml). Nothing in vibplatform/settings.py knows it is being tested."""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# Tests keep their files apart from the demo's, and each parallel worker (gw0, gw1, ...) has its own
# folder. The variable is set only while the platform's settings derive their paths from it, so that the
# xdist workers started from this process do not inherit the controller's folder.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_GIVEN_DATA_DIR = os.environ.get("DATA_DIR")
if _GIVEN_DATA_DIR is None:
    os.environ["DATA_DIR"] = str(
        Path(__file__).resolve().parent.parent / ".data" / f"test-{_WORKER or 'main'}"
    )
try:
    from vibplatform.settings import *  # noqa: F403
    from vibplatform.settings import CACHES, REDIS_URL, STORAGES
finally:
    if _GIVEN_DATA_DIR is None:
        del os.environ["DATA_DIR"]

from vibplatform.env import env_bool  # noqa: E402

# Fast password hashing: the personas are made for every test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Static files straight from the source folders: no collectstatic before a test run.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True

# Unit tests run tasks in-process; the integration tests start a real worker against the real broker.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)


def _worker_cache_url(url: str) -> str:
    # Each parallel worker gets a Redis database of its own after the configured one, so one worker's
    # cache.clear() cannot wipe the other's counters.
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + 1 + int(_WORKER[2:])
    return urlunsplit(parts._replace(path=f"/{database}"))


if REDIS_URL and _WORKER.startswith("gw"):
    CACHES["default"]["LOCATION"] = _worker_cache_url(REDIS_URL)
