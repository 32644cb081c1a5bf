"""Settings come from the environment: which backends are active under which variables."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-value-0123456789",
    "ALLOWED_HOSTS": "vib.example.nl",
    "HTTPS": "1",
    "DATABASE_URL": "postgres://vib:secret@db.example.nl:5432/vib",
    "REDIS_URL": "redis://redis.example.nl:6379/0",
    "S3_BUCKET": "vib-recordings",
    "S3_ENDPOINT_URL": "https://s3.example.nl",
    "S3_ACCESS_KEY_ID": "key",
    "S3_SECRET_ACCESS_KEY": "secret",
    "EMAIL_HOST": "smtp.example.nl",
}
# DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests in this process; no deployment has it.
_CLEARED = [
    "DATABASE_URL",
    "REDIS_URL",
    "S3_BUCKET",
    "S3_ENDPOINT_URL",
    "EMAIL_HOST",
    "DEBUG",
    "HTTPS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
]


def _settings_in_subprocess(env: dict[str, str], tmp_path: Path) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({'storage': settings.STORAGES['default'], 'db': settings.DATABASES['default']['ENGINE'],"
        "'broker': settings.CELERY_BROKER_URL, 'cache': settings.CACHES['default']['BACKEND'],"
        "'email': settings.EMAIL_BACKEND, 'hsts': settings.SECURE_HSTS_SECONDS}, default=str))"
    )
    full_env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    full_env.update({"DJANGO_SETTINGS_MODULE": "vibplatform.settings", "DATA_DIR": str(tmp_path), **env})
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_is_sqlite_private_files_filesystem_broker_console_mail(tmp_path):
    active = _settings_in_subprocess({}, tmp_path)
    assert active["db"] == "django.db.backends.sqlite3"
    assert active["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert active["storage"]["OPTIONS"]["location"] == str(tmp_path / "private")
    assert active["storage"]["OPTIONS"]["base_url"] is None
    assert active["broker"] == "filesystem://"
    assert active["cache"].endswith("FileBasedCache")
    assert active["email"].endswith("console.EmailBackend")
    assert active["hsts"] == 0


def test_production_variables_select_postgres_redis_s3_smtp(tmp_path):
    active = _settings_in_subprocess(PRODUCTION_ENV, tmp_path)
    assert active["db"] == "django.db.backends.postgresql"
    assert active["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = active["storage"]["OPTIONS"]
    assert options["bucket_name"] == "vib-recordings"
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] <= 300
    assert options["object_parameters"] == {"ServerSideEncryption": "AES256"}
    assert active["broker"] == "redis://redis.example.nl:6379/0"
    assert active["cache"].endswith("RedisCache")
    assert active["email"].endswith("smtp.EmailBackend")
    assert active["hsts"] >= 31536000


def test_secret_key_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file-" + "y" * 50 + "\n")
    code = "import django; from django.conf import settings; print(settings.SECRET_KEY)"
    env = {**os.environ, "SECRET_KEY_FILE": str(secret_file), "DATA_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "from-a-file-" + "y" * 50


@pytest.mark.parametrize(
    "name,value",
    [("DEBUG", "maybe"), ("SESSION_IDLE_MINUTES", "an hour"), ("S3_SERVER_SIDE_ENCRYPTION", "none")],
)
def test_malformed_values_stop_start_up_with_a_clear_message(tmp_path, name, value):
    env = {name: value}
    if name == "S3_SERVER_SIDE_ENCRYPTION":
        env["S3_BUCKET"] = "b"
    with pytest.raises(subprocess.CalledProcessError) as failure:
        _settings_in_subprocess(env, tmp_path)
    assert "ImproperlyConfigured" in failure.value.stderr
    assert name in failure.value.stderr


def test_check_deploy_reports_nothing_with_production_variables(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    env.update(PRODUCTION_ENV, DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_the_platform_settings_do_not_change_when_pytest_is_loaded(tmp_path):
    # Test-only configuration lives in tests/settings.py; the platform's settings never look for pytest.
    code = (
        "import json, pytest, django; from django.conf import settings; django.setup();"
        "print(json.dumps([settings.PASSWORD_HASHERS[0], settings.CELERY_TASK_ALWAYS_EAGER]))"
    )
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    env.update({"DJANGO_SETTINGS_MODULE": "vibplatform.settings", "DATA_DIR": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )

    hasher, eager = json.loads(result.stdout.strip().splitlines()[-1])
    assert hasher == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert eager is False
