"""Operators can see what went wrong: a server error is logged with its traceback, as one JSON object per
line on stdout, in every configuration (a fresh process each, as the settings configure logging once)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# a page that fails as a bug would: the log-in page's GET raises
FAILING_REQUEST = """
import django
django.setup()
from django.contrib.auth.views import LoginView
from django.test import Client

def broken(self, request, *args, **kwargs):
    raise RuntimeError("a bug in a page")

LoginView.get = broken
response = Client(raise_request_exception=False).get("/accounts/login/", secure=True)
print(f"status {response.status_code}", file=__import__("sys").stderr)
"""


def run_failing_request(settings_module: str, tmp_path: Path, **extra: str) -> tuple[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DONDOC_", "DJANGO_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DONDOC_DATA_DIR": str(tmp_path),
        "DONDOC_ALLOWED_HOSTS": "testserver",
        **extra,
    }
    done = subprocess.run(
        [sys.executable, "-c", FAILING_REQUEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


@pytest.mark.parametrize(
    ("settings_module", "extra"),
    [
        ("dondoc.settings.dev", {}),
        ("dondoc.settings.test", {}),
        ("dondoc.settings.production", {"DONDOC_SECRET_KEY": secrets.token_urlsafe(50)}),
    ],
)
def test_a_server_error_is_logged_to_stdout_as_json_with_its_traceback(settings_module, extra, tmp_path):
    stdout, stderr = run_failing_request(settings_module, tmp_path, **extra)

    assert "status 500" in stderr
    records = [json.loads(line) for line in stdout.splitlines()]
    errors = [record for record in records if record.get("logger") == "django.request"]
    assert len(errors) == 1, records
    error = errors[0]
    assert error["level"] == "ERROR" and "/accounts/login/" in error["message"]
    assert "Traceback" in error["exc_info"] and "RuntimeError: a bug in a page" in error["exc_info"]
    assert error["time"]


def test_plain_text_logs_on_request(tmp_path):
    stdout, _ = run_failing_request("dondoc.settings.dev", tmp_path, DONDOC_LOG_FORMAT="text")
    assert " ERROR django.request: Internal Server Error: /accounts/login/" in stdout
    assert "RuntimeError: a bug in a page" in stdout


def test_a_wrong_log_setting_is_refused_with_a_message(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DONDOC_", "DJANGO_"))}
    env |= {"DJANGO_SETTINGS_MODULE": "dondoc.settings.dev", "DONDOC_LOG_LEVEL": "LOUD"}
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env | {"DONDOC_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "DONDOC_LOG_LEVEL must be DEBUG, INFO" in done.stderr
