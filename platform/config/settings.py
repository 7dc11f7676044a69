"""Haven settings: one module, everything that differs between deployments comes from the
environment (12-factor). Defaults are safe for production; development is asked for with
``HAVEN_DEBUG=1`` (``make run`` does).

See the configuration table in README.md for every variable.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config import embedded, observability
from tenants.network import trusted_networks


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
    # The operators' commands (create_school, import_schools): provisioning sits above the
    # school's domain, which supplies the new school's defaults.
    "operators",
    "django.contrib.contenttypes",
    # Before staticfiles: runserver then leaves /static/ to WhiteNoise, as in production.
    "whitenoise.runserver_nostatic",
    # Trigram and GIN indexes (the pupil typeahead); no models of its own.
    "django.contrib.postgres",
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
    # Second factors, and lockout records, belong to the school like the accounts they guard.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.School"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_tenant"
SHOW_PUBLIC_IF_NO_TENANT_FOUND = False
HAVEN_TENANT_CACHE_SECONDS = _env_int("HAVEN_TENANT_CACHE_SECONDS", 5)
# Proxies (the ingress controller's pod range) whose X-Forwarded-For names the client:
# comma-separated addresses or CIDRs. Empty (the default): the header is ignored and the
# connection's peer is the client. Lockouts, rate limits and the audit log all key on the
# address this gives (tenants/network.py).
try:
    HAVEN_TRUSTED_PROXIES = tuple(
        str(network)
        for network in trusted_networks(os.environ.get("HAVEN_TRUSTED_PROXIES", "").split(","))
    )
except ValueError as error:
    raise ImproperlyConfigured(
        f"HAVEN_TRUSTED_PROXIES must be comma-separated addresses or CIDR ranges: {error}"
    ) from error
# Operator sign-in attempts per address and e-mail (django-ratelimit rate).
HAVEN_OPERATOR_SIGN_IN_RATE = os.environ.get("HAVEN_OPERATOR_SIGN_IN_RATE", "5/15m")
# An operator session ends after this long without a request, and this long after sign-in.
HAVEN_OPERATOR_IDLE_MINUTES = _env_int("HAVEN_OPERATOR_IDLE_MINUTES", 15)
HAVEN_OPERATOR_ABSOLUTE_MINUTES = _env_int("HAVEN_OPERATOR_ABSOLUTE_MINUTES", 8 * 60)
AUTH_USER_MODEL = "safeguarding.Staff"
# Parallel processes for `migrate_schemas --executor=multiprocessing` (the release job).
TENANT_MULTIPROCESSING_MAX_PROCESSES = _env_int("TENANT_MULTIPROCESSING_MAX_PROCESSES", 2)

MIDDLEWARE = [
    # Probes are answered on any host, before the school lookup, even with the database down.
    "tenants.health.HealthProbeMiddleware",
    # Next, so the latency and the request id cover every other response, a 404 included.
    "tenants.metrics.RequestMetricsMiddleware",
    "config.observability.RequestIdMiddleware",
    # Every page gets the CSP below, including the answers of the steps after it (the
    # unknown-host 404, the suspended school's page).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Must run before the rest: every later step reads the school's schema.
    "tenants.middleware.SchoolTenantMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files and the web app's build, before sessions and the database are touched.
    "tenants.frontend.AppAssetsMiddleware",
    "tenants.middleware.SchoolStatusMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Idle and absolute session limits, ended sessions; needs the user and OTP state above.
    "safeguarding.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout outside GraphQL into a 429.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "platform" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # The CSP nonce, for the console's one inline style sheet.
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.help_pages.site_footer",
            ]
        },
    }
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# --- Database ---------------------------------------------------------------------------------

_database: dict[str, Any] = dict(
    dj_database_url.parse(
        os.environ["DATABASE_URL"],
        # 0 behind PgBouncer in session mode: the server connection goes back to the pool
        # at the end of each request instead of staying pinned to an idle worker.
        conn_max_age=_env_int("HAVEN_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
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

# OWASP ASVS 5 (6.2.x): length only (12 to 128), no composition rules, no rotation, and no
# password that is common or appears in a breach corpus (both lists ship offline in packages).
AUTH_PASSWORD_VALIDATORS: list[dict[str, Any]] = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {
        "NAME": "safeguarding.password_validation.MaximumLengthValidator",
        "OPTIONS": {"max_length": 128},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "safeguarding.password_validation.BreachedPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account and address never reach the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout per account and address: 5 failures within 15 minutes lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = _env_int("HAVEN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("HAVEN_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# authenticate() is called with username=<e-mail>; axes would otherwise key on USERNAME_FIELD.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "safeguarding.services.authentication.axes_username"
# The same address the audit log records (see tenants/network.py), so a lockout is per account
# *and* client: one address's failures never lock the account for anyone else.
AXES_CLIENT_IP_CALLABLE = "tenants.network.client_address"
AXES_LOCKOUT_CALLABLE = "safeguarding.services.authentication.axes_lockout_response"
AXES_RESET_ON_SUCCESS = True
# Sign-ins are recorded once, in the school's audit log; axes keeps only its failure counts.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# A reset link is single-use (it signs the password hash) and short-lived.
PASSWORD_RESET_TIMEOUT = _env_int("HAVEN_PASSWORD_RESET_SECONDS", 3600)
# Set-password e-mails asked for per e-mail address, and per client address (django-ratelimit
# rates); beyond them the answer is the same but no e-mail is sent.
HAVEN_PASSWORD_RESET_RATE = os.environ.get("HAVEN_PASSWORD_RESET_RATE", "3/15m")
HAVEN_PASSWORD_RESET_ADDRESS_RATE = os.environ.get("HAVEN_PASSWORD_RESET_ADDRESS_RATE", "20/h")
# Sessions end after this much inactivity unless the school's settings say otherwise...
HAVEN_SESSION_IDLE_MINUTES = _env_int("HAVEN_SESSION_IDLE_MINUTES", 30)
# ...and always this long after sign-in, however active.
HAVEN_SESSION_ABSOLUTE_SECONDS = _env_int("HAVEN_SESSION_ABSOLUTE_SECONDS", 12 * 3600)
# Changing e-mail, password or second factors needs the password entered this recently.
HAVEN_REAUTHENTICATION_SECONDS = _env_int("HAVEN_REAUTHENTICATION_SECONDS", 5 * 60)
OTP_TOTP_ISSUER = "Haven"

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
SESSION_COOKIE_AGE = HAVEN_SESSION_ABSOLUTE_SECONDS
# Messages (the operator console's notices) ride in the session, not in a cookie of their
# own: the session and CSRF cookies are the only ones Haven sets, as its cookie policy says.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
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
# One strict Content Security Policy for every response (Django's own CSP middleware): all a
# page runs or loads comes from its own host, no CDN, no inline script. An inline style sheet
# is allowed only with this response's nonce (added only where a template asks for one).
SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- GraphQL ----------------------------------------------------------------------------------

GRAPHQL_MAX_DEPTH = _env_int("HAVEN_GRAPHQL_MAX_DEPTH", 10)
GRAPHQL_MAX_ALIASES = _env_int("HAVEN_GRAPHQL_MAX_ALIASES", 15)
GRAPHQL_MAX_TOKENS = _env_int("HAVEN_GRAPHQL_MAX_TOKENS", 2000)
# Requests per API token: "<count>/<period>", period s, m, h or d, optionally with a multiple
# ("600/m", "20/10s"). Counted in Redis across every web process.
HAVEN_API_RATE_LIMIT = os.environ.get("HAVEN_API_RATE_LIMIT", "600/m")
STRAWBERRY_DJANGO = {
    "FIELD_DESCRIPTION_FROM_HELP_TEXT": True,
    "TYPE_DESCRIPTION_FROM_MODEL_DOCSTRING": True,
    "MUTATIONS_DEFAULT_HANDLE_ERRORS": True,
}

# Attachments: the largest file accepted, and so the largest GraphQL request (plus room for
# the other fields of a multipart request).
ATTACHMENT_MAX_BYTES = _env_int("HAVEN_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
GRAPHQL_MAX_REQUEST_BYTES = ATTACHMENT_MAX_BYTES + 1024 * 1024

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

# The e-mail outbox (README.md, "E-mail: alerts that are never lost"). Workers send a batch of
# rows per task; the beat sweeper re-enqueues rows still unsent this long after they were due.
HAVEN_EMAIL_BATCH_SIZE = _env_int("HAVEN_EMAIL_BATCH_SIZE", 50)
HAVEN_EMAIL_SWEEP_AFTER_SECONDS = _env_int("HAVEN_EMAIL_SWEEP_AFTER_SECONDS", 180)
HAVEN_EMAIL_SWEEP_EVERY_SECONDS = _env_int("HAVEN_EMAIL_SWEEP_EVERY_SECONDS", 60)
HAVEN_EMAIL_RETRY_BACKOFF_SECONDS = _env_int("HAVEN_EMAIL_RETRY_BACKOFF_SECONDS", 5)
HAVEN_EMAIL_RETRY_BACKOFF_MAX_SECONDS = _env_int("HAVEN_EMAIL_RETRY_BACKOFF_MAX_SECONDS", 600)
HAVEN_EMAIL_MAX_ATTEMPTS = _env_int("HAVEN_EMAIL_MAX_ATTEMPTS", 100)
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= HAVEN_EMAIL_RETRY_BACKOFF_MAX_SECONDS:
    # A retry waiting longer than the visibility timeout would be handed out twice by Redis.
    raise ImproperlyConfigured(
        "HAVEN_EMAIL_RETRY_BACKOFF_MAX_SECONDS must be below CELERY_VISIBILITY_TIMEOUT"
    )
CELERY_BEAT_SCHEDULE["safeguarding.attachments_unclaimed_sweep"] = {
    # Uploads never attached to an incident, action or library document (abandoned forms).
    "task": "safeguarding.attachments_unclaimed_sweep",
    "schedule": 3600.0,
}
CELERY_BEAT_SCHEDULE["notifications.email_deliveries_sweep"] = {
    "task": "notifications.email_deliveries_sweep",
    "schedule": float(HAVEN_EMAIL_SWEEP_EVERY_SECONDS),
}

# --- Locale -----------------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Observability ----------------------------------------------------------------------------

LOGGING = observability.logging_config(
    level=os.environ.get("HAVEN_LOG_LEVEL", "INFO"),
    json_format=os.environ.get("HAVEN_LOG_FORMAT", "plain") == "json",
)

SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    observability.sentry_init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Outbox tables whose unsent rows are reported as ``haven_outbox_backlog`` (see tenants.metrics):
# model label -> lookup selecting the rows still waiting.
METRICS_OUTBOX_BACKLOG: dict[str, dict[str, Any]] = {
    "notifications.EmailDelivery": {"status": "pending"},
}
# Celery queues whose depth is reported as ``haven_celery_queue_depth``.
METRICS_CELERY_QUEUES = os.environ.get("HAVEN_METRICS_CELERY_QUEUES", "celery").split(",")

# --- Web app ----------------------------------------------------------------------------------

# Vite's output (make frontend); served under /static/app/ (tenants/frontend.py).
HAVEN_FRONTEND_DIST = Path(os.environ.get("HAVEN_FRONTEND_DIST", BASE_DIR / "frontend" / "dist"))
# Blank Screen covers the page after this long without activity (the guide: fifteen minutes).
HAVEN_BLANK_SCREEN_IDLE_SECONDS = _env_int("HAVEN_BLANK_SCREEN_IDLE_SECONDS", 15 * 60)
# Links above the web app's header: Haven serves its own user guide and FAQ
# (tenants/help_pages.py)
# and support goes to the platform's support address unless the deployment names others.
HAVEN_USER_GUIDE_URL = os.environ.get("HAVEN_USER_GUIDE_URL", "") or "/help/guide"
HAVEN_SUPPORT_EMAIL = os.environ.get("HAVEN_SUPPORT_EMAIL", "") or f"support@{BASE_DOMAIN}"
HAVEN_FAQ_URL = os.environ.get("HAVEN_FAQ_URL", "") or "/help/faq"
# Operators' own wording (an HTML fragment file) for the cookie policy and privacy notice.
HAVEN_COOKIE_POLICY_FILE = os.environ.get("HAVEN_COOKIE_POLICY_FILE", "")
HAVEN_PRIVACY_NOTICE_FILE = os.environ.get("HAVEN_PRIVACY_NOTICE_FILE", "")
