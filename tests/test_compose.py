"""docker-compose.yml cannot be run here (no Docker engine), so a test reads it against the settings."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_SOURCE = (ROOT / "vibplatform" / "settings.py").read_text()
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
APP_SERVICES = ["web", "worker", "beat"]


def _variables_read_by_settings() -> set[str]:
    return set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z0-9_]+)"', SETTINGS_SOURCE))


def test_stack_has_web_worker_beat_database_redis_and_s3_store():
    assert {"web", "worker", "beat", "db", "redis", "minio"} <= set(COMPOSE["services"])
    assert "gunicorn" in COMPOSE["services"]["web"]["command"]
    assert "worker" in COMPOSE["services"]["worker"]["command"]
    assert "beat" in COMPOSE["services"]["beat"]["command"]


def test_every_app_service_variable_is_one_the_settings_read():
    known = _variables_read_by_settings()
    for name in APP_SERVICES:
        environment = COMPOSE["services"][name]["environment"]
        unknown = set(environment) - known
        assert not unknown, f"{name} sets variables the settings never read: {unknown}"


def test_app_services_share_the_production_configuration():
    required = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "S3_BUCKET", "S3_ENDPOINT_URL", "HTTPS"}
    for name in APP_SERVICES:
        environment = COMPOSE["services"][name]["environment"]
        assert required <= set(environment), name
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert "@db:5432/" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"].startswith("redis://redis:6379")
        assert environment["S3_ENDPOINT_URL"] == "http://minio:9000"


ROLES_SCRIPT = (ROOT / "docker" / "postgres" / "10-roles.sh").read_text()


def test_the_app_logs_in_as_the_app_role_and_migrations_run_as_the_owner():
    db_env = COMPOSE["services"]["db"]["environment"]
    for name in APP_SERVICES:
        url = COMPOSE["services"][name]["environment"]["DATABASE_URL"]
        assert url.startswith("postgres://vib_app:${VIB_APP_PASSWORD")
        assert url.endswith(f"/{db_env['POSTGRES_DB']}")
        assert COMPOSE["services"][name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    migrate = COMPOSE["services"]["migrate"]
    assert migrate["environment"]["DATABASE_URL"].startswith("postgres://vib_owner:${VIB_OWNER_PASSWORD")
    assert "migrate" in migrate["command"] and "audit_grant_app_role vib_app" in migrate["command"]
    assert "migrate" not in COMPOSE["services"]["web"]["command"]


def test_no_service_logs_in_as_the_database_superuser():
    superuser = COMPOSE["services"]["db"]["environment"]["POSTGRES_USER"]
    for name in [*APP_SERVICES, "migrate"]:
        assert not COMPOSE["services"][name]["environment"]["DATABASE_URL"].startswith(
            f"postgres://{superuser}:"
        )


def test_the_roles_are_made_without_superuser_rights():
    assert "./docker/postgres:/docker-entrypoint-initdb.d:ro" in COMPOSE["services"]["db"]["volumes"]
    for role in ("vib_owner", "vib_app"):
        line = next(line for line in ROLES_SCRIPT.splitlines() if line.startswith(f"CREATE ROLE {role} "))
        assert "NOSUPERUSER" in line and "NOCREATEROLE" in line
    assert "ALTER DATABASE vib OWNER TO vib_owner" in ROLES_SCRIPT


def test_no_secret_is_committed_in_the_compose_file():
    for name in [*APP_SERVICES, "db", "minio"]:
        for key, value in COMPOSE["services"][name]["environment"].items():
            if any(word in key for word in ("SECRET", "PASSWORD", "KMS")):
                assert str(value).startswith("${"), f"{name}.{key} must come from the environment"


def test_bucket_is_created_private():
    entrypoint = COMPOSE["services"]["minio-setup"]["entrypoint"]
    assert "anonymous set none" in entrypoint
