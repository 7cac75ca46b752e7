"""The shared fixtures' rows, replayed (tests/fixtures/replay.py), are the rows their first run wrote, table
by table and column by column: the keys and counts the database's triggers keep included."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from tests.fixtures import members, replay

pytestmark = pytest.mark.django_db


def every_row() -> dict[str, Any]:
    """Each table's rows by key; those of a table the triggers write without their key, which a sequence
    gives anew each time on PostgreSQL."""
    rows: dict[str, Any] = {}
    for table in replay._tables():
        columns, by_key = replay._rows(table)
        key = columns.index(table.key)
        rows[table.name] = (
            sorted(row[:key] + row[key + 1 :] for row in by_key.values())
            if table.name in replay.KEPT_BY_TRIGGERS
            else by_key
        )
    return rows


def the_seed_letter_published() -> None:
    members.sample_registry()
    members.members()
    members.seed_published(members.seed_draft())


def test_a_replay_writes_what_the_fixtures_wrote(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replay, "_recordings", {})
    empty = every_row()
    with transaction.atomic():
        start = transaction.savepoint()
        the_seed_letter_published()  # run, and recorded
        written = every_row()
        transaction.savepoint_rollback(start)
    assert every_row() == empty
    assert [name for name, _state in replay._recordings] == ["registry", "users", "draft", "published"]
    assert len(written["registry_organization"]) > 500 and written["directives_directiveregion"]

    def not_run_again() -> None:
        raise AssertionError("the registry was loaded again rather than replayed")

    monkeypatch.setattr(members, "load_sample_registry", not_run_again)
    the_seed_letter_published()  # replayed
    assert every_row() == written


def test_a_database_not_as_recorded_runs_the_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    """One more territory than when it was recorded: the registry is loaded, not replayed (whose ids could
    meet the territory's)."""
    from dondoc.registry.models import Jurisdiction, JurisdictionKind, Level

    monkeypatch.setattr(replay, "_recordings", {})
    with transaction.atomic():
        start = transaction.savepoint()
        members.sample_registry()
        transaction.savepoint_rollback(start)
    Jurisdiction.objects.create(code="X", name="X", kind=JurisdictionKind.PROVINCE, level=Level.PROVINCE)
    loaded = []
    monkeypatch.setattr(members, "load_sample_registry", lambda: loaded.append(True))
    members.sample_registry()
    assert loaded == [True]


def test_a_fixture_on_top_of_the_counted_rows_is_replayed(monkeypatch: pytest.MonkeyPatch) -> None:
    """After the seed letter is published the triggers have counted its assignments by region, in rows whose
    keys a sequence gives: on PostgreSQL a rolled-back test does not give those back, so a replay's counts
    have other keys than the first run's. A fixture recorded on top of them is still replayed."""
    from dondoc.directives.models import Assignment

    monkeypatch.setattr(replay, "_recordings", {})
    runs = []

    def dropped_one() -> int:
        runs.append(True)
        dropped = Assignment.objects.order_by("pk").first()
        assert dropped is not None
        dropped.delete()
        return dropped.pk

    for _attempt in range(2):
        with transaction.atomic():
            start = transaction.savepoint()
            the_seed_letter_published()
            pk = replay.replayed("one assignment dropped", dropped_one, lambda first: first)
            assert not Assignment.objects.filter(pk=pk).exists()
            transaction.savepoint_rollback(start)
    assert runs == [True]
