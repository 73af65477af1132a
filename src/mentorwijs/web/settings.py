"""Django settings: one module, driven by environment variables, SQLite by default.

| variable | meaning |
|---|---|
| MENTORWIJS_DATABASE_URL | ``postgres://user:pass@host:port/name`` or ``sqlite:///path`` |
| MENTORWIJS_DATA_DIR | data folder (default ``$XDG_DATA_HOME/mentorwijs``) |
| MENTORWIJS_SECRET_KEY | secret key (required when MENTORWIJS_ENV=production) |
| MENTORWIJS_DEBUG | ``1`` for debug pages (never in production) |
| MENTORWIJS_ALLOWED_HOSTS | comma-separated host names |
| MENTORWIJS_ENV | ``production`` for the hardened settings |
| MENTORWIJS_IDENTITY_KEY | Fernet key(s) for identities, comma-separated, newest first |
| MENTORWIJS_IDENTITY_KEY_FILE | file with those keys (default ``DATA_DIR/identity.key``) |
| MENTORWIJS_STAFF_IDLE_MINUTES | a staff session ends after this long unused (default 30) |
| MENTORWIJS_LOGIN_FAILURE_LIMIT | failed logins before a lock-out (default 5) |
| MENTORWIJS_LOGIN_LOCKOUT_MINUTES | how long a lock-out lasts (default 15) |
| MENTORWIJS_PROXY_COUNT | reverse proxies in front of the site that add X-Forwarded-For (0) |
| MENTORWIJS_RETENTION_MONTHS | identities are erased this long after the study ends (12) |
| MENTORWIJS_STUDY_END | the date the study ends (ISO 8601), when no study metadata says so |
| MENTORWIJS_EMAIL_* , MENTORWIJS_SITE_URL | mail server and the site's address (docs/web.md) |
| MENTORWIJS_CONTACT | whom respondents contact (``{contact}`` in the consent texts) |

See ``docs/security.md`` for what each protects and how to deploy.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from exc


def data_dir() -> Path:
    """The folder for the SQLite database and other local data, created on demand."""
    explicit = os.environ.get("MENTORWIJS_DATA_DIR")
    if explicit:
        path = Path(explicit)
    else:
        xdg = os.environ.get("XDG_DATA_HOME")
        path = (Path(xdg) if xdg else Path.home() / ".local" / "share") / "mentorwijs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_from_url(url: str | None) -> dict[str, object]:
    """Django DATABASES entry for ``url``; the SQLite file in the data folder when empty."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(data_dir() / "mentorwijs.sqlite3"),
        }
    parts = urlparse(url)
    if parts.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parts.path) or ":memory:"}
    if parts.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "mentorwijs",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            # Parameters bound by the server, and a statement run five times on a connection
            # is prepared (planned once): the answering pages' few statements run on every
            # request, and this halves the database's work for them (docs/benchmarks.md).
            "OPTIONS": {"server_side_binding": True, "prepare_threshold": 5},
        }
    raise ImproperlyConfigured(
        f"MENTORWIJS_DATABASE_URL: unknown scheme {parts.scheme!r}; use postgres:// or sqlite://"
    )


BASE_DIR = Path(__file__).resolve().parent
PRODUCTION = os.environ.get("MENTORWIJS_ENV") == "production"
DEBUG = os.environ.get("MENTORWIJS_DEBUG") == "1" and not PRODUCTION
SECRET_KEY = os.environ.get("MENTORWIJS_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("MENTORWIJS_SECRET_KEY must be set in production")
    SECRET_KEY = "insecure-development-key-only-for-this-machine"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("MENTORWIJS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "auditlog",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "mentorwijs.web.accounts",
    "mentorwijs.web.privacy",
    "mentorwijs.web.study",
    "mentorwijs.web.registry",
    "mentorwijs.web.runs",
    "mentorwijs.web.survey",
    "mentorwijs.web.interviews",
    "mentorwijs.web.invitations",
]
MIDDLEWARE = [
    # First: a calm retry page when the database or the disk fails (docs/security.md).
    "mentorwijs.web.resilience.RetryPageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Respondents' pages (/v/…) go from here straight to their views: none of the staff
    # site's middleware below applies to people without an account.
    "mentorwijs.web.middleware.respondent_pages",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "mentorwijs.web.middleware.staff_session",
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # django-axes last: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]
ROOT_URLCONF = "mentorwijs.web.urls"
WSGI_APPLICATION = "mentorwijs.web.wsgi.application"
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
                "mentorwijs.web.registry.context.navigation",
            ]
        },
    }
]
DATABASES = {"default": database_from_url(os.environ.get("MENTORWIJS_DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = data_dir() / "static"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The audit trail (django-auditlog) records who, when and what; not the IP address, which
# would be personal data of the staff without a purpose in the study.
AUDITLOG_DISABLE_REMOTE_ADDR = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
# A request body (form fields, not files) larger than this is refused with 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Accounts: passwords, two-factor authentication, lock-out, staff sessions -------------
# Argon2id (argon2-cffi), the winner of the Password Hashing Competition and OWASP's first
# choice; PBKDF2 stays second so that older hashes still verify and are upgraded at login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
# django-axes first: it refuses a locked-out user before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The cache holds the survey's unknown-link counter (``survey.ratelimit``). In files under the
# data folder, so that every server process of the machine counts together; a site on several
# machines configures a shared cache instead (Django's database cache).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(data_dir() / "cache"),
    }
}
AXES_FAILURE_LIMIT = _int_env("MENTORWIJS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=_int_env("MENTORWIJS_LOGIN_LOCKOUT_MINUTES", 15))
# Lock a user name after repeated failures from anywhere (guessing one account), and an
# address after repeated failures for any user names (trying many accounts).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "mentorwijs.web.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "mentorwijs.web.middleware.client_ip"
AXES_VERBOSE = False
MENTORWIJS_PROXY_COUNT = _int_env("MENTORWIJS_PROXY_COUNT", 0)
OTP_TOTP_ISSUER = "Mentorwijs"
# A logged-in session ends after this many seconds without a request (middleware
# ``staff_session``); pages without a login, such as the respondents' under /v/, have none.
MENTORWIJS_STAFF_IDLE_SECONDS = 60 * _int_env("MENTORWIJS_STAFF_IDLE_MINUTES", 30)

# --- Content-Security-Policy (django-csp): everything from the site itself, nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Privacy: identities encrypted at rest, retention -------------------------------------
MENTORWIJS_IDENTITY_KEY_FILE = Path(
    os.environ.get("MENTORWIJS_IDENTITY_KEY_FILE") or data_dir() / "identity.key"
)
MENTORWIJS_RETENTION_MONTHS = _int_env("MENTORWIJS_RETENTION_MONTHS", 12)
MENTORWIJS_STUDY_END = os.environ.get("MENTORWIJS_STUDY_END", "")

# Mail: invitations and reminders go out through this SMTP server (docs/web.md). Without
# MENTORWIJS_EMAIL_HOST nothing leaves the machine: a local MTA on port 25 is assumed.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("MENTORWIJS_EMAIL_HOST", "localhost")
try:
    EMAIL_PORT = int(os.environ.get("MENTORWIJS_EMAIL_PORT", "25"))
except ValueError as exc:
    raise ImproperlyConfigured("MENTORWIJS_EMAIL_PORT must be a port number, e.g. 587") from exc
EMAIL_HOST_USER = os.environ.get("MENTORWIJS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("MENTORWIJS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("MENTORWIJS_EMAIL_USE_TLS", "0") == "1"
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("MENTORWIJS_EMAIL_FROM", "Mentorwijs <noreply@localhost>")
MENTORWIJS_SITE_URL = os.environ.get("MENTORWIJS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Whom respondents contact about the study (name, e-mail address, phone): the consent texts'
# ``{contact}``. Empty: "the research team (the address is in your invitation)".
MENTORWIJS_CONTACT = " ".join(os.environ.get("MENTORWIJS_CONTACT", "").split())

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if not os.environ.get("MENTORWIJS_ALLOWED_HOSTS"):
        raise ImproperlyConfigured(
            "MENTORWIJS_ALLOWED_HOSTS must name the site's host(s) in production"
        )

# Logs go to stderr as Django's defaults do, but never with a respondent's link token
# (mentorwijs.web.logfilters): a token in a log file would open a questionnaire.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_links": {"()": "mentorwijs.web.logfilters.RedactLinkTokens"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_links"],
        }
    },
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
