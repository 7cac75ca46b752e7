"""The settings modules, each loaded in a process of its own with a clean environment: production refuses
to start without its secrets and passes Django's deployment checks with them; dev keeps its generated key."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
DEPLOY_CHECK = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]
PRINT_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def clean_environment(tmp_path: Path, module: str, **variables: str) -> dict[str, str]:
    """The current environment without anything dondoc, Django or libpq reads, then `variables`."""
    kept = {
        key: value for key, value in os.environ.items() if not key.startswith(("DONDOC_", "DJANGO_", "PG"))
    }
    return kept | {"DJANGO_SETTINGS_MODULE": module, "DONDOC_DATA_DIR": str(tmp_path / "var")} | variables


def run(arguments: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def production(tmp_path: Path, **variables: str) -> dict[str, str]:
    complete = {"DONDOC_SECRET_KEY": secrets.token_urlsafe(50), "DONDOC_ALLOWED_HOSTS": "dondoc.example"}
    return clean_environment(tmp_path, "dondoc.settings.production", **(complete | variables))


@pytest.mark.parametrize(
    ("variables", "missing"),
    [
        ({"DONDOC_SECRET_KEY": ""}, "DONDOC_SECRET_KEY"),
        ({"DONDOC_ALLOWED_HOSTS": ""}, "DONDOC_ALLOWED_HOSTS"),
        ({"DONDOC_ALLOWED_HOSTS": " , "}, "DONDOC_ALLOWED_HOSTS"),
        ({"DONDOC_DATABASE": "postgresql"}, "PGPASSWORD"),
    ],
)
def test_production_refuses_to_start_without_a_required_variable(
    tmp_path: Path, variables: dict[str, str], missing: str
) -> None:
    environment = production(tmp_path, **variables)
    environment = {key: value for key, value in environment.items() if value}  # "" stands for unset
    result = run(DEPLOY_CHECK, environment)
    assert result.returncode != 0
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("django.core.exceptions.ImproperlyConfigured:")
    assert missing in error
    others = {"DONDOC_SECRET_KEY", "DONDOC_ALLOWED_HOSTS", "PGPASSWORD"} - {missing}
    assert not any(name in error for name in others)


def test_production_names_every_missing_variable(tmp_path: Path) -> None:
    environment = clean_environment(tmp_path, "dondoc.settings.production", DONDOC_DATABASE="postgresql")
    result = run(DEPLOY_CHECK, environment)
    assert result.returncode != 0
    error = result.stderr.strip().splitlines()[-1]
    assert all(name in error for name in ("DONDOC_SECRET_KEY", "DONDOC_ALLOWED_HOSTS", "PGPASSWORD"))


@pytest.mark.parametrize(
    "variables",
    [{}, {"DONDOC_DATABASE": "postgresql", "PGPASSWORD": "not-used-by-the-checks"}],
    ids=["sqlite", "postgresql"],
)
def test_production_passes_the_deployment_checks(tmp_path: Path, variables: dict[str, str]) -> None:
    result = run(DEPLOY_CHECK, production(tmp_path, **variables))
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr and "System check identified no issues" in result.stdout


def test_production_reads_its_settings_from_the_environment(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.DATABASES['default']['CONN_MAX_AGE'], "
        "s.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )
    environment = production(
        tmp_path,
        DONDOC_DEBUG="1",
        DONDOC_ALLOWED_HOSTS="dondoc.example, www.dondoc.example",
        DONDOC_CSRF_TRUSTED_ORIGINS="https://dondoc.example,https://www.dondoc.example",
        DONDOC_SECURE_SSL_REDIRECT="0",
        DONDOC_SECURE_HSTS_SECONDS="3600",
        DONDOC_CONN_MAX_AGE="0",
    )
    result = run(["-c", code], environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == (
        "False ['dondoc.example', 'www.dondoc.example'] "
        "['https://dondoc.example', 'https://www.dondoc.example'] False 3600 0 True"
    )


def test_production_refuses_a_malformed_number(tmp_path: Path) -> None:
    result = run(DEPLOY_CHECK, production(tmp_path, DONDOC_CONN_MAX_AGE="a minute"))
    assert result.returncode != 0
    assert "DONDOC_CONN_MAX_AGE" in result.stderr.strip().splitlines()[-1]


def test_production_reads_the_key_from_a_file_when_named(tmp_path: Path) -> None:
    key_file = tmp_path / "secret_key"
    key_file.write_text("k" * 50 + "\n", encoding="utf-8")
    result = run(
        ["-c", PRINT_KEY], production(tmp_path, DONDOC_SECRET_KEY="", DONDOC_SECRET_KEY_FILE=str(key_file))
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "k" * 50


@pytest.mark.parametrize("content", [None, ""], ids=["absent", "empty"])
def test_production_refuses_a_key_file_it_cannot_use(tmp_path: Path, content: str | None) -> None:
    key_file = tmp_path / "secret_key"
    if content is not None:
        key_file.write_text(content, encoding="utf-8")
    environment = production(tmp_path, DONDOC_SECRET_KEY_FILE=str(key_file))
    del environment["DONDOC_SECRET_KEY"]
    result = run(DEPLOY_CHECK, environment)
    assert result.returncode != 0
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("django.core.exceptions.ImproperlyConfigured:") and str(key_file) in error


def test_production_served_locally_drops_what_needs_tls_and_a_proxy(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.PROXY_COUNT)"
    )
    environment = production(tmp_path, DONDOC_LOCAL_ONLY="1", DONDOC_ALLOWED_HOSTS="127.0.0.1,localhost")
    result = run(["-c", code], environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False False 0 False False 0"


def test_dev_generates_a_key_once_beside_the_database_and_reuses_it(tmp_path: Path) -> None:
    environment = clean_environment(tmp_path, "dondoc.settings.dev")
    key_file = tmp_path / "var" / "secret_key"
    first = run(["-c", PRINT_KEY], environment)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip()
    assert len(key) >= 50 and key_file.read_text(encoding="utf-8") == key
    assert key_file.stat().st_mode & 0o777 == 0o600
    again = run(["-c", PRINT_KEY], environment)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == key


def test_dev_takes_the_key_from_the_environment_when_given(tmp_path: Path) -> None:
    environment = clean_environment(tmp_path, "dondoc.settings.dev", DONDOC_SECRET_KEY="k" * 50)
    result = run(["-c", PRINT_KEY], environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "k" * 50
    assert not (tmp_path / "var" / "secret_key").exists()


def test_the_tests_run_on_the_test_settings() -> None:
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"


PRINT_MAIL = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND.rsplit('.', 2)[-2], s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, "
    "s.DEFAULT_FROM_EMAIL)"
)


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, "console localhost 25 False False dondoc <dondoc@localhost>"),
        (
            {"DONDOC_EMAIL_HOST": "smtp.dnong.gov.vn", "DONDOC_EMAIL_FROM": "Ban Tổ chức <btc@dnong.gov.vn>"},
            "smtp smtp.dnong.gov.vn 587 True False Ban Tổ chức <btc@dnong.gov.vn>",
        ),
        (
            {"DONDOC_EMAIL_HOST": "smtp.dnong.gov.vn", "DONDOC_EMAIL_PORT": "465"},
            "smtp smtp.dnong.gov.vn 465 False True dondoc <dondoc@localhost>",
        ),
    ],
)
def test_mail_goes_through_the_smtp_server_named_or_is_printed(tmp_path, variables, expected):
    done = run(["-c", PRINT_MAIL], clean_environment(tmp_path, "dondoc.settings.dev", **variables))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected


PRINT_SESSION = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['OPTIONS']['options'])"
)


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, "-c jit=off -c random_page_cost=1.1"),
        ({"DONDOC_RANDOM_PAGE_COST": "4"}, "-c jit=off -c random_page_cost=4.0"),
    ],
)
def test_postgresql_sessions_plan_for_the_storage_named(tmp_path, variables, expected):
    environment = clean_environment(
        tmp_path, "dondoc.settings.dev", DONDOC_DATABASE="postgresql", **variables
    )
    done = run(["-c", PRINT_SESSION], environment)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected


@pytest.mark.parametrize("cost", ["fast", "0", "-1", "nan"])
def test_a_random_page_cost_that_is_no_cost_is_refused_by_name(tmp_path, cost):
    environment = clean_environment(
        tmp_path, "dondoc.settings.dev", DONDOC_DATABASE="postgresql", DONDOC_RANDOM_PAGE_COST=cost
    )
    done = run(["-c", PRINT_SESSION], environment)
    assert done.returncode != 0
    error = done.stderr.strip().splitlines()[-1]
    assert error.startswith("django.core.exceptions.ImproperlyConfigured:")
    assert "DONDOC_RANDOM_PAGE_COST" in error


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's settings are PostgreSQL's")
@pytest.mark.django_db
def test_the_database_plans_with_the_session_settings():
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        random_page_cost = cursor.fetchone()[0]
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    assert (random_page_cost, jit) == ("1.1", "off")
