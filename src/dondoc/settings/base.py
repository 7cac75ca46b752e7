"""What every environment shares. The settings modules build on one another:

- `base` (this module): apps, pages, languages, static files, uploads, tasks, the database; no secret key;
- `dev` (the default of manage.py and wsgi.py, so of `make run`): a random secret key kept beside the
  SQLite file;
- `test` (pytest, through pyproject.toml): dev with a fast password hash and tasks run inline;
- `production`: refuses to start without its secrets, HTTPS only, logs to stdout (see docs/deploying.md).

Environment variables read here:

- DONDOC_DATA_DIR: the working folder (default ./var): the SQLite file, dev's secret key, uploads and
  the collected static files;
- DONDOC_SQLITE: the SQLite file (default DATA_DIR/dondoc.sqlite3);
- DONDOC_DATABASE=postgresql: PostgreSQL instead, through the libpq variables PGHOST, PGPORT, PGUSER,
  PGPASSWORD and PGDATABASE, so that one environment serves psql, the tests and the application;
- DONDOC_RANDOM_PAGE_COST, with PostgreSQL: what the planner takes a random read to cost (default 1.1, an SSD
  or a database in memory; 4 for spinning disks);
- DONDOC_REPLICA_HOST, with PostgreSQL: a streaming replica the dashboards and report reads use, on
  DONDOC_REPLICA_PORT (default PGPORT), as DONDOC_REPLICA_USER with DONDOC_REPLICA_PASSWORD into
  DONDOC_REPLICA_NAME (defaults: the primary's);
- DONDOC_ALLOWED_HOSTS: comma-separated host names (default 127.0.0.1,localhost);
- DONDOC_UPLOAD_DIR: where uploaded files are kept (default DATA_DIR/uploads);
- DONDOC_TASKS: where background tasks wait for `manage.py run_worker`: `database` (the default), `redis`
  (the server DONDOC_REDIS_URL names, default redis://127.0.0.1:6379/0), or `immediate` (run inline);
- DONDOC_TODAY: the date the application takes as today (dondoc/clock.py);
- DONDOC_EMAIL_HOST, DONDOC_EMAIL_PORT, DONDOC_EMAIL_USER, DONDOC_EMAIL_PASSWORD, DONDOC_EMAIL_STARTTLS and
  DONDOC_EMAIL_FROM: the SMTP server mail goes through (unset: mail is printed on stdout);
- DONDOC_LOG_LEVEL (default INFO) and DONDOC_LOG_FORMAT (json, the default: one JSON object per line; or
  text): what is logged to stdout;

and by the other modules: DONDOC_SECRET_KEY (optional in dev, required in production), DONDOC_DEBUG (dev);
DONDOC_CSRF_TRUSTED_ORIGINS, DONDOC_SECURE_SSL_REDIRECT, DONDOC_SECURE_HSTS_SECONDS, DONDOC_CONN_MAX_AGE and
DONDOC_PROXY_COUNT (production).
"""

import logging
import os
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("DONDOC_DATA_DIR", Path.cwd() / "var")).resolve()


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
ALLOWED_HOSTS = env_list("DONDOC_ALLOWED_HOSTS", "127.0.0.1,localhost")

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
    "axes",
    "dondoc.core",
    "dondoc.registry",
    "dondoc.accounts",
    "dondoc.directives",
    "dondoc.followup",
    "dondoc.demo",
]
# The project's own user model (accounts.User), on the table of Django's user it replaced
AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # the static files, compressed, with hashed names browsers keep for good, from the web server itself
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # a signed-in user's writes remembered, so that their next reads wait for the replica (core/replica.py)
    "dondoc.core.replica.ReadYourWritesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.htmx: whether htmx sent the request (dondoc/core/htmx.py picks the fragment or the page by it)
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # last, as django-axes asks: turns a refused log-in into the lockout page
    "axes.middleware.AxesMiddleware",
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
                "dondoc.context_processors.frame",
            ],
        },
    },
]

DATABASES: dict[str, dict[str, Any]]
if os.environ.get("DONDOC_DATABASE", "sqlite") == "postgresql":
    # Each session's planner settings.
    # - No JIT compilation: the dashboards' status subqueries have cost estimates that switch it on, and
    #   compiling took longer than running (1.85 of 7.09 s at 1,000,000 assignments; BENCHMARKS.md).
    # - A random read costed as on an SSD or a database held in memory (1.1, where PostgreSQL assumes a
    #   spinning disk's 4): with 4 it read a province's 3,549 parents' children by scanning all 128,149 bodies
    #   (10.6 ms, against 3.9 by the index), and every page at national scale took 3-21 % longer
    #   (BENCHMARKS.md). A deployment on spinning disks sets DONDOC_RANDOM_PAGE_COST=4.
    try:
        _random_page_cost = float(os.environ.get("DONDOC_RANDOM_PAGE_COST", "1.1"))
    except ValueError:
        _random_page_cost = 0.0
    if not _random_page_cost > 0:
        raise ImproperlyConfigured("DONDOC_RANDOM_PAGE_COST is a number above 0, such as 1.1 or 4.")
    postgresql_session = f"-c jit=off -c random_page_cost={_random_page_cost}"
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("PGDATABASE", "dondoc"),
            "USER": os.environ.get("PGUSER", "dondoc"),
            "PASSWORD": os.environ.get("PGPASSWORD", "dondoc"),
            "HOST": os.environ.get("PGHOST", "127.0.0.1"),
            "PORT": os.environ.get("PGPORT", "5432"),
            "OPTIONS": {"options": postgresql_session},
        }
    }
    # A streaming replica for the dashboards' and the reports' reads (dondoc/core/replica.py): the primary's
    # database, role and password unless said otherwise. Without it, no second alias: every query as before.
    if replica_host := os.environ.get("DONDOC_REPLICA_HOST", "").strip():
        DATABASES["replica"] = {
            **DATABASES["default"],
            "NAME": os.environ.get("DONDOC_REPLICA_NAME") or DATABASES["default"]["NAME"],
            "USER": os.environ.get("DONDOC_REPLICA_USER") or DATABASES["default"]["USER"],
            "PASSWORD": os.environ.get("DONDOC_REPLICA_PASSWORD") or DATABASES["default"]["PASSWORD"],
            "HOST": replica_host,
            "PORT": os.environ.get("DONDOC_REPLICA_PORT") or DATABASES["default"]["PORT"],
            # a replica that does not answer costs a page this long before it is read from the primary
            "OPTIONS": {"options": postgresql_session, "connect_timeout": 2},
            # the tests' database has no replica: the alias then reads the primary's test database
            "TEST": {"MIRROR": "default"},
        }
else:
    # Several users at once on one file: write-ahead logging lets pages read while one request writes;
    # IMMEDIATE transactions take the write lock when they begin, so that two requests that read and then
    # write queue behind each other (for up to `timeout` seconds) instead of one failing with "database is
    # locked" (BENCHMARKS.md, "Concurrent users"). Recursive triggers: a territory moved under another carries
    # its new region down the tree, each level's trigger firing the next (registry migration 0009).
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("DONDOC_SQLITE", str(DATA_DIR / "dondoc.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA recursive_triggers=ON;",
            },
        }
    }

if os.environ.get("DONDOC_REPLICA_HOST", "").strip() and "replica" not in DATABASES:
    raise ImproperlyConfigured(
        "DONDOC_REPLICA_HOST names a PostgreSQL replica: it needs DONDOC_DATABASE=postgresql."
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# the pages marked `reads_from_replica` read from the replica when there is one; everything else the primary
DATABASE_ROUTERS = ["dondoc.core.replica.ReplicaRouter"]

# Passwords set in the admin or by a user: refused when too short, close to the user's name or e-mail, one of
# the 20,000 most common, or all digits
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Log-in throttling (django-axes): ten wrong passwords for one account, or from one address, lock that
# account or address out for 15 minutes (a new wrong try during the lockout starts the 15 minutes again);
# an administrator unlocks at once in the admin ("Access attempts": delete the row) or with
# `manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS`. A right password resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 10
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = 0.25  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dondoc.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "dondoc.accounts.throttling.client_address"
# reverse proxies in front, appending to X-Forwarded-For (production: DONDOC_PROXY_COUNT, default 1)
PROXY_COUNT = 0

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# `manage.py collectstatic` (which `make run` runs) writes each file under a hashed name with a gzip copy
# beside it, and the manifest the templates' {% static %} reads; WhiteNoise serves them
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day

# Uploaded directives and report attachments: outside the web root, served only through views that check
# access
UPLOAD_DIR = Path(os.environ.get("DONDOC_UPLOAD_DIR", DATA_DIR / "uploads")).resolve()
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # the reader's own limit (reading/limits.py)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background work (parsing uploads, reports, reminders) through Django's task framework; `manage.py
# run_worker` runs it. DONDOC_TASKS picks where tasks wait: `database` (the default: django-tasks-db, nothing
# more to run), `redis` (django-tasks-rq: a Redis server that workers on several machines drain, at
# DONDOC_REDIS_URL) or `immediate` (run inline: one-process demos; the tests always do, through
# dondoc.settings.test).
TASK_QUEUE = os.environ.get("DONDOC_TASKS", "").strip() or "database"
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASK_QUEUE not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"DONDOC_TASKS must be database, redis or immediate, not {TASK_QUEUE!r}.")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASK_QUEUE], "QUEUES": ["default"]}}
if TASK_QUEUE == "redis":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {
        "default": {
            "URL": os.environ.get("DONDOC_REDIS_URL", "").strip() or "redis://127.0.0.1:6379/0",
            # RQ stops a task after 180 s unless told otherwise; the longest imports (OCR of a long scan)
            # take minutes, and the database queue lets them run to the end
            "DEFAULT_TIMEOUT": 60 * 60,
        }
    }

# E-mail (reminders, follow-ups): through the SMTP server DONDOC_EMAIL_HOST names (DONDOC_EMAIL_PORT, default
# 587 with STARTTLS; DONDOC_EMAIL_USER and DONDOC_EMAIL_PASSWORD when it asks for a log-in), else printed on
# stdout (`make run`). The sender: DONDOC_EMAIL_FROM.
if os.environ.get("DONDOC_EMAIL_HOST", "").strip():
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["DONDOC_EMAIL_HOST"].strip()
    EMAIL_PORT = int(os.environ.get("DONDOC_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("DONDOC_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("DONDOC_EMAIL_PASSWORD", "")
    # 465 speaks TLS from the start; any other port upgrades with STARTTLS
    EMAIL_USE_SSL = EMAIL_PORT == 465
    EMAIL_USE_TLS = not EMAIL_USE_SSL and os.environ.get("DONDOC_EMAIL_STARTTLS", "1") != "0"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DONDOC_EMAIL_FROM", "dondoc <dondoc@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# "Today" as the application sees it (dondoc/clock.py): unset means the real date
DONDOC_TODAY = os.environ.get("DONDOC_TODAY") or None

# Logging: everything to stdout (the terminal of `make run`, the journal of a service), server errors with
# their traceback in every configuration; one JSON object per line unless DONDOC_LOG_FORMAT=text
LOG_LEVEL = os.environ.get("DONDOC_LOG_LEVEL", "INFO").strip().upper()
LOG_FORMAT = os.environ.get("DONDOC_LOG_FORMAT", "json").strip().lower()
if LOG_LEVEL not in logging.getLevelNamesMapping() or LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(
        "DONDOC_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL and DONDOC_LOG_FORMAT json or "
        f"text, not {LOG_LEVEL!r} and {LOG_FORMAT!r}."
    )
_REQUEST_LEVEL = logging.getLevelName(min(logging.getLevelNamesMapping()[LOG_LEVEL], logging.ERROR))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "{asctime}{levelname}{name}{message}",
            "style": "{",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {"handlers": ["stdout"], "level": _REQUEST_LEVEL, "propagate": False},
        # runserver's own line per request stays as Django prints it
        "django.server": {"propagate": False},
    },
}
