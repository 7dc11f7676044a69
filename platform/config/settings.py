"""Haven settings: one module, everything that differs between deployments comes from the
environment (12-factor). Defaults are safe for production; development is asked for with
``HAVEN_DEBUG=1`` (``make run`` does).

See the configuration table in README.md for every variable.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config import embedded


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from error


BASE_DIR = Path(__file__).resolve().parents[2]
DEBUG = _env_bool("HAVEN_DEBUG")

SECRET_KEY = os.environ.get("HAVEN_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("HAVEN_SECRET_KEY must be set when HAVEN_DEBUG is off")
    SECRET_KEY = "development-only-insecure-key-" + "x" * 40

# Schools answer at <subdomain>.<base>; the public (operator) site at <base>.
BASE_DOMAIN = os.environ.get("HAVEN_BASE_DOMAIN", "localhost").lower().strip(".")
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}"]
# Tenant resolution must use the Host the client connected with: a forwarded host header
# from the outside would let anyone choose a school.
USE_X_FORWARDED_HOST = False
SITE_SCHEME = "http" if DEBUG else "https"
SITE_PORT = os.environ.get("HAVEN_SITE_PORT", "8000" if DEBUG else "")

# Start embedded PostgreSQL / Redis / SeaweedFS for whatever the environment does not name.
embedded.ensure_services()

# --- Applications -----------------------------------------------------------------------------

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.contenttypes",
    # Before staticfiles: runserver then leaves /static/ to WhiteNoise, as in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.messages",
    # Sessions also live in public so a stray cookie on the public host finds its table.
    "django.contrib.sessions",
    "graphql_api",
]
TENANT_APPS = [
    "django.contrib.auth",
    "django.contrib.sessions",
    "safeguarding",
    "notifications",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.School"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_tenant"
SHOW_PUBLIC_IF_NO_TENANT_FOUND = False
HAVEN_TENANT_CACHE_SECONDS = _env_int("HAVEN_TENANT_CACHE_SECONDS", 5)
AUTH_USER_MODEL = "safeguarding.Staff"

MIDDLEWARE = [
    # Must run first: every later step reads the school's schema.
    "tenants.middleware.SchoolTenantMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files and the web app's build, before sessions and the database are touched.
    "tenants.frontend.AppAssetsMiddleware",
    "tenants.middleware.SchoolStatusMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "platform" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# --- Database ---------------------------------------------------------------------------------

_database: dict[str, Any] = dict(
    dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True)
)
_database["ENGINE"] = "django_tenants.postgresql_backend"
if os.environ.get("HAVEN_DATABASE_NAME"):
    # Lets a helper process (e.g. a Celery worker under test) use another database on the
    # same server without rebuilding a URL whose host may be a socket directory.
    _database["NAME"] = os.environ["HAVEN_DATABASE_NAME"]
_database["TEST"] = {"NAME": os.environ.get("HAVEN_TEST_DATABASE_NAME", "test_haven")}
DATABASES = {"default": _database}
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery ----------------------------------------------------------------------------

REDIS_URL = os.environ["REDIS_URL"]
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        # Keys carry the schema so one school never reads another's cache entries.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    }
}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
# A task is acknowledged only when it finished, so a killed worker's task is redelivered.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Must exceed the longest countdown or retry delay, or Redis redelivers a waiting task.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": _env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
}
CELERY_TASK_TENANT_CACHE_SECONDS = 30
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Storage (S3) -----------------------------------------------------------------------------

AWS_S3_ENDPOINT_URL = os.environ["S3_ENDPOINT_URL"]
AWS_STORAGE_BUCKET_NAME = os.environ.get("S3_BUCKET", embedded.DEFAULT_BUCKET)
AWS_ACCESS_KEY_ID = os.environ.get("S3_ACCESS_KEY_ID", "haven")
AWS_SECRET_ACCESS_KEY = os.environ.get("S3_SECRET_ACCESS_KEY", "haven")
AWS_S3_REGION_NAME = os.environ.get("S3_REGION", "us-east-1")
AWS_DEFAULT_ACL = None
AWS_QUERYSTRING_AUTH = True
AWS_QUERYSTRING_EXPIRE = 60
AWS_S3_FILE_OVERWRITE = False
AWS_S3_ADDRESSING_STYLE = "path"
STORAGES = {
    "default": {"BACKEND": "tenants.storage.SchoolStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".haven" / "static"

# --- Security ---------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS: list[dict[str, Any]] = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Cookies are host-only (no SESSION_COOKIE_DOMAIN): a session from one school is unknown at
# every other host.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# The __Host- prefix makes browsers refuse the cookie unless it is secure, path=/ and host-only.
SESSION_COOKIE_NAME = "sessionid" if DEBUG else "__Host-sessionid"
CSRF_COOKIE_NAME = "csrftoken" if DEBUG else "__Host-csrftoken"
SESSION_COOKIE_AGE = _env_int("HAVEN_SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SECURE_SSL_REDIRECT = _env_bool("HAVEN_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if _env_bool("HAVEN_BEHIND_PROXY"):
    # Only the scheme is taken from the proxy; the Host is never taken from a header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# --- GraphQL ----------------------------------------------------------------------------------

GRAPHQL_MAX_DEPTH = _env_int("HAVEN_GRAPHQL_MAX_DEPTH", 10)
GRAPHQL_MAX_ALIASES = _env_int("HAVEN_GRAPHQL_MAX_ALIASES", 15)
GRAPHQL_MAX_TOKENS = _env_int("HAVEN_GRAPHQL_MAX_TOKENS", 2000)
STRAWBERRY_DJANGO = {
    "FIELD_DESCRIPTION_FROM_HELP_TEXT": True,
    "TYPE_DESCRIPTION_FROM_MODEL_DOCSTRING": True,
    "MUTATIONS_DEFAULT_HANDLE_ERRORS": True,
}

# --- E-mail -----------------------------------------------------------------------------------

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("SMTP_HOST", "127.0.0.1"),
            "port": _env_int("SMTP_PORT", 1025 if DEBUG else 587),
            "username": os.environ.get("SMTP_USER") or None,
            "password": os.environ.get("SMTP_PASSWORD") or None,
            "use_tls": _env_bool("SMTP_STARTTLS", not DEBUG),
            "use_ssl": _env_bool("SMTP_SSL", False),
            "timeout": _env_int("SMTP_TIMEOUT", 20),
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("HAVEN_FROM_EMAIL", f"Haven <no-reply@{BASE_DOMAIN}>")

# --- Locale -----------------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Observability ----------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HAVEN_LOG_LEVEL", "INFO")},
    "loggers": {"pgserver": {"level": "WARNING"}},
}

SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        # Safeguarding records must never leave the platform inside an error report.
        send_default_pii=False,
        max_request_body_size="never",
    )

# --- Web app ----------------------------------------------------------------------------------

# Vite's output (make frontend); served under /static/app/ (tenants/frontend.py).
HAVEN_FRONTEND_DIST = Path(os.environ.get("HAVEN_FRONTEND_DIST", BASE_DIR / "frontend" / "dist"))
# Blank Screen covers the page after this long without activity (the guide: fifteen minutes).
HAVEN_BLANK_SCREEN_IDLE_SECONDS = _env_int("HAVEN_BLANK_SCREEN_IDLE_SECONDS", 15 * 60)
# Links above the header; each is shown only when set.
HAVEN_USER_GUIDE_URL = os.environ.get("HAVEN_USER_GUIDE_URL", "")
HAVEN_SUPPORT_EMAIL = os.environ.get("HAVEN_SUPPORT_EMAIL", "")
HAVEN_FAQ_URL = os.environ.get("HAVEN_FAQ_URL", "")
