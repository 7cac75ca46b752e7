"""Sixteen people at once against a running server (real threads, real HTTP, a database file of its own):
no server error, every race's loser told what happened, no acknowledged write lost. On SQLite in the first
test run, on PostgreSQL in the second (benchmarks/concurrency.py drives the load and prepares the server)."""

from __future__ import annotations

import pytest
from benchmarks.concurrency import postgresql_environment, run_load, running_server, sqlite_environment
from django.db import connection

USERS, CYCLES, RACE_TRIALS = 16, 3, 4


@pytest.mark.django_db
def test_sixteen_users_following_up_at_once_meet_no_server_error_and_lose_nothing():
    environment = (
        postgresql_environment("dondoc_test_concurrency")
        if connection.vendor == "postgresql"
        else sqlite_environment()
    )
    with environment as env, running_server(env) as server:
        result = run_load(server, users=USERS, cycles=CYCLES, race_trials=RACE_TRIALS)

    tally = result.tally
    assert tally.server_errors == 0, tally.failures[:10]
    # each user's cycles went through: its reports were drafted, sent and decided
    decided = [state for state in tally.reports.values() if state in {"confirmed", "returned"}]
    assert len(decided) >= USERS * CYCLES
    for name, outcome in result.races.items():
        assert outcome.trials == RACE_TRIALS, name
        assert outcome.one_winner == RACE_TRIALS, name
        assert outcome.loser_told == RACE_TRIALS, name
    assert result.lost == []
