"""Django settings, driven by the environment.

The defaults run on a fresh machine with only Python: SQLite in ``var/`` and Celery in eager
mode. Production sets ``DATABASE_URL`` (PostgreSQL), ``REDIS_URL``, ``SECRET_KEY``,
``ALLOWED_HOSTS`` and the e-mail variables; see ``docs/production.md``.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import secrets
import sys
from pathlib import Path

import django_stubs_ext
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    LOCAL_MEDIA_STORAGE,
    Database,
    env_bool,
    env_int,
    env_list,
    env_month_day,
    env_str,
    parse_audit_keys,
    parse_database_url,
    s3_media_storage,
)

# ``ModelAdmin[Unit]``, ``QuerySet[Unit]``…: the generic forms django-stubs checks, at run time too.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)


def _development_secret_key() -> str:
    """A random key kept in ``var/`` so that a laptop's sessions survive restarts.

    Only used when DEBUG is on; production must set SECRET_KEY.
    """
    key_file = VAR_DIR / "dev_secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    return key


#: Keys that are published (in .env.production.example or Django's templates): never valid.
_PUBLISHED_KEY_MARKS = ("change-me", "django-insecure")

SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _development_secret_key()
elif not DEBUG and (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or any(mark in SECRET_KEY for mark in _PUBLISHED_KEY_MARKS)
):
    # The key signs sessions and the agencies' acknowledgement links: a guessable one forges them.
    raise ImproperlyConfigured(
        "SECRET_KEY must be 50+ random characters and not the example value (docs/production.md)."
    )


def _development_audit_key() -> str:
    """Like the dev secret: a random audit-chain key kept in ``var/`` (DEBUG only)."""
    key_file = VAR_DIR / "dev_audit_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    value = "dev:" + base64.b64encode(secrets.token_bytes(32)).decode()
    key_file.write_text(value)
    return value


# The audit log's HMAC keys (docs/record.md): never in the database, current key first.
_AUDIT_KEYS_RAW = env_str("AUDIT_KEYS", "")
if not _AUDIT_KEYS_RAW:
    if not DEBUG:
        raise ImproperlyConfigured("AUDIT_KEYS must be set when DEBUG is off.")
    _AUDIT_KEYS_RAW = _development_audit_key()
AUDIT_KEYS = parse_audit_keys(_AUDIT_KEYS_RAW)
# Signed checkpoints of the chain, outside the database: an append-only directory (or a bucket:
# AUDIT_CHECKPOINT_S3_BUCKET below).
AUDIT_CHECKPOINT_DIR = Path(env_str("AUDIT_CHECKPOINT_DIR", str(VAR_DIR / "audit-checkpoints")))
# Where the day's final checkpoint is e-mailed (the auditors' mailbox); empty: not sent.
AUDIT_CHECKPOINT_EMAIL = env_str("AUDIT_CHECKPOINT_EMAIL", "")
# At most one "access denied" audit event per user and path in this many seconds.
AUDIT_DENIAL_INTERVAL_SECONDS = env_int("AUDIT_DENIAL_INTERVAL_SECONDS", 60)
# …and at most this many per user in that interval (a scanner walking ids), then one more saying so.
AUDIT_DENIAL_MAX_PER_USER = env_int("AUDIT_DENIAL_MAX_PER_USER", 30)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# A form posted with a stale token: our page (or JSON under /api/) in the person's language.
CSRF_FAILURE_VIEW = "config.auth.csrf_failure"

INSTALLED_APPS = [
    # django.contrib.admin, its changes written to the audit log (approvals/admin_site.py).
    "approvals.admin_config.AuditedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "csp",
    "health_check",
    "viewflow",
    "viewflow.workflow",
    "org",
    "delegations",
    "approvals",
    "workflow",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.security.ControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Vietnamese unless the visitor pressed the language switch (Accept-Language is ignored).
    "approvals.language.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.security.PrivatePagesMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "approvals.middleware.RequestOriginMiddleware",
    # Inside the origin middleware, so the events carry the IP and request id.
    "approvals.record.denials.DenialAuditMiddleware",
    # A lock wait that ran out (DATABASE_LOCK_TIMEOUT_MS) is a 409, not a 500.
    "config.api.LockWaitMiddleware",
    # Answers a locked-out log-in (config.auth.lockout_response); last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "approvals.context_processors.shell",
            ],
        },
    },
]

_DATABASE_URL = env_str("DATABASE_URL", "")
DATABASE = (
    parse_database_url(_DATABASE_URL, BASE_DIR)
    if _DATABASE_URL
    else Database(engine="django.db.backends.sqlite3", name=str(VAR_DIR / "db.sqlite3"))
)
# Two roles on PostgreSQL (docs/production.md): ``migrate`` runs as the owner of the tables
# (DATABASE_MIGRATE_URL); everything else as the application role, which may only INSERT and
# SELECT on the audit log and owns nothing, so it cannot alter or disable its triggers.
_DATABASE_MIGRATE_URL = env_str("DATABASE_MIGRATE_URL", "")
# DATABASE_SET_ROLE: the connections of DATABASE_URL log in as one role and work as another
# (``SET ROLE``). The PostgreSQL test pass (``make test-services``) logs in as the owner, which
# creates and migrates the test database, and works as the application role; production logs
# in as the application role itself and leaves this unset.
_DATABASE_SET_ROLE = env_str("DATABASE_SET_ROLE", "")
if _DATABASE_SET_ROLE:
    DATABASE = DATABASE.working_as(_DATABASE_SET_ROLE)
#: How long a statement waits for a row lock before it gives up (PostgreSQL's lock_timeout),
#: on the application's connections: a request held up by a transaction that does not end
#: answers 409 ("being handled, try again", config.errors.lock_not_available) instead of
#: holding its worker until gunicorn kills it. 0: no limit. ``migrate`` run with
#: DATABASE_MIGRATE_URL (production) waits as long as needed; without it, it has the limit too.
DATABASE_LOCK_TIMEOUT_MS = env_int("DATABASE_LOCK_TIMEOUT_MS", 10000)
DATABASE = DATABASE.waiting_at_most(DATABASE_LOCK_TIMEOUT_MS)
if _DATABASE_MIGRATE_URL and sys.argv[1:2] == ["migrate"]:
    DATABASE = parse_database_url(_DATABASE_MIGRATE_URL, BASE_DIR)
DATABASES = {"default": DATABASE.as_django()}
# A read replica for lists, exports and reports (config/db/replica.py, docs/production.md):
# a streaming replica of the primary; its lag shows only in those pages, never in a decision.
_DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if _DATABASE_REPLICA_URL:
    _replica = parse_database_url(_DATABASE_REPLICA_URL, BASE_DIR)
    if _DATABASE_SET_ROLE:
        _replica = _replica.working_as(_DATABASE_SET_ROLE)
    _replica = _replica.waiting_at_most(DATABASE_LOCK_TIMEOUT_MS)
    # A standby that does not answer is given up after a few seconds (config.db.replica), not
    # after the operating system's TCP timeout; ?connect_timeout= in the URL overrides it.
    _replica = dataclasses.replace(
        _replica, options={"connect_timeout": "3", **(_replica.options or {})}
    )
    # Under tests the replica is the test database itself, seen through a second connection.
    DATABASES["replica"] = {**_replica.as_django(), "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["config.db.replica.ReplicaRouter"]
#: Whether replica_reads() blocks read the replica when one is configured.
DATABASE_REPLICA_READS = env_bool("DATABASE_REPLICA_READS", True)
#: A replica further behind the primary than this reads nothing until it catches up: the lists,
#: exports and reports read the primary meanwhile (an export never misses minutes of the record).
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 30)
#: The measure of that lag is cut off after this long: a standby that hangs is left alone.
REPLICA_LAG_TIMEOUT_MS = env_int("REPLICA_LAG_TIMEOUT_MS", 2000)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Guardian's anonymous user is not used: anonymous visitors see nothing but the log-in page.
ANONYMOUS_USER_NAME = None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Log-in protection (django-axes): this many wrong passwords lock the account and, apart, the
# address, on the form, the admin and the API token endpoint, for the cool-off time.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 30)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "config.auth.lockout_response"
# Behind the reverse proxy the client's address is in X-Forwarded-For (docs/production.md).
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
# API tokens expire (401 after) and are revoked at log-out (config.auth).
API_TOKEN_HOURS = env_int("API_TOKEN_HOURS", 12)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# The second and third hold Vietnamese for phrases Django's admin and Django REST framework's
# catalogues lack ("This field is required."); makemessages writes to the first only, so it
# never drops them.
LOCALE_PATHS = [
    BASE_DIR / "locale",
    BASE_DIR / "locale" / "django_admin",
    BASE_DIR / "locale" / "rest_framework",
]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
#: dd/mm/yyyy and grouped thousands (config/formats/); numbers are only grouped where a template
#: asks for it (floatformat's "g"), never in ids or URLs.
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Files (attachments, documents and their signed PDFs, report templates): MEDIA_ROOT on this
# host, or with MEDIA_S3_BUCKET an S3-compatible bucket every host shares (docs/production.md,
# "Files"; pip install '.[s3]').
_MEDIA_S3_BUCKET = env_str("MEDIA_S3_BUCKET", "")
STORAGES = {
    "default": (
        s3_media_storage(
            _MEDIA_S3_BUCKET,
            endpoint_url=env_str("MEDIA_S3_ENDPOINT_URL", ""),
            region=env_str("MEDIA_S3_REGION", ""),
            access_key=env_str("MEDIA_S3_ACCESS_KEY_ID", ""),
            secret_key=env_str("MEDIA_S3_SECRET_ACCESS_KEY", ""),
            prefix=env_str("MEDIA_S3_PREFIX", ""),
        )
        if _MEDIA_S3_BUCKET
        else LOCAL_MEDIA_STORAGE
    ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The audit checkpoints in a bucket of their own (one object each; with Object Lock, none can be
# deleted or overwritten) instead of AUDIT_CHECKPOINT_DIR: docs/production.md, "The audit key
# and the checkpoints". The store's address and keys default to the files' bucket's.
_AUDIT_CHECKPOINT_S3_BUCKET = env_str("AUDIT_CHECKPOINT_S3_BUCKET", "")
if _AUDIT_CHECKPOINT_S3_BUCKET:
    STORAGES["audit_checkpoints"] = s3_media_storage(
        _AUDIT_CHECKPOINT_S3_BUCKET,
        endpoint_url=env_str(
            "AUDIT_CHECKPOINT_S3_ENDPOINT_URL", env_str("MEDIA_S3_ENDPOINT_URL", "")
        ),
        region=env_str("AUDIT_CHECKPOINT_S3_REGION", env_str("MEDIA_S3_REGION", "")),
        access_key=env_str(
            "AUDIT_CHECKPOINT_S3_ACCESS_KEY_ID", env_str("MEDIA_S3_ACCESS_KEY_ID", "")
        ),
        secret_key=env_str(
            "AUDIT_CHECKPOINT_S3_SECRET_ACCESS_KEY", env_str("MEDIA_S3_SECRET_ACCESS_KEY", "")
        ),
        prefix=env_str("AUDIT_CHECKPOINT_S3_PREFIX", "audit-checkpoints"),
    )
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Redis: broker and cache in production. Without REDIS_URL, Celery runs tasks eagerly in the
# web process and the cache is per-process memory.
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# Without a worker, documents render in a thread after the commit rather than in the approver's
# request (approvals/documents/services.py, docs/production.md).
DOCUMENT_RENDER_IN_THREAD = env_bool("DOCUMENT_RENDER_IN_THREAD", CELERY_TASK_ALWAYS_EAGER)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # acks_late: a task whose worker died is delivered again after this many seconds. The
    # sweepers (outbox, renders) redo stuck work sooner; this is the broker's own safety net.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    # Publishing after commit tries the broker twice, 0.2 s apart (kombu's default retries for
    # about 6 s): with Redis down an approval answers at once and its work waits for a sweeper.
    "max_retries": env_int("CELERY_PUBLISH_MAX_RETRIES", 1),
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    # A worker reading several queues takes from each in turn: with "priority" a backlog of mail
    # (after an outage) starved the renders and the heartbeat, so the worker looked dead and
    # agency mail waiting for its documents never went. Mail comes first where it has a worker
    # of its own (docs/production.md → Processes).
    "queue_order_strategy": "round_robin",
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "sync-unit-permissions-daily": {
        "task": "approvals.tasks.sync_all_unit_permissions",
        "schedule": crontab(hour=0, minute=5),
    },
    "advance-trips-by-dates-daily": {
        "task": "delegations.tasks.advance_trips_by_dates",
        "schedule": crontab(hour=0, minute=15),
    },
    "advance-visits-by-dates-daily": {
        "task": "delegations.tasks.advance_visits_by_dates",
        "schedule": crontab(hour=0, minute=20),
    },
    # The outbox: rows left unsent (Redis down, worker killed) go out within a minute.
    "refresh-agreements": {
        "task": "delegations.tasks.refresh_agreements",
        "schedule": crontab(hour=0, minute=25),
    },
    "sweep-outbox": {"task": "approvals.tasks.sweep_outbox", "schedule": 60.0},
    # Documents: renders left undone (Redis down, worker killed, an error) are queued again.
    "sweep-renders": {"task": "approvals.documents.sweep_renders", "schedule": 60.0},
    "send-reminders-hourly": {
        "task": "approvals.tasks.send_reminders",
        "schedule": crontab(minute=10),
    },
    # A signed checkpoint of the audit chain outside the database (docs/record.md).
    "write-audit-checkpoint-hourly": {
        "task": "approvals.tasks.write_audit_checkpoint",
        "schedule": crontab(minute=0),
    },
    # Signs of life for readiness and the operations view (approvals/heartbeat.py).
    "heartbeat": {"task": "approvals.tasks.heartbeat", "schedule": 30.0},
    "escalate-agency-notices-daily": {
        "task": "approvals.tasks.escalate_agency_notices",
        "schedule": crontab(hour=7, minute=30),
    },
    # Files left by rolled-back uploads and renders (approvals/orphan_files.py).
    "sweep-orphan-files-daily": {
        "task": "approvals.tasks.sweep_orphan_files",
        "schedule": crontab(hour=3, minute=40),
    },
}

if REDIS_URL:
    CACHES = {
        # Django's Redis cache, but a lost Redis is "nothing cached", never a 500 (config/cache.py)
        "default": {"BACKEND": "config.cache.TolerantRedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# On a laptop (DEBUG) every e-mail is written as one file in var/mail/ (EMAIL_FILE_PATH):
# open them with any text editor or mail reader; nothing leaves the machine.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = Path(env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail")))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "doanravao@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where ``make demo`` / ``make run`` serve (the Makefile passes its HOST and PORT).
DEMO_HOST = env_str("HOST", "127.0.0.1")
DEMO_PORT = env_int("PORT", 8000)
# The public address of the site, for links in e-mails (acknowledgement links, tasks);
# on a laptop, the address the demo serves on.
SITE_URL = env_str("SITE_URL", f"http://{DEMO_HOST}:{DEMO_PORT}")
# The outbox (docs/notifications.md): tries per message, backoff base, when a claim is stale.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 6)
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 60)
OUTBOX_CLAIM_TIMEOUT_SECONDS = env_int("OUTBOX_CLAIM_TIMEOUT_SECONDS", 120)
# A row the sweeper queued is not queued again for this long while it waits in the queue (a
# backlog after an outage must not grow with every sweep); a lost task waits at most this.
OUTBOX_DISPATCH_LEASE_SECONDS = env_int("OUTBOX_DISPATCH_LEASE_SECONDS", 300)
OUTBOX_SWEEP_GRACE_SECONDS = env_int("OUTBOX_SWEEP_GRACE_SECONDS", 30)
# An agency e-mail whose documents are not rendered or signed yet is looked at again after this.
OUTBOX_WAIT_SECONDS = env_int("OUTBOX_WAIT_SECONDS", 10)
AGENCY_ACK_MAX_AGE_DAYS = env_int("AGENCY_ACK_MAX_AGE_DAYS", 30)
# Files no row names (an upload whose transaction rolled back): set aside once older than the
# grace period, deleted once set aside for the retention (approvals/orphan_files.py).
ORPHAN_FILE_GRACE_HOURS = env_int("ORPHAN_FILE_GRACE_HOURS", 24)
ORPHAN_FILE_RETENTION_DAYS = env_int("ORPHAN_FILE_RETENTION_DAYS", 30)
# One sweep at a time: a run holds the job for this long, renewed as it goes; one that dies
# blocks the next for at most this long.
ORPHAN_FILE_SWEEP_LEASE_MINUTES = env_int("ORPHAN_FILE_SWEEP_LEASE_MINUTES", 30)
# Dispatch of agency notifications (docs/notifications.md): released as soon as they are
# prepared (true), or held until the văn thư releases them from /cong-van-di/ (false).
AGENCY_DISPATCH_AUTO = env_bool("AGENCY_DISPATCH_AUTO", True)
# Digital signatures (docs/record.md "Chữ ký số"): the organisation's PKCS#12 (chữ ký số của cơ
# quan) and its password; the PEM files of the roots a leader's certificate must chain to.
DOCUMENT_SIGNING_P12 = env_str("DOCUMENT_SIGNING_P12", "")
DOCUMENT_SIGNING_P12_PASSWORD = env_str("DOCUMENT_SIGNING_P12_PASSWORD", "")
DOCUMENT_SIGNING_TRUST_ROOTS = env_list("DOCUMENT_SIGNING_TRUST_ROOTS", [])
# Document renders (approvals/documents/services.py): tries, backoff base, the worker's lease,
# how old a pending render is before the sweeper queues it again.
# Readiness fails when no worker ran the heartbeat, or beat did not send it, for this long.
HEARTBEAT_STALE_SECONDS = env_int("HEARTBEAT_STALE_SECONDS", 180)
DOCUMENT_RENDER_MAX_ATTEMPTS = env_int("DOCUMENT_RENDER_MAX_ATTEMPTS", 5)
DOCUMENT_RENDER_RETRY_BASE_SECONDS = env_int("DOCUMENT_RENDER_RETRY_BASE_SECONDS", 60)
DOCUMENT_RENDER_LEASE_SECONDS = env_int("DOCUMENT_RENDER_LEASE_SECONDS", 120)
DOCUMENT_RENDER_DISPATCH_LEASE_SECONDS = env_int("DOCUMENT_RENDER_DISPATCH_LEASE_SECONDS", 300)
DOCUMENT_RENDER_SWEEP_GRACE_SECONDS = env_int("DOCUMENT_RENDER_SWEEP_GRACE_SECONDS", 60)

REST_FRAMEWORK = {
    # Token first: DRF answers 401 (not 403) only when the first class sends WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.auth.ExpiringTokenAuthentication",
        "config.auth.CsrfCheckedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies are checked once for size, depth, shape and control characters (400/413).
    "DEFAULT_METADATA_CLASS": "config.parsers.DescriptionMetadata",
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "config.api.CursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Đoàn ra – Đoàn vào API",
    "DESCRIPTION": "Outbound and inbound delegations of a Department of Education and Training.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The browsable docs page is served from installed packages, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every country field shares one enum of ISO 3166-1 codes (config/countries.py).
    "ENUM_NAME_OVERRIDES": {"CountryCodeEnum": "config.countries.COUNTRY_CODES"},
}

# Units send the annual foreign-affairs report to the Sở by this day, "MM-DD" (Hải Phòng: 12-10).
ANNUAL_REPORT_DEADLINE = env_month_day("ANNUAL_REPORT_DEADLINE", "10-15")

# The annual report covers the year that begins on this day, "MM-DD": 10-16 gives 16/10 of the
# year before → 15/10 (the day units report); 01-01 gives the calendar year.
ANNUAL_REPORT_PERIOD_START = env_month_day("ANNUAL_REPORT_PERIOD_START", "10-16")

# Demo log-ins share one password; production never runs seed_demo.
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo12345")

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts and styles from the site only, no inline script.
# Inline style attributes are allowed for the report's bar widths; the API's Swagger page, which
# needs an inline script, is exempt (config/api_urls.py).
_SELF = "'self'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "object-src": ["'none'"],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
