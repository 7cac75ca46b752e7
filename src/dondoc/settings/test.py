"""The tests (pytest, through pyproject.toml): the development settings, with a fast password hash (tests
create many users; the real hash takes about 0.7 s each), static files read where they are, and background
tasks run inline. A test that
needs the database queue sets `settings.TASKS` itself (tests/web/test_import.py)."""

from dondoc.settings.dev import *  # noqa: F403

# the tests read the static files where they are, without `collectstatic`'s manifest (tests/core/test_serve.py
# runs the collected, compressed files through the real server)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = True

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]},
}
