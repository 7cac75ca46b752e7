"""Shared test options."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

# fixtures shared across areas: the sample registry, one user per role, the seed letter drafted and published
pytest_plugins = ["tests.fixtures.members"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-only",
        action="store_true",
        help="run only the tests that use the database (for the second run, on PostgreSQL)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "database_neutral: uses the database, but what it checks does not depend on which one (the demo that "
        "`make run` builds on SQLite, from services tested on both): not run again by --database-only",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--database-only"):
        return
    # the `db` fixtures (admin_client, client with a user …) pull them in; the marker alone does too
    database_fixtures = {"db", "transactional_db", "django_db_setup"}
    keep, drop = [], []
    for item in items:
        uses_database = item.get_closest_marker("django_db") is not None or bool(
            database_fixtures & set(getattr(item, "fixturenames", ()))
        )
        neutral = item.get_closest_marker("database_neutral") is not None
        (keep if uses_database and not neutral else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """On PostgreSQL, no autovacuum in the test database. Every test's rolled-back rows stay behind as dead
    tuples; an automatic ANALYZE in the middle of the run then records the tables as empty but large, and the
    planner nests sequential scans over them (one rule check took 504 s instead of 0.1 s). Without statistics
    the planner goes by the tables' physical size, as on a fresh database."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            for (table,) in cursor.fetchall():
                cursor.execute(f'ALTER TABLE "{table}" SET (autovacuum_enabled = false)')


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in the site's language: a page request asked in English leaves English active in the
    thread, which would change the messages of the tests after it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
