"""Partnerhub's one settings module: every deployment value comes from the environment.

Defaults suit a developer's machine (debug, SQLite, console e-mail). With DJANGO_DEBUG off the
secure defaults apply and the values a production site cannot guess must be set, or start-up
fails naming them.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable, refusing anything that is not clearly one or the other."""
    raw = env.str(name, default="")
    if raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = env.str(name, default="")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


DEBUG = env_bool("DJANGO_DEBUG", False)

_missing = [
    name
    for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS")
    if not DEBUG and not env.str(name, default="")
]
if _missing:
    raise ImproperlyConfigured(
        "With DJANGO_DEBUG off these settings must be set: " + ", ".join(_missing)
    )

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-local-development-key-only")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "django_filters",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "core",
    "audit",
    "notifications",
    "agencies",
    "sharing",
    "meetings",
    "reports",
    "home",
    "config",
]

MIDDLEWARE = [
    "core.observability.RequestIdMiddleware",
    "home.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.NoStoreWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.MfaRequiredMiddleware",
    "audit.middleware.RefusalAuditMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "home.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "core.forms.GovukFormRenderer"

# Databases. DATABASE_URL is the application's connection; DATABASE_OWNER_URL, used only by
# migrate, owns the tables so that the running application cannot switch off the triggers.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'partnerhub.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # BEGIN IMMEDIATE takes the write lock at the start of every transaction, so two processes
    # never interleave a consent check and a write, and a busy database waits instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The owner's credentials for migrate, createcachetable and create_app_role, which switch to
# them by themselves (audit/database_owner.py); unset, they use DATABASE_URL like everything else.
DATABASE_OWNER = env.db_url("DATABASE_OWNER_URL") if env.str("DATABASE_OWNER_URL", "") else {}
if DATABASE_OWNER and (DATABASE_OWNER["ENGINE"], DATABASE_OWNER["NAME"]) != (
    DATABASES["default"]["ENGINE"],
    DATABASES["default"]["NAME"],
):
    raise ImproperlyConfigured(
        "DATABASE_OWNER_URL must name the same database as DATABASE_URL, as its owner"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "agencies.User"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = env.list(
    "DJANGO_PASSWORD_HASHERS",
    default=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ],
)

# Sign-in (django-allauth). There is no public sign-up: people are invited.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "agencies.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
# A person's address is changed by an administrator only (agencies.adapters).
ACCOUNT_FORMS = {"add_email": "agencies.adapters.AddressAddedByAdministratorOnly"}
ACCOUNT_CHANGE_EMAIL = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
# Only invited people have accounts: a reset asked for any other address sends nothing, so
# the form cannot be used to mail strangers.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Five wrong passwords pause that account; an address is paused only after thirty, since a
# partner agency's whole office may reach the service from one address (and every account
# also needs its second factor, so a password guessed alone opens nothing).
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("ACCOUNT_LOGIN_FAILED_RATE", default="30/5m/ip,5/5m/key"),
    "login": "30/m/ip",
    "reset_password": "5/m/ip,3/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# A code is good for its 30-second step and one either side, as RFC 6238 advises for a clock a
# little out or a code typed as the step turns; under load a sign-in queued past its step was
# refused, and five refusals from one office's address then shut everyone there out for five
# minutes. Each code is still accepted only once.
MFA_TOTP_TOLERANCE = 1
MFA_TOTP_ISSUER = "Partnerhub"
MFA_RECOVERY_CODE_COUNT = 10
# MFA is required of everyone; only the local demo may turn that off (a system check warns).
PARTNERHUB_MFA_REQUIRED = env_bool("PARTNERHUB_MFA_REQUIRED", True)
INVITATION_VALID_DAYS = env_int("PARTNERHUB_INVITATION_VALID_DAYS", 7)

# Idle sessions end after SESSION_IDLE_MINUTES; the cookie dies with the browser.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Transport security: on unless debugging.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline script or style anywhere: everything comes from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = env.path("PARTNERHUB_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# `make run` sends the demo's mail to files (EMAIL_URL=filemail://), shown at /outbox/.
if not EMAIL_CONFIG.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = env.path("PARTNERHUB_OUTBOX_DIR", default=BASE_DIR / "outbox")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Partnerhub <partnerhub@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PARTNERHUB_SITE_URL = env.str("PARTNERHUB_SITE_URL", default="http://127.0.0.1:8000")
# The domain in every calendar UID; empty means the host of PARTNERHUB_SITE_URL. Never change
# it once invitations have gone out: calendars would see every meeting as a new one.
PARTNERHUB_CALENDAR_DOMAIN = env.str("PARTNERHUB_CALENDAR_DOMAIN", default="")

# Audit checkpoints: the chain head signed under a key the database never holds, kept in a
# directory outside it and e-mailed to compliance (audit_checkpoint, verify_audit). With debug
# off the commands refuse to run without the key.
AUDIT_CHECKPOINT_KEY = env.str("AUDIT_CHECKPOINT_KEY", default="")
AUDIT_CHECKPOINT_DIR = env.path("AUDIT_CHECKPOINT_DIR", default=BASE_DIR / "audit-checkpoints")
COMPLIANCE_EMAIL = env.str("COMPLIANCE_EMAIL", default="")
# Where `backup` writes its timestamped directories unless told --to; keep it off this host too.
PARTNERHUB_BACKUP_DIR = env.path("PARTNERHUB_BACKUP_DIR", default=BASE_DIR / "backups")

TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND",
            default=(
                "django_tasks.backends.immediate.ImmediateBackend"
                if DEBUG
                else "django_tasks_db.backend.DatabaseBackend"
            ),
        )
    }
}

GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None

# JSON lines with a request id by default; plain text, easier to read, when debugging.
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "core.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # A line for every task started and finished says nothing a failure would not.
    "loggers": {"django_tasks": {"level": "WARNING"}},
}

# The consent gate.
PARTNERHUB_EVIDENCE_MAX_BYTES = env_int("PARTNERHUB_EVIDENCE_MAX_MB", 10) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# "refuse" (default): no disclosure to an agency without a current information sharing
# agreement. "warn": allowed, and the page says so.
PARTNERHUB_AGREEMENT_CHECK = env.str("PARTNERHUB_AGREEMENT_CHECK", default="refuse")
if PARTNERHUB_AGREEMENT_CHECK not in {"refuse", "warn"}:
    raise ImproperlyConfigured(
        f"PARTNERHUB_AGREEMENT_CHECK must be refuse or warn, not {PARTNERHUB_AGREEMENT_CHECK!r}"
    )
# A secure link to a referral, for an agency without Partnerhub users, works this many days.
PARTNERHUB_SECURE_LINK_VALID_DAYS = env_int("PARTNERHUB_SECURE_LINK_DAYS", 14)
# How soon an agency should acknowledge a referral, by its urgency; past it the referral is
# overdue and the officer and the agency's single point of contact are reminded.
PARTNERHUB_REFERRAL_ACKNOWLEDGEMENT_HOURS = {
    "immediate": env_int("PARTNERHUB_ACKNOWLEDGE_IMMEDIATE_HOURS", 2),
    "urgent": env_int("PARTNERHUB_ACKNOWLEDGE_URGENT_HOURS", 24),
    "routine": env_int("PARTNERHUB_ACKNOWLEDGE_ROUTINE_HOURS", 72),
}
PARTNERHUB_CONSENT_DEFAULT_VALIDITY = timedelta(days=env_int("PARTNERHUB_CONSENT_DEFAULT_DAYS", 90))
# How many working days (England and Wales) the Authority aims to take over each kind of request.
PARTNERHUB_CONSENT_TARGET_WORKING_DAYS = {
    "urgent": env_int("PARTNERHUB_CONSENT_TARGET_URGENT_DAYS", 1),
    "standard": env_int("PARTNERHUB_CONSENT_TARGET_STANDARD_DAYS", 5),
}

# Circulated minutes take attendees' comments for this many days; the chair resolves each
# before approving.
PARTNERHUB_MINUTES_COMMENT_DAYS = env_int("PARTNERHUB_MINUTES_COMMENT_DAYS", 7)

# A MARAC's case list (case references only) goes to each attending agency this many working
# days (England and Wales) before the meeting, so members can research their records.
PARTNERHUB_MARAC_CASE_LIST_WORKING_DAYS = env_int("PARTNERHUB_MARAC_CASE_LIST_WORKING_DAYS", 5)
if PARTNERHUB_MARAC_CASE_LIST_WORKING_DAYS < 0:
    raise ImproperlyConfigured("PARTNERHUB_MARAC_CASE_LIST_WORKING_DAYS must be 0 or more")

# Reports. Seen outside the safeguarding team (the Authority), a count from 1 up to one below
# this is shown as "fewer than N", and enough other cells are withheld that it cannot be worked
# out from a total.
PARTNERHUB_SMALL_NUMBER_THRESHOLD = env_int("PARTNERHUB_SMALL_NUMBER_THRESHOLD", 5)
if PARTNERHUB_SMALL_NUMBER_THRESHOLD < 2:
    raise ImproperlyConfigured("PARTNERHUB_SMALL_NUMBER_THRESHOLD must be 2 or more")

# Retention (README "Retention and erasure"): how long what Partnerhub holds about a person is
# kept before `apply_retention` erases it. Audit events are kept: they hold identifiers only.
PARTNERHUB_RETAIN_RELEASED_CONTENT_YEARS = env_int("PARTNERHUB_RETAIN_RELEASED_CONTENT_YEARS", 6)
PARTNERHUB_RETAIN_CLOSED_CASE_YEARS = env_int("PARTNERHUB_RETAIN_CLOSED_CASE_YEARS", 6)
PARTNERHUB_RETAIN_CHILD_UNTIL_AGE = env_int("PARTNERHUB_RETAIN_CHILD_UNTIL_AGE", 25)
for _name, _value in (
    ("PARTNERHUB_RETAIN_RELEASED_CONTENT_YEARS", PARTNERHUB_RETAIN_RELEASED_CONTENT_YEARS),
    ("PARTNERHUB_RETAIN_CLOSED_CASE_YEARS", PARTNERHUB_RETAIN_CLOSED_CASE_YEARS),
    ("PARTNERHUB_RETAIN_CHILD_UNTIL_AGE", PARTNERHUB_RETAIN_CHILD_UNTIL_AGE),
):
    if _value < 1:
        raise ImproperlyConfigured(f"{_name} must be 1 or more")

# /metrics answers only a Prometheus scraper presenting this as a bearer token; unset, the page
# does not exist. Under gunicorn, PROMETHEUS_MULTIPROC_DIR (an empty directory each start) lets
# every worker's request counts be added up (home/metrics.py).
PARTNERHUB_METRICS_TOKEN = env.str("PARTNERHUB_METRICS_TOKEN", default="")
