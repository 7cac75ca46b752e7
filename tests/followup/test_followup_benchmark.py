"""The follow-up benchmark (benchmarks/followup.py) at a tiny size, so that it keeps working as the reminders
and the dashboard change: what its generator wrote, its bare SQL and the application must agree."""

from __future__ import annotations

import pytest
from benchmarks import followup

from dondoc.directives.status import Status


@pytest.fixture
def generator(registry: None, monkeypatch: pytest.MonkeyPatch) -> followup.Generator:
    monkeypatch.setattr(followup, "REMINDER_RUNS", 1)
    monkeypatch.setattr(followup, "DASHBOARD_RUNS", 1)
    generator = followup.Generator(today=followup.TODAY, seed=followup.SEED)
    generator.create_users()
    return generator


def test_the_generator_stops_at_the_size_asked_with_every_status(generator: followup.Generator) -> None:
    generator.grow(until=lambda tally: tally.assignments >= 1_500)

    assert generator.tally.assignments == 1_500
    assert set(generator.tally.statuses) == {status.value for status in Status}


def test_the_dashboard_and_the_bare_sql_count_what_the_generator_wrote(generator: followup.Generator) -> None:
    generator.grow(until=lambda tally: tally.assignments >= 1_500)

    # measure_dashboard asserts on every run that overview(), the bare SQL and the generator agree
    measured = followup.measure_dashboard(generator.tally)

    assert sum(measured["statuses"].values()) == 1_500
    assert measured["overview"] > 0 and measured["figures_sql"] > 0


def test_the_reminder_run_reminds_whom_the_bare_sql_finds_due(generator: followup.Generator) -> None:
    generator.grow(until=lambda tally: tally.open >= 1_000)

    measured = followup.measure_reminders()

    assert generator.tally.open == 1_000
    assert measured["in_app"] == measured["due_rows"] > 0
    assert 0 < measured["email"] < measured["in_app"]  # some have no address, some turned e-mail off
