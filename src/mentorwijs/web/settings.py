"""Django settings: one module, driven by environment variables, SQLite by default.

| variable | meaning |
|---|---|
| MENTORWIJS_DATABASE_URL | ``postgres://user:pass@host:port/name`` or ``sqlite:///path`` |
| MENTORWIJS_DATA_DIR | data folder (default ``$XDG_DATA_HOME/mentorwijs``) |
| MENTORWIJS_SECRET_KEY | secret key (required when MENTORWIJS_ENV=production) |
| MENTORWIJS_DEBUG | ``1`` for debug pages (never in production) |
| MENTORWIJS_ALLOWED_HOSTS | comma-separated host names |
| MENTORWIJS_ENV | ``production`` for the hardened settings |
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured


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
    "mentorwijs.web.study",
    "mentorwijs.web.registry",
    "mentorwijs.web.runs",
    "mentorwijs.web.survey",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mentorwijs.web.middleware.content_security_policy",
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
