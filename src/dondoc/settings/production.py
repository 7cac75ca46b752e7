"""Production: DJANGO_SETTINGS_MODULE=dondoc.settings.production (docs/deploying.md).

Required, or the application refuses to start: DONDOC_SECRET_KEY (50 random characters or more) or
DONDOC_SECRET_KEY_FILE naming a file that holds it (readable by the service alone); DONDOC_ALLOWED_HOSTS
(the host names it answers to, comma-separated); with DONDOC_DATABASE=postgresql, PGPASSWORD. Optional:
DONDOC_CSRF_TRUSTED_ORIGINS (comma-separated, with their scheme: https://…), DONDOC_SECURE_SSL_REDIRECT
(default 1), DONDOC_SECURE_HSTS_SECONDS (default one year), DONDOC_CONN_MAX_AGE (seconds a database
connection is kept, default 60), DONDOC_PROXY_COUNT (reverse proxies in front, default 1).

It runs behind an HTTPS reverse proxy that sets X-Forwarded-Proto (and overwrites any such header the
client sent). Static files are collected with hashed names and compressed copies (`manage.py collectstatic`)
and served by the application's own server through WhiteNoise (settings.base); the proxy may cache them.

DONDOC_LOCAL_ONLY=1 is how `make run` serves: the same settings over plain HTTP to this machine alone, with
no proxy in front (no HTTPS redirect, no HSTS, cookies not marked Secure). It is refused unless every
allowed host is a loopback name, so that it cannot serve a network by mistake.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from dondoc.settings.base import *  # noqa: F403
from dondoc.settings.base import ALLOWED_HOSTS, DATABASES, env_list

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def _missing() -> list[str]:
    missing = []
    if not os.environ.get("DONDOC_SECRET_KEY", "").strip() and not os.environ.get("DONDOC_SECRET_KEY_FILE"):
        missing.append("DONDOC_SECRET_KEY")
    if not ALLOWED_HOSTS or not env_list("DONDOC_ALLOWED_HOSTS"):
        missing.append("DONDOC_ALLOWED_HOSTS")
    if os.environ.get("DONDOC_DATABASE", "sqlite") == "postgresql" and not os.environ.get("PGPASSWORD"):
        missing.append("PGPASSWORD")
    return missing


if _absent := _missing():
    raise ImproperlyConfigured(
        f"dondoc.settings.production needs the environment variable{'s' if len(_absent) > 1 else ''} "
        f"{', '.join(_absent)}: set {'them' if len(_absent) > 1 else 'it'} before starting "
        "(see docs/deploying.md)."
    )


def _integer(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (true or false), not {value!r}.")


def _secret_key() -> str:
    if key := os.environ.get("DONDOC_SECRET_KEY", "").strip():
        return key
    path = os.environ["DONDOC_SECRET_KEY_FILE"]
    try:
        key = Path(path).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ImproperlyConfigured(
            f"DONDOC_SECRET_KEY_FILE names {path!r}, which cannot be read: {error.strerror}."
        ) from None
    if not key:
        raise ImproperlyConfigured(f"DONDOC_SECRET_KEY_FILE names {path!r}, which is empty.")
    return key


SECRET_KEY = _secret_key()
DEBUG = False
LOCAL_ONLY = _flag("DONDOC_LOCAL_ONLY", False)
if LOCAL_ONLY and (beyond := sorted(set(ALLOWED_HOSTS) - LOOPBACK_HOSTS)):
    raise ImproperlyConfigured(
        f"DONDOC_LOCAL_ONLY=1 serves plain HTTP to this machine alone, but DONDOC_ALLOWED_HOSTS names "
        f"{', '.join(beyond)}: serve other machines behind an HTTPS proxy without DONDOC_LOCAL_ONLY."
    )

# HTTPS: the reverse proxy ends TLS and says so in X-Forwarded-Proto (none when served locally)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = not LOCAL_ONLY and _flag("DONDOC_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = not LOCAL_ONLY
CSRF_COOKIE_SECURE = not LOCAL_ONLY
SECURE_HSTS_SECONDS = 0 if LOCAL_ONLY else _integer("DONDOC_SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("DONDOC_CSRF_TRUSTED_ORIGINS")

for _database in DATABASES.values():  # the primary and the replica alike
    _database["CONN_MAX_AGE"] = _integer("DONDOC_CONN_MAX_AGE", 60)
    _database["CONN_HEALTH_CHECKS"] = True

# Behind the reverse proxy the client's address is the one it appended to X-Forwarded-For: log-in
# throttling counts failures per address by it (dondoc.accounts.throttling)
PROXY_COUNT = 0 if LOCAL_ONLY else _integer("DONDOC_PROXY_COUNT", 1)
