"""The tests (pytest, through pyproject.toml): the development settings, with a fast password hash (tests
create many users; the real hash takes about 0.7 s each) and background tasks run inline. A test that
needs the database queue sets `settings.TASKS` itself (tests/web/test_import.py)."""

from dondoc.settings.dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]},
}
