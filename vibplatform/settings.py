"""Settings for the VIB platform, read from environment variables (see README, "Configuration").

Without any variable set this is the embedded setup: SQLite, private file storage and a file-system
Celery broker under DATA_DIR, console e-mail. Production sets DATABASE_URL, REDIS_URL, S3_* and SMTP.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from vibplatform.env import env_bool, env_int, env_list, env_str

# Admin classes, forms and querysets name their model type (ModelAdmin[Recording]) for mypy --strict;
# Django does not accept the subscript at run time without this.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
DEBUG = env_bool("DEBUG", False)
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / ".data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    # Embedded setup: a random key kept beside the data, so sessions survive restarts and nothing is committed.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# `make run` serves on PORT (default 8000); the address in e-mails and certificate QR codes follows it
# unless SITE_URL is set.
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "vibplatform",
    "organisations",
    "courses",
    "families",
    "recordings",
    "uploads",
    "annotations",
    "certification",
    "dmop",
    "audit",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vibplatform.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "organisations.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "vibplatform.middleware.StorageUnavailableMiddleware",
    "audit.refusals.RefusalLogMiddleware",
    "families.middleware.ConsentRefusedMiddleware",
]

# The project's own catalogues take precedence over Django's (which would say "Aanmelden" for "Log in").
LOCALE_PATHS = [
    BASE_DIR / name / "locale" for name in INSTALLED_APPS if (BASE_DIR / name / "locale").is_dir()
]

ROOT_URLCONF = "vibplatform.urls"
WSGI_APPLICATION = "vibplatform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "vibplatform" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vibplatform.navigation.nav_items",
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL through DATABASE_URL. Health checks let a web process
# recover by itself after the database restarts.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take SQLite's write lock when a transaction starts, so concurrent appends to the access log's hash
    # chain wait for each other instead of chaining onto the same line (or failing with "locked").
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")


if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    # File-based rather than in-memory, so the login rate limit holds across web processes.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

# Authentication
AUTH_USER_MODEL = "organisations.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after a period of inactivity (workstations in a clinic are shared).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 60) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Login rate limit (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "VIB-platform"

# HTTPS and security headers. HTTPS=1 in production (behind a TLS-terminating proxy set
# SECURE_PROXY_SSL_HEADER=1 so Django trusts X-Forwarded-Proto).
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Storage: private files only. Never served from a public URL; playback goes through signed links.
S3_BUCKET = env_str("S3_BUCKET")
S3_ENDPOINT_URL = env_str("S3_ENDPOINT_URL")
SIGNED_URL_SECONDS = min(env_int("SIGNED_URL_SECONDS", 300), 300)
if S3_BUCKET:
    S3_SSE = env_str("S3_SERVER_SIDE_ENCRYPTION", "AES256")
    if S3_SSE not in {"AES256", "aws:kms"}:
        raise ImproperlyConfigured("S3_SERVER_SIDE_ENCRYPTION must be AES256 or aws:kms")
    _object_parameters = {"ServerSideEncryption": S3_SSE}
    if S3_SSE == "aws:kms" and env_str("S3_KMS_KEY_ID"):
        _object_parameters["SSEKMSKeyId"] = env_str("S3_KMS_KEY_ID")
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": S3_ENDPOINT_URL or None,
            "region_name": env_str("S3_REGION", "eu-central-1"),
            "access_key": env_str("S3_ACCESS_KEY_ID"),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": SIGNED_URL_SECONDS,
            "file_overwrite": False,
            "object_parameters": _object_parameters,
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
        },
    }
else:
    (DATA_DIR / "private").mkdir(mode=0o700, exist_ok=True)
    DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "private"), "base_url": None},
    }
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".staticfiles"
STATICFILES_DIRS = [BASE_DIR / "vibplatform" / "static"]
WHITENOISE_USE_FINDERS = DEBUG

# Celery: Redis in production, a file-system broker (no server) in the embedded setup.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    _broker_dir = DATA_DIR / "broker"
    for sub in ("queue", "processed", "control"):
        (_broker_dir / sub).mkdir(parents=True, exist_ok=True)
    (DATA_DIR / "results").mkdir(exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Without it kombu writes its control exchange into the current directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # A task unacknowledged for this long is redelivered: longer than the longest transcode.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 7200)}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# The segment encodes of a film are a chord: its join runs when all are done, which Celery counts in a
# result backend (Redis; in the embedded setup files under DATA_DIR). Only those tasks keep results.
CELERY_RESULT_BACKEND = REDIS_URL or f"file://{DATA_DIR / 'results'}"
CELERY_RESULT_EXPIRES = 24 * 3600
# Tasks in-process instead of through the broker (the test suite's settings turn this on).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 3 * 3600)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
CELERY_BEAT_SCHEDULE = {
    "enforce-recording-retention": {"task": "families.tasks.enforce_retention", "schedule": 24 * 3600},
    "expire-certifications": {"task": "certification.tasks.expire_certifications", "schedule": 24 * 3600},
    "expire-dmop-records": {"task": "dmop.tasks.expire_dmop_records", "schedule": 24 * 3600},
}

# E-mail: SMTP when EMAIL_HOST is set, else printed to the console.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "VIB-platform <noreply@vibplatform.localhost>")

# Internationalisation: Dutch first, English second.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
# One date and one time format per language (Dutch: Django's own; English: the same shape).
FORMAT_MODULE_PATH = ["vibplatform.formats"]
USE_TZ = True

# Content-Security-Policy: no inline scripts or styles anywhere.
_media_sources = [SELF] + ([S3_ENDPOINT_URL] if S3_ENDPOINT_URL else [])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"] + _media_sources[1:],
        "media-src": _media_sources + ["blob:"],
        # The player fetches the thumbnails track; on S3 that is a presigned link (bucket CORS must allow GET).
        "connect-src": _media_sources,
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "organisations.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "vibplatform.pagination.Pagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "VIB-platform API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind" or "status"; name their choice sets so the schema is stable.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "vibplatform.api_errors.document_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RecordingKindEnum": "recordings.models.Recording.Kind",
        "RecordingStatusEnum": "recordings.models.Recording.Status",
        "ReviewMediaKindEnum": "annotations.models.ReviewMedia.Kind",
        "DmopDomainEnum": "dmop.models.Domain",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}},
}

# --- audit (NEN 7513 access log) ---
# Behind a reverse proxy that appends the client's address to X-Forwarded-For, log that address as the
# access point instead of the proxy's.
AUDIT_TRUST_X_FORWARDED_FOR = env_bool("AUDIT_TRUST_X_FORWARDED_FOR", False)

# --- uploads (tus resumable uploads of recordings) ---
# Largest accepted film; a tus client announcing more is refused (413) before it sends any bytes.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 4 * 1024**3)
# An unfinished upload may be resumed this long after its last bytes arrived; then it is cleaned up.
UPLOAD_EXPIRE_HOURS = env_int("UPLOAD_EXPIRE_HOURS", 24)
CELERY_BEAT_SCHEDULE["expire-uploads"] = {"task": "uploads.tasks.expire_uploads", "schedule": 3600}

# --- recordings pipeline (validation and transcoding of uploaded films) ---
# Longest film accepted (home visits last 5-30 minutes) and largest picture (width x height, 8K).
RECORDING_MAX_DURATION_SECONDS = env_int("RECORDING_MAX_DURATION_SECONDS", 2 * 3600)
RECORDING_MAX_PIXELS = env_int("RECORDING_MAX_PIXELS", 7680 * 4320)
# ffmpeg without progress for this long is killed and the job retried; after RECORDING_MAX_ATTEMPTS
# stalled attempts the recording is rejected with a message (never left pending forever).
RECORDING_STALL_SECONDS = env_int("RECORDING_STALL_SECONDS", 300)
RECORDING_MAX_ATTEMPTS = env_int("RECORDING_MAX_ATTEMPTS", 3)
# A processing attempt's lease on its recording, renewed while it works; another attempt may take over
# only after it ran out (a killed worker's attempt), and waits until then.
RECORDING_LEASE_SECONDS = env_int("RECORDING_LEASE_SECONDS", 90)
# A film that must be encoded is cut at keyframes into segments encoded by parallel tasks: a short first
# one (the start is watchable within seconds), then segments of about this length.
RECORDING_FIRST_SEGMENT_SECONDS = env_int("RECORDING_FIRST_SEGMENT_SECONDS", 8)
RECORDING_SEGMENT_SECONDS = env_int("RECORDING_SEGMENT_SECONDS", 40)
# The first this many seconds are cut into the first segment and two equal ones, encoded faster (0: off).
RECORDING_EARLY_SECONDS = env_int("RECORDING_EARLY_SECONDS", 60)
# Cores the fast path may use at once to encode a long film's sound (its picture is copied).
RECORDING_SOUND_CORES = env_int("RECORDING_SOUND_CORES", os.cpu_count() or 1)
# Scratch space of the transcoding worker, one folder per recording (needs room for a film and its renditions).
RECORDING_WORK_DIR = env_str("RECORDING_WORK_DIR", str(DATA_DIR / "work"))
# How often the stall check runs. It also starts recordings whose processing task never reached the
# broker (Redis down when the upload completed), once the broker is back.
RECORDING_STALL_CHECK_SECONDS = env_int("RECORDING_STALL_CHECK_SECONDS", 60)
CELERY_BEAT_SCHEDULE["detect-stalled-recordings"] = {
    "task": "recordings.tasks.detect_stalled",
    "schedule": RECORDING_STALL_CHECK_SECONDS,
}
