"""Django settings: SQLite in the working folder by default, PostgreSQL when DONDOC_DATABASE=postgresql.

PostgreSQL connection values come from the standard libpq variables (PGHOST, PGPORT, PGUSER,
PGPASSWORD, PGDATABASE) so that one environment serves psql, the tests and the application.
"""

import os
import secrets
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("DONDOC_DATA_DIR", Path.cwd() / "var")).resolve()


def _secret_key() -> str:
    """From the environment in production; otherwise one random key kept beside the SQLite file."""
    if key := os.environ.get("DONDOC_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("DONDOC_DEBUG", "") == "1"
ALLOWED_HOSTS = [
    host for host in os.environ.get("DONDOC_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if host
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "dondoc.registry",
    "dondoc.directives",
    "dondoc.accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "dondoc.urls"
WSGI_APPLICATION = "dondoc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dondoc.accounts.context_processors.frame",
            ],
        },
    },
]

if os.environ.get("DONDOC_DATABASE", "sqlite") == "postgresql":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("PGDATABASE", "dondoc"),
            "USER": os.environ.get("PGUSER", "dondoc"),
            "PASSWORD": os.environ.get("PGPASSWORD", "dondoc"),
            "HOST": os.environ.get("PGHOST", "127.0.0.1"),
            "PORT": os.environ.get("PGPORT", "5432"),
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("DONDOC_SQLITE", str(DATA_DIR / "dondoc.sqlite3")),
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day

# Uploaded directives and report attachments: outside the web root, served only through views that check access
UPLOAD_DIR = Path(os.environ.get("DONDOC_UPLOAD_DIR", DATA_DIR / "uploads")).resolve()
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # the reader's own limit (reading/limits.py)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background work (parsing uploads) through Django's task framework, stored in the database;
# `manage.py db_worker` runs it. DONDOC_TASKS=immediate runs tasks inline (tests, one-process demos).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("DONDOC_TASKS") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# "Today" as the application sees it (dondoc/clock.py): unset means the real date
DONDOC_TODAY = os.environ.get("DONDOC_TODAY") or None
